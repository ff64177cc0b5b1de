// Linux collectors, one file each (agent/facts/linux/<table>_collector.cc),
// each with pure parse functions declared in its own header.
#ifndef TRELLIS_AGENT_FACTS_LINUX_LINUX_COLLECTORS_H_
#define TRELLIS_AGENT_FACTS_LINUX_LINUX_COLLECTORS_H_

#include <memory>
#include <vector>

#include "agent/facts/collector.h"

namespace trellis::agent::linux_facts {

std::unique_ptr<Collector> NewOsVersionCollector();
std::unique_ptr<Collector> NewSystemInfoCollector();
std::unique_ptr<Collector> NewDiskEncryptionCollector();
std::unique_ptr<Collector> NewFirewallCollector();
std::unique_ptr<Collector> NewScreenLockCollector();
std::unique_ptr<Collector> NewOsUpdatesCollector();
std::unique_ptr<Collector> NewSecureBootCollector();
std::unique_ptr<Collector> NewAntimalwareCollector();
std::unique_ptr<Collector> NewUsersCollector();
std::unique_ptr<Collector> NewSshServerCollector();
std::unique_ptr<Collector> NewListeningPortsCollector();
std::unique_ptr<Collector> NewInterfacesCollector();
std::unique_ptr<Collector> NewVpnCollector();
std::unique_ptr<Collector> NewPackagesCollector();
std::unique_ptr<Collector> NewProcessesCollector();

// Every Linux collector above, in schema order.
std::vector<std::unique_ptr<Collector>> AllLinuxCollectors();

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_LINUX_COLLECTORS_H_
