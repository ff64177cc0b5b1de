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
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace trellis {

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;

  std::string Get(const std::string& name,
                  const std::string& fallback = "") const;
  bool Has(const std::string& name) const;
  // ParseIntFlag of --name's value, or `fallback` when absent.
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t fallback,
                                 int64_t min, int64_t max) const;
};

struct ArgSpec {
  std::set<std::string> value_flags;  // take a value
  std::set<std::string> bool_flags;   // take none
};

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const ArgSpec& spec);

// "90s", "15m", "24h", "7d" or a plain number of seconds.
absl::StatusOr<absl::Duration> ParseHumanDuration(const std::string& text);

// Flag values, checked so that nothing out of range is wrapped, truncated
// or saturated on its way in. Errors are InvalidArgument naming --NAME and
// what it takes.

// A whole number in [min, max]: decimal digits with an optional leading
// '-' and nothing else ("010" is ten, "0x10" and " 5" are refused), as
// int64_t before any narrowing, so 4294967297 is too many rather than 1.
absl::StatusOr<int64_t> ParseIntFlag(const std::string& name,
                                     const std::string& text, int64_t min,
                                     int64_t max);

// ParseHumanDuration's duration, required to lie in [min, max].
absl::StatusOr<absl::Duration> ParseDurationFlag(const std::string& name,
                                                 const std::string& text,
                                                 absl::Duration min,
                                                 absl::Duration max);

// "10m-365d": a duration flag's range as usage texts show it.
std::string FormatDurationRange(absl::Duration min, absl::Duration max);

// "--NAME must be between MIN and MAX (got VALUE)" unless in [min, max];
// for a duration that was set in code rather than parsed.
absl::Status CheckDurationFlag(const std::string& name, absl::Duration value,
                               absl::Duration min, absl::Duration max);

// HOST:PORT to connect to: an IPv4 address, [IPv6] or a DNS name, and a
// port 1-65535 (net::ParseEndpoint's rules).
absl::Status CheckEndpointFlag(const std::string& name,
                               const std::string& text);

// One flag as a command both accepts and documents. A command keeps one
// table of these and derives its ArgSpec and its usage text from it, so a
// flag cannot be accepted without being listed, or listed without being
// accepted.
struct FlagDoc {
  std::string name;   // without the leading "--"
  std::string value;  // the value's name in usage ("HOST:PORT"); empty: a switch
  std::string help;   // what it sets, its range and its default
};

ArgSpec ArgSpecOf(const std::vector<FlagDoc>& flags);

// ParseArgs with the flags of the table and no positional words: a stray
// word is an error naming it.
absl::StatusOr<ParsedArgs> ParseFlags(const std::vector<std::string>& args,
                                      const std::vector<FlagDoc>& flags);

// `text` wrapped at 79 columns, every line indented by `indent` spaces.
std::string WrapText(absl::string_view text, size_t indent);

// One "--name VALUE  help" line per flag, indented by `indent` spaces, the
// help column aligned and wrapped at 79 columns.
std::string FormatFlagDocs(const std::vector<FlagDoc>& flags,
                           size_t indent = 2);

// The inverse for whole seconds, in the largest unit that divides it:
// 86400s -> "1d", 5400s -> "90m", 90s -> "90s". Sub-second parts are dropped.
std::string FormatHumanDuration(absl::Duration duration);

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_ARGS_H_
