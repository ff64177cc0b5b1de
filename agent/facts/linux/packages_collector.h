// packages: installed software from the dpkg database (Debian, Ubuntu) or,
// where there is none, from rpm (Fedora, RHEL, SUSE).
#ifndef TRELLIS_AGENT_FACTS_LINUX_PACKAGES_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_PACKAGES_COLLECTOR_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct InstalledPackage {
  std::string name;
  std::string version;
};

// The packages /var/lib/dpkg/status records as installed: stanzas whose
// Status is "<want> ok installed" (held packages are installed too; removed
// ones keeping their config files, half-installed and not-installed ones
// are not). Stanzas without Package or Version are skipped.
std::vector<InstalledPackage> ParseDpkgStatus(absl::string_view text);

// The output of `rpm -qa --queryformat '%{NAME}\t%{VERSION}-%{RELEASE}\n'`;
// lines that are not "name<TAB>version" are skipped.
std::vector<InstalledPackage> ParseRpmQuery(absl::string_view text);

// `source` is deb or rpm.
v1::FactTable PackagesTable(const std::vector<InstalledPackage>& packages,
                            absl::string_view source);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_PACKAGES_COLLECTOR_H_
