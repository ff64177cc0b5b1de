// Operator actions on devices: list, inspect, revoke, retire.
#ifndef TRELLIS_SERVER_DEVICES_DEVICE_ADMIN_H_
#define TRELLIS_SERVER_DEVICES_DEVICE_ADMIN_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/util/clock.h"
#include "server/policy/policy_registry.h"
#include "server/store/store.h"
#include "server/vpn/peer_sync.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::server {

class DeviceAdmin {
 public:
  DeviceAdmin(Store* store, const Clock* clock, const PolicyRegistry* policies,
              const PeerSync* peers)
      : store_(store), clock_(clock), policies_(policies), peers_(peers) {}

  absl::StatusOr<v1::ListDevicesResponse> List(
      const v1::ListDevicesRequest& request);
  absl::StatusOr<v1::GetDeviceResponse> Get(
      const v1::GetDeviceRequest& request);
  absl::StatusOr<v1::GetDeviceHistoryResponse> History(
      const v1::GetDeviceHistoryRequest& request);
  void Revoke(
      const std::string& actor, const v1::RevokeDeviceRequest& request,
      std::function<void(absl::StatusOr<v1::RevokeDeviceResponse>)> done);

  void Retire(
      const std::string& actor, const v1::RetireDeviceRequest& request,
      std::function<void(absl::StatusOr<v1::RetireDeviceResponse>)> done);

  static v1::DeviceSummary ToSummary(const DeviceRecord& device);
  // Adds the tunnel address and current gateway access.
  static absl::Status FillVpn(StoreReader& reader, v1::DeviceSummary* summary);

 private:
  // Revoke and retire: the state change, its compliance transition, the
  // gateway peer's removal and the audit entry, in one write.
  void End(const std::string& actor, const std::string& device_id,
           const std::string& reason, v1::DeviceState to,
           v1::DeviceSummary* summary, Store::DoneFn done);

  Store* store_;
  const Clock* clock_;
  const PolicyRegistry* policies_;
  const PeerSync* peers_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_DEVICES_DEVICE_ADMIN_H_
