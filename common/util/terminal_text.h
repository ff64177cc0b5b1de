// Making untrusted text safe to print on a terminal.
//
// Device-reported facts, policy titles and server messages can hold ESC,
// OSC, CR/LF or bidi controls that would move the cursor, rewrite earlier
// lines or change a window title when printed raw. Every human-facing output
// of Trellis passes such text through here first.
#ifndef TRELLIS_COMMON_UTIL_TERMINAL_TEXT_H_
#define TRELLIS_COMMON_UTIL_TERMINAL_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace trellis {

// Returns `text` with every C0/C1 control character, DEL and Unicode
// bidi/format control (U+200B..U+200F, U+202A..U+202E, U+2066..U+2069,
// U+FEFF) written as a visible escape (\n, \t, \r, \e, \xHH or \u{HHHH}).
// A backslash is written as "\\" so an escape cannot be forged, and bytes
// that are not valid UTF-8 are written as \xHH. Printable UTF-8 is kept.
std::string TerminalSafe(absl::string_view text);

// The same, for text that is laid out on several lines on purpose (for
// example a remediation paragraph): '\n' is kept, everything else as above.
std::string TerminalSafeMultiline(absl::string_view text);

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_TERMINAL_TEXT_H_
