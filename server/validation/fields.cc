#include "server/validation/fields.h"

#include "absl/strings/str_cat.h"
#include "common/util/utf8.h"

namespace trellis::server {

absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t max_bytes, bool required) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  if (value.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is too long (", value.size(), " bytes, at most ",
                     max_bytes, ")"));
  }
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " contains a control character"));
    }
  }
  if (!IsValidUtf8(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is not valid UTF-8"));
  }
  // C1 controls U+0080..U+009F (encoded C2 80..C2 9F): U+009B alone is a
  // CSI to many terminals. In valid UTF-8, C2 is always a lead byte.
  for (size_t i = 0; i + 1 < value.size(); ++i) {
    unsigned char next = static_cast<unsigned char>(value[i + 1]);
    if (static_cast<unsigned char>(value[i]) == 0xC2 && next >= 0x80 &&
        next <= 0x9F) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " contains a control character"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckName(absl::string_view field, absl::string_view value) {
  if (value.empty() || value.size() > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be 1 to 64 characters"));
  }
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, " may contain only letters, digits, '.', '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace trellis::server
