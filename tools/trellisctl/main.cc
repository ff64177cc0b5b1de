// trellisctl: admin and help-desk CLI. See ctl_main.h.
#include <iostream>

#include "tools/trellisctl/ctl_main.h"

int main(int argc, char** argv) {
  return trellis::ctl::RunCtl({argv + 1, argv + argc}, std::cout, std::cerr);
}
