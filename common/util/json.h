// A tiny JSON object writer for audit details and log fields. Output is
// compact and keys keep insertion order.
#ifndef TRELLIS_COMMON_UTIL_JSON_H_
#define TRELLIS_COMMON_UTIL_JSON_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace trellis {

// Quotes and escapes `text` as a JSON string (control characters as \u00XX;
// invalid UTF-8 bytes are replaced with U+FFFD so output is always valid).
std::string JsonQuote(absl::string_view text);

class JsonObject {
 public:
  JsonObject& Add(absl::string_view key, absl::string_view value);
  JsonObject& Add(absl::string_view key, const char* value) {
    return Add(key, absl::string_view(value));
  }
  JsonObject& Add(absl::string_view key, int64_t value);
  JsonObject& Add(absl::string_view key, bool value);
  std::string Build() const { return "{" + body_ + "}"; }

 private:
  void Key(absl::string_view key);
  std::string body_;
};

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_JSON_H_
