#include "agent/facts/windows/windows_collectors.h"

namespace trellis::agent::windows_facts {

std::vector<std::unique_ptr<Collector>> AllWindowsCollectors() {
  std::vector<std::unique_ptr<Collector>> all;
  // In schema order.
  all.push_back(NewOsVersionCollector());
  all.push_back(NewDiskEncryptionCollector());
  all.push_back(NewFirewallCollector());
  all.push_back(NewOsUpdatesCollector());
  all.push_back(NewSecureBootCollector());
  all.push_back(NewAntimalwareCollector());
  all.push_back(NewUsersCollector());
  return all;
}

}  // namespace trellis::agent::windows_facts
