// absl::Time <-> google.protobuf.Timestamp, at microsecond precision (what
// the store keeps).
#ifndef TRELLIS_COMMON_UTIL_PROTO_TIME_H_
#define TRELLIS_COMMON_UTIL_PROTO_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace trellis {

inline google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(t));
}

inline absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_PROTO_TIME_H_
