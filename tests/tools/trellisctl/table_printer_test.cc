#include "tools/trellisctl/table_printer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::ctl {
namespace {

TEST(TablePrinterTest, CellsAreTerminalSafeAndAligned) {
  TablePrinter t({"HOST", "OS"});
  t.AddRow({"a\x1b[2Jb", "1\r\n2"});
  t.AddRow({"plain", "x"});
  EXPECT_EQ(t.Render(),
            "HOST     OS\n"
            "a\\e[2Jb  1\\r\\n2\n"
            "plain    x\n");
}

}  // namespace
}  // namespace trellis::ctl
