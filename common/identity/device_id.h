// Device ids derive from the public key the device enrolled with, so an id
// cannot be claimed without the key.
#ifndef TRELLIS_COMMON_IDENTITY_DEVICE_ID_H_
#define TRELLIS_COMMON_IDENTITY_DEVICE_ID_H_

#include <string>

#include "absl/strings/string_view.h"

namespace trellis::identity {

// "d" + 26 lower-case base32 characters of the first 16 bytes of the
// SHA-256 of the DER public key. Input: the raw 32-byte key hash.
std::string DeviceIdFromKeyHash(absl::string_view public_key_sha256);

// Shape check used on every RPC field that names a device.
bool IsValidDeviceId(absl::string_view device_id);

// Organisational units that tell certificate kinds apart.
inline constexpr absl::string_view kDeviceUnit = "device";
inline constexpr absl::string_view kOperatorUnit = "operator";
inline constexpr absl::string_view kServerUnit = "server";

}  // namespace trellis::identity

#endif  // TRELLIS_COMMON_IDENTITY_DEVICE_ID_H_
