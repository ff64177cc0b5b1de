// Command-line parsing shared by the Trellis binaries:
//   positional words, "--name value", "--name=value" and boolean "--flag".
// Unknown flags are an error naming the flag, so typos never pass silently.
#ifndef TRELLIS_COMMON_UTIL_ARGS_H_
#define TRELLIS_COMMON_UTIL_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace trellis {

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;

  std::string Get(const std::string& name,
                  const std::string& fallback = "") const;
  bool Has(const std::string& name) const;
  // Integer value of --name, or `fallback` when absent; error when not an
  // integer.
  absl::StatusOr<int64_t> GetInt(const std::string& name,
                                 int64_t fallback) const;
};

struct ArgSpec {
  std::set<std::string> value_flags;  // take a value
  std::set<std::string> bool_flags;   // take none
};

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const ArgSpec& spec);

// "90s", "15m", "24h", "7d" or a plain number of seconds.
absl::StatusOr<absl::Duration> ParseHumanDuration(const std::string& text);

// The inverse for whole seconds, in the largest unit that divides it:
// 86400s -> "1d", 5400s -> "90m", 90s -> "90s". Sub-second parts are dropped.
std::string FormatHumanDuration(absl::Duration duration);

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_ARGS_H_
