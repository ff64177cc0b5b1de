// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates,
// nothing above U+10FFFF.
#ifndef TRELLIS_COMMON_UTIL_UTF8_H_
#define TRELLIS_COMMON_UTIL_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace trellis {

// Length of the well-formed sequence starting at s[i], or 0 if there is none.
size_t Utf8SequenceLength(absl::string_view s, size_t i);

bool IsValidUtf8(absl::string_view s);

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_UTF8_H_
