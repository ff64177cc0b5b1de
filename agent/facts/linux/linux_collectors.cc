#include "agent/facts/linux/linux_collectors.h"

namespace trellis::agent::linux_facts {

std::vector<std::unique_ptr<Collector>> AllLinuxCollectors() {
  std::vector<std::unique_ptr<Collector>> all;
  all.push_back(NewOsVersionCollector());
  all.push_back(NewSystemInfoCollector());
  all.push_back(NewDiskEncryptionCollector());
  all.push_back(NewFirewallCollector());
  all.push_back(NewScreenLockCollector());
  all.push_back(NewOsUpdatesCollector());
  all.push_back(NewSecureBootCollector());
  all.push_back(NewAntimalwareCollector());
  all.push_back(NewUsersCollector());
  all.push_back(NewSshServerCollector());
  all.push_back(NewListeningPortsCollector());
  all.push_back(NewInterfacesCollector());
  all.push_back(NewVpnCollector());
  all.push_back(NewPackagesCollector());
  all.push_back(NewProcessesCollector());
  return all;
}

}  // namespace trellis::agent::linux_facts
