#include "common/identity/device_id.h"

#include "absl/strings/str_cat.h"
#include "common/util/encoding.h"

namespace trellis::identity {

std::string DeviceIdFromKeyHash(absl::string_view public_key_sha256) {
  return absl::StrCat("d", Base32Encode(public_key_sha256.substr(0, 16)));
}

bool IsValidDeviceId(absl::string_view device_id) {
  if (device_id.size() != 27 || device_id[0] != 'd') return false;
  for (char c : device_id.substr(1)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return false;
  }
  return true;
}

}  // namespace trellis::identity
