// Windows collectors: the commands the agent runs on Windows (PowerShell
// cmdlets with ConvertTo-Json; see powershell.h), with pure parsers tested
// against recorded outputs in tests/fixtures/windows/. They compile and are
// tested on every platform.
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_WINDOWS_COLLECTORS_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_WINDOWS_COLLECTORS_H_

#include <memory>
#include <vector>

#include "agent/facts/collector.h"

namespace trellis::agent::windows_facts {

// One collector per table; each .cc is <table>_collector.cc.
std::unique_ptr<Collector> NewOsVersionCollector();
std::unique_ptr<Collector> NewDiskEncryptionCollector();
std::unique_ptr<Collector> NewFirewallCollector();
std::unique_ptr<Collector> NewOsUpdatesCollector();
std::unique_ptr<Collector> NewSecureBootCollector();
std::unique_ptr<Collector> NewAntimalwareCollector();
std::unique_ptr<Collector> NewUsersCollector();

// disk_encryption (BitLocker), firewall (profiles), antimalware (Defender),
// secure_boot, os_updates (pending updates), users (local administrators),
// os_version.
std::vector<std::unique_ptr<Collector>> AllWindowsCollectors();

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_WINDOWS_COLLECTORS_H_
