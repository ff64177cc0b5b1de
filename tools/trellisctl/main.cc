// trellisctl: admin and help-desk CLI. See ctl_main.h.
#include <unistd.h>

#include <iostream>

#include "tools/trellisctl/ctl_main.h"

int main(int argc, char** argv) {
  // A question can be asked only when a person is at the keyboard.
  bool interactive = isatty(STDIN_FILENO) == 1;
  return trellis::ctl::RunCtl(
      {argv + 1, argv + argc},
      trellis::ctl::CtlIo{std::cin, std::cout, std::cerr, interactive});
}
