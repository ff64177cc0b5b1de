#include "tools/trellisctl/text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/util/terminal_text.h"

namespace trellis::ctl {

std::string When(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string WhenSeconds(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S",
                          absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string EnumWord(const std::string& name, absl::string_view prefix) {
  absl::string_view v = name;
  absl::ConsumePrefix(&v, prefix);
  return absl::AsciiStrToLower(v);
}

std::string ComplianceWord(v1::ComplianceState s) {
  return EnumWord(v1::ComplianceState_Name(s), "COMPLIANCE_STATE_");
}

std::string DeviceStateWord(v1::DeviceState s) {
  return EnumWord(v1::DeviceState_Name(s), "DEVICE_STATE_");
}

std::string Safe(absl::string_view text) { return TerminalSafe(text); }

}  // namespace trellis::ctl
