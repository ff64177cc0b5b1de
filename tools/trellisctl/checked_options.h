// Options whose values are checked as they are parsed, with the shared
// rules of common/util/args.h: a number out of range is refused naming the
// option and its range rather than wrapped, saturated or read as octal (as
// CLI11's own integer conversion does), and the command stops with exit 2
// before it connects to anything.
#ifndef TRELLIS_TOOLS_TRELLISCTL_CHECKED_OPTIONS_H_
#define TRELLIS_TOOLS_TRELLISCTL_CHECKED_OPTIONS_H_

#include <cstdint>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"

namespace trellis::ctl {

// "--limit" or a positional "EXCEPTION_ID": a whole number in [min, max]
// stored in *target (which must outlive the parse). The range is appended
// to `help`.
CLI::Option* AddWholeNumberOption(CLI::App* app, const std::string& name,
                                  int64_t* target, int64_t min, int64_t max,
                                  const std::string& help);

// "--ttl": a duration (90s, 15m, 24h, 7d) in [min, max].
CLI::Option* AddDurationOption(CLI::App* app, const std::string& name,
                               absl::Duration* target, absl::Duration min,
                               absl::Duration max, const std::string& help);

// "--server": HOST:PORT, the port 1-65535, IPv6 in brackets.
CLI::Option* AddEndpointOption(CLI::App* app, const std::string& name,
                               std::string* target, const std::string& help);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_CHECKED_OPTIONS_H_
