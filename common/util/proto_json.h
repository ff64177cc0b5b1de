// Messages as JSON for `--json` output: proto field names, defaults shown,
// indented, newline-terminated.
#ifndef TRELLIS_COMMON_UTIL_PROTO_JSON_H_
#define TRELLIS_COMMON_UTIL_PROTO_JSON_H_

#include <string>

#include "google/protobuf/message.h"

namespace trellis {

std::string ToJsonText(const google::protobuf::Message& message);

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_PROTO_JSON_H_
