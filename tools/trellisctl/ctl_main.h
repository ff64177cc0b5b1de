// trellisctl, the admin and help-desk CLI over the admin API. The command
// logic takes its streams as parameters so tests run it in-process.
#ifndef TRELLIS_TOOLS_TRELLISCTL_CTL_MAIN_H_
#define TRELLIS_TOOLS_TRELLISCTL_CTL_MAIN_H_

#include <ostream>
#include <string>
#include <vector>

#include "tools/trellisctl/ctl.h"

namespace trellis::ctl {

// Exit codes: 0 ok, 1 the server refused or failed, 2 usage error. `args`
// excludes the program name.
int RunCtl(const std::vector<std::string>& args, CtlIo io);

// The same with no terminal: destructive commands need --yes.
int RunCtl(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_CTL_MAIN_H_
