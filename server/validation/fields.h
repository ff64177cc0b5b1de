// Checks every RPC string field goes through; errors name the field.
#ifndef TRELLIS_SERVER_VALIDATION_FIELDS_H_
#define TRELLIS_SERVER_VALIDATION_FIELDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace trellis::server {

// Byte limits of the device fields a device describes itself with, whether
// they arrive in the enrolment description or in a check-in's facts.
inline constexpr size_t kMaxHostnameBytes = 253;
inline constexpr size_t kMaxHardwareSerialBytes = 128;
inline constexpr size_t kMaxOsNameBytes = 128;
inline constexpr size_t kMaxOsVersionBytes = 128;

// At most `max_bytes`, valid UTF-8, no control characters (C0, DEL or C1).
absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t max_bytes, bool required = false);

// 1..64 of [A-Za-z0-9._-] (groups, operator names).
absl::Status CheckName(absl::string_view field, absl::string_view value);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_VALIDATION_FIELDS_H_
