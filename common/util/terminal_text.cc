#include "common/util/terminal_text.h"

#include <cstdint>

#include "absl/strings/str_format.h"
#include "common/util/utf8.h"

namespace trellis {
namespace {

uint32_t DecodeCodePoint(absl::string_view s, size_t i, size_t n) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (n == 1) return b(0);
  uint32_t cp = b(0) & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (b(k) & 0x3F);
  return cp;
}

bool IsInvisibleControl(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) ||      // C1 controls (CSI is U+009B)
         (cp >= 0x200B && cp <= 0x200F) ||  // zero-width and direction marks
         (cp >= 0x2028 && cp <= 0x202E) ||  // separators, bidi embeddings
         (cp >= 0x2066 && cp <= 0x2069) ||  // bidi isolates
         cp == 0xFEFF;
}

std::string Escape(absl::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      absl::StrAppendFormat(&out, "\\x%02X",
                            static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    uint32_t cp = DecodeCodePoint(text, i, n);
    if (n == 1) {
      char c = text[i];
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += keep_newlines ? "\n" : "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == 0x1B) {
        out += "\\e";
      } else if (cp < 0x20 || cp == 0x7F) {
        absl::StrAppendFormat(&out, "\\x%02X", cp);
      } else {
        out += c;
      }
    } else if (IsInvisibleControl(cp)) {
      absl::StrAppendFormat(&out, "\\u{%04X}", cp);
    } else {
      out.append(text.data() + i, n);
    }
    i += n;
  }
  return out;
}

}  // namespace

std::string TerminalSafe(absl::string_view text) { return Escape(text, false); }

std::string TerminalSafeMultiline(absl::string_view text) {
  return Escape(text, true);
}

}  // namespace trellis
