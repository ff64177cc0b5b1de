#include "gateway/wireguard/interface_name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace trellis::gateway {

absl::Status ValidateInterfaceName(absl::string_view name) {
  if (name.empty() || name.size() > 15) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interface name must be 1 to 15 characters, got ", name.size()));
  }
  if (name[0] == '-' || name[0] == '.') {
    return absl::InvalidArgumentError(
        "interface name must not start with '-' or '.'");
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      return absl::InvalidArgumentError(
          absl::StrCat("interface name '", name,
                       "' may hold only letters, digits, '_', '-' and '.'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace trellis::gateway
