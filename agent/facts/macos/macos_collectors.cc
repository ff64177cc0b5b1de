#include "agent/facts/macos/macos_collectors.h"

namespace trellis::agent::macos_facts {

std::vector<std::unique_ptr<Collector>> AllMacosCollectors() {
  std::vector<std::unique_ptr<Collector>> all;
  // In schema order.
  all.push_back(NewOsVersionCollector());
  all.push_back(NewDiskEncryptionCollector());
  all.push_back(NewFirewallCollector());
  all.push_back(NewScreenLockCollector());
  all.push_back(NewOsUpdatesCollector());
  all.push_back(NewSecureBootCollector());
  return all;
}

}  // namespace trellis::agent::macos_facts
