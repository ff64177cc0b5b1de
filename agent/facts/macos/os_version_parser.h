// os_version on macOS: `sw_vers` for the product name, version and build,
// and `uname -m` for the CPU architecture.
#ifndef TRELLIS_AGENT_FACTS_MACOS_OS_VERSION_PARSER_H_
#define TRELLIS_AGENT_FACTS_MACOS_OS_VERSION_PARSER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::macos_facts {

struct SwVers {
  std::optional<std::string> product_name;  // "macOS", or "Mac OS X" (<11)
  std::string product_version;              // "14.4.1"
  // "(a)" while a Rapid Security Response is applied (macOS 13+).
  std::optional<std::string> product_version_extra;
  std::optional<std::string> build_version;  // "23E224"
};

// Parses `sw_vers` ("ProductVersion:\t14.4.1" lines). Unknown keys are
// ignored; a missing or non-numeric ProductVersion is an error, since then
// the output is not sw_vers' (or was cut off before the version).
absl::StatusOr<SwVers> ParseSwVers(absl::string_view text);

// Parses `uname -m`: a single word such as "arm64" or "x86_64".
absl::StatusOr<std::string> ParseUnameMachine(absl::string_view text);

// The one-row table. `arch` is NULL when uname could not be read.
v1::FactTable BuildOsVersionTable(const SwVers& sw,
                                  const std::optional<std::string>& arch);

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_OS_VERSION_PARSER_H_
