#include "common/util/terminal_text.h"

#include "gtest/gtest.h"

namespace trellis {
namespace {

TEST(TerminalSafeTest, KeepsPrintableTextAndUtf8) {
  EXPECT_EQ(TerminalSafe("Debian GNU/Linux 12 (bookworm)"),
            "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(TerminalSafe("Gwynedd — Caernarfon ✓"), "Gwynedd — Caernarfon ✓");
}

TEST(TerminalSafeTest, EscapesEscapeSequencesAndLineBreaks) {
  EXPECT_EQ(TerminalSafe("a\x1b]0;pwned\x07z"), "a\\e]0;pwned\\x07z");
  EXPECT_EQ(TerminalSafe("ok\r\nFAKE LINE"), "ok\\r\\nFAKE LINE");
  EXPECT_EQ(TerminalSafe("\t\x7f"), "\\t\\x7F");
}

TEST(TerminalSafeTest, EscapesC1AndBidiControls) {
  EXPECT_EQ(TerminalSafe("x\xc2\x9b"
                         "31m"),
            "x\\u{009B}31m");  // CSI
  EXPECT_EQ(TerminalSafe("abc\xe2\x80\xae"
                         "fdp.exe"),
            "abc\\u{202E}fdp.exe");  // right-to-left override
  EXPECT_EQ(TerminalSafe("\xef\xbb\xbf"
                         "x"),
            "\\u{FEFF}x");
}

TEST(TerminalSafeTest, EscapesInvalidUtf8Bytes) {
  EXPECT_EQ(TerminalSafe("a\xff\xc0\xafz"), "a\\xFF\\xC0\\xAFz");
}

TEST(TerminalSafeTest, BackslashCannotForgeAnEscape) {
  EXPECT_EQ(TerminalSafe("\\e"), "\\\\e");
  EXPECT_NE(TerminalSafe("\\e"), TerminalSafe("\x1b"));
}

TEST(TerminalSafeMultilineTest, KeepsNewlinesOnly) {
  EXPECT_EQ(TerminalSafeMultiline("line 1\nline 2\r\x1b[2J"),
            "line 1\nline 2\\r\\e[2J");
}

}  // namespace
}  // namespace trellis
