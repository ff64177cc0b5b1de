// Which devices a policy or VPN profile is for. Both use one rule, so a
// device that a policy targets by platform, ownership and group is given the
// VPN profile written for the same audience.
#ifndef TRELLIS_COMMON_POLICY_APPLIES_TO_H_
#define TRELLIS_COMMON_POLICY_APPLIES_TO_H_

#include <string>

#include "trellis/v1/common.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// Who the device is, for applies_to.
struct DeviceContext {
  v1::Platform platform = v1::PLATFORM_UNSPECIFIED;
  v1::Ownership ownership = v1::OWNERSHIP_UNSPECIFIED;
  std::string group;
};

// True when every list in `applies_to` is empty (any) or names the device's
// value.
bool AppliesToDevice(const v1::AppliesTo& applies_to,
                     const DeviceContext& device);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_APPLIES_TO_H_
