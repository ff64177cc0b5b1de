// Keeps the kernel's nftables quarantine table equal to the quarantined
// peers. The ruleset is written to a file and loaded with `nft -f`, which
// applies the whole file as one transaction.
#ifndef TRELLIS_GATEWAY_ACCESS_QUARANTINE_FIREWALL_H_
#define TRELLIS_GATEWAY_ACCESS_QUARANTINE_FIREWALL_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/exec/command_runner.h"
#include "gateway/access/quarantine_ruleset.h"

namespace trellis::gateway {

class QuarantineFirewall {
 public:
  // `runner` must outlive this object. The ruleset file is
  // `rules_dir`/<table>.nft (0600; the directory is made 0700 if missing);
  // it stays there afterwards, showing what was last loaded.
  QuarantineFirewall(std::string interface_name, CommandRunner* runner,
                     std::string rules_dir);

  // Loads the ruleset for `peers` unless it is what was last loaded; with
  // no quarantined peers the table is removed. The first call always loads,
  // which replaces or removes whatever an earlier run left behind. When nft
  // is missing the error names it (unless nothing is quarantined).
  absl::Status Enforce(const QuarantineSet& peers);

  // True when `peers` differs from what was last loaded successfully.
  bool NeedsUpdate(const QuarantineSet& peers) const;

  std::string rules_path() const;

 private:
  std::string interface_name_;
  CommandRunner* runner_;
  std::string rules_dir_;
  // What the kernel holds; empty until the first successful load, and after
  // a failed one (the kernel state is then unknown).
  std::optional<QuarantineSet> loaded_;
};

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_ACCESS_QUARANTINE_FIREWALL_H_
