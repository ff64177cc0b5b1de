// Text encodings used in tokens, ids and logs.
#ifndef TRELLIS_COMMON_UTIL_ENCODING_H_
#define TRELLIS_COMMON_UTIL_ENCODING_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace trellis {

std::string HexEncode(absl::string_view bytes);
// Lower- or upper-case hex; nullopt on odd length or a non-hex character.
std::optional<std::string> HexDecode(absl::string_view hex);

// RFC 4648 base64url without padding.
std::string Base64UrlEncode(absl::string_view bytes);
// Strict: rejects padding, whitespace and characters outside the alphabet.
std::optional<std::string> Base64UrlDecode(absl::string_view text);

// RFC 4648 base32, lower case, without padding (used for ids people read).
std::string Base32Encode(absl::string_view bytes);

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_ENCODING_H_
