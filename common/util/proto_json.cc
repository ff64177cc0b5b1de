#include "common/util/proto_json.h"

#include "google/protobuf/util/json_util.h"

namespace trellis {

std::string ToJsonText(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options)
           .ok()) {
    return "{}\n";
  }
  if (out.empty() || out.back() != '\n') out += "\n";
  return out;
}

}  // namespace trellis
