#include "agent/facts/android/android_collectors.h"

namespace trellis::agent::android_facts {

std::vector<std::unique_ptr<Collector>> AllAndroidCollectors() {
  std::vector<std::unique_ptr<Collector>> all;
  // In schema order.
  all.push_back(NewOsVersionCollector());
  all.push_back(NewDiskEncryptionCollector());
  all.push_back(NewScreenLockCollector());
  all.push_back(NewMobileSecurityCollector());
  return all;
}

}  // namespace trellis::agent::android_facts
