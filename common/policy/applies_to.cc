#include "common/policy/applies_to.h"

#include <algorithm>

namespace trellis::policy {
namespace {

template <typename Repeated, typename T>
bool ContainsOrEmpty(const Repeated& list, const T& value) {
  return list.empty() ||
         std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool AppliesToDevice(const v1::AppliesTo& applies_to,
                     const DeviceContext& device) {
  return ContainsOrEmpty(applies_to.platforms(), device.platform) &&
         ContainsOrEmpty(applies_to.ownership(), device.ownership) &&
         ContainsOrEmpty(applies_to.groups(), device.group);
}

}  // namespace trellis::policy
