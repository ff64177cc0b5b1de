// os_version on Linux: os-release(5) for the distribution, uname(2) for the
// kernel. security_patch_level is an Android notion and stays NULL here.
#ifndef TRELLIS_AGENT_FACTS_LINUX_OS_VERSION_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_OS_VERSION_COLLECTOR_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "agent/facts/system_source.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct OsVersion {
  std::optional<std::string> name;
  std::optional<std::string> version;
  std::optional<std::string> version_id;
  std::optional<std::string> id;
  std::optional<std::string> pretty_name;
  std::optional<std::string> kernel_release;
  std::optional<std::string> arch;
};

// Fills the distribution fields from os-release text; keys the file does
// not carry (rolling releases have no VERSION_ID) stay unset.
OsVersion ParseOsVersion(absl::string_view os_release);

// Adds uname's kernel release and machine to `version`.
void AddUname(const UnameInfo& uname, OsVersion* version);

// The one-row table.
v1::FactTable OsVersionTable(const OsVersion& version);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_OS_VERSION_COLLECTOR_H_
