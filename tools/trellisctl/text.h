// Small renderings shared by the commands: times, enum words, and the one
// way untrusted text (anything a device, server or operator wrote) reaches
// a terminal.
#ifndef TRELLIS_TOOLS_TRELLISCTL_TEXT_H_
#define TRELLIS_TOOLS_TRELLISCTL_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "trellis/v1/common.pb.h"

namespace trellis::ctl {

// "2026-12-06 20:45" (UTC), "-" when unset.
std::string When(const google::protobuf::Timestamp& t);
// "2026-12-06 20:45:07" (UTC).
std::string WhenSeconds(const google::protobuf::Timestamp& t);

// "OWNERSHIP_CORPORATE" with prefix "OWNERSHIP_" -> "corporate".
std::string EnumWord(const std::string& name, absl::string_view prefix);
std::string ComplianceWord(v1::ComplianceState s);
std::string DeviceStateWord(v1::DeviceState s);

// Untrusted text on one line: control characters shown as escapes.
std::string Safe(absl::string_view text);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_TEXT_H_
