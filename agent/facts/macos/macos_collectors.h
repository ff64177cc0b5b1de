// macOS collectors: the commands the agent runs on a Mac, with pure parsers
// (agent/facts/macos/*_parser.h) tested against recorded outputs in
// tests/fixtures/macos/. They compile and are tested on every platform.
#ifndef TRELLIS_AGENT_FACTS_MACOS_MACOS_COLLECTORS_H_
#define TRELLIS_AGENT_FACTS_MACOS_MACOS_COLLECTORS_H_

#include <memory>
#include <vector>

#include "agent/facts/collector.h"

namespace trellis::agent::macos_facts {

// One collector per table; each .cc is <table>_collector.cc.
std::unique_ptr<Collector> NewOsVersionCollector();
std::unique_ptr<Collector> NewDiskEncryptionCollector();
std::unique_ptr<Collector> NewFirewallCollector();
std::unique_ptr<Collector> NewScreenLockCollector();
std::unique_ptr<Collector> NewOsUpdatesCollector();
std::unique_ptr<Collector> NewSecureBootCollector();

// os_version (sw_vers), disk_encryption (fdesetup status), firewall
// (socketfilterfw --getglobalstate), os_updates (softwareupdate -l),
// secure_boot (csrutil status: SIP), screen_lock (sysadminctl -screenLock
// status / defaults read com.apple.screensaver idleTime).
std::vector<std::unique_ptr<Collector>> AllMacosCollectors();

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_MACOS_COLLECTORS_H_
