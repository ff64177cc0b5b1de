// Android collectors: getprop, settings and dumpsys as the agent runs them
// on a phone, with pure parsers tested against recorded outputs in
// tests/fixtures/android/. They compile and are tested on every platform.
#ifndef TRELLIS_AGENT_FACTS_ANDROID_ANDROID_COLLECTORS_H_
#define TRELLIS_AGENT_FACTS_ANDROID_ANDROID_COLLECTORS_H_

#include <memory>
#include <vector>

#include "agent/facts/collector.h"

namespace trellis::agent::android_facts {

// One collector per table; each .cc is <table>_collector.cc.
std::unique_ptr<Collector> NewOsVersionCollector();
std::unique_ptr<Collector> NewDiskEncryptionCollector();
std::unique_ptr<Collector> NewScreenLockCollector();
std::unique_ptr<Collector> NewMobileSecurityCollector();

// os_version (release, security patch level), mobile_security (encryption
// state, lock screen secure, developer options, USB debugging, root
// indicators), disk_encryption, screen_lock.
std::vector<std::unique_ptr<Collector>> AllAndroidCollectors();

}  // namespace trellis::agent::android_facts

#endif  // TRELLIS_AGENT_FACTS_ANDROID_ANDROID_COLLECTORS_H_
