// An in-memory WireGuardInterface with wg's semantics (set creates or
// replaces allowed-ips, an address belongs to one peer at a time, removing
// a missing peer is fine). Thread-safe: the watcher applies from its own
// thread while a test inspects.
#ifndef TRELLIS_GATEWAY_WIREGUARD_FAKE_WIREGUARD_INTERFACE_H_
#define TRELLIS_GATEWAY_WIREGUARD_FAKE_WIREGUARD_INTERFACE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/wireguard/wireguard_interface.h"

namespace trellis::gateway {

class FakeWireGuardInterface : public WireGuardInterface {
 public:
  // Public key -> allowed-ips, in the order they were set.
  using PeerMap = std::map<std::string, std::vector<std::string>>;

  // A peer configured behind the gateway's back (e.g. by hand).
  void AddPeer(const std::string& public_key,
               std::vector<std::string> allowed_ips);

  PeerMap peers() const;
  // Every Apply() call so far, in order.
  std::vector<std::vector<PeerOp>> batches() const;
  int list_calls() const;

  // The next Apply() fails with `error` and changes nothing.
  void FailNextApply(absl::Status error);

  // Waits until `done(peers())` holds; false after `timeout`.
  bool WaitUntil(const std::function<bool(const PeerMap&)>& done,
                 absl::Duration timeout) const;

  absl::StatusOr<std::vector<wireguard::WgPeerState>> ListPeers() override;
  absl::Status Apply(const std::vector<PeerOp>& ops) override;

 private:
  mutable absl::Mutex mu_;
  PeerMap peers_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<PeerOp>> batches_ ABSL_GUARDED_BY(mu_);
  absl::Status next_error_ ABSL_GUARDED_BY(mu_);
  int list_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_WIREGUARD_FAKE_WIREGUARD_INTERFACE_H_
