// Operator actions on devices: list, inspect, revoke.
#ifndef TRELLIS_SERVER_DEVICES_DEVICE_ADMIN_H_
#define TRELLIS_SERVER_DEVICES_DEVICE_ADMIN_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/util/clock.h"
#include "server/policy/policy_registry.h"
#include "server/store/store.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::server {

class DeviceAdmin {
 public:
  DeviceAdmin(Store* store, const Clock* clock, const PolicyRegistry* policies)
      : store_(store), clock_(clock), policies_(policies) {}

  absl::StatusOr<v1::ListDevicesResponse> List(
      const v1::ListDevicesRequest& request);
  absl::StatusOr<v1::GetDeviceResponse> Get(
      const v1::GetDeviceRequest& request);
  absl::StatusOr<v1::GetDeviceHistoryResponse> History(
      const v1::GetDeviceHistoryRequest& request);
  void Revoke(
      const std::string& actor, const v1::RevokeDeviceRequest& request,
      std::function<void(absl::StatusOr<v1::RevokeDeviceResponse>)> done);

  static v1::DeviceSummary ToSummary(const DeviceRecord& device);

 private:
  Store* store_;
  const Clock* clock_;
  const PolicyRegistry* policies_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_DEVICES_DEVICE_ADMIN_H_
