// A real SQLite store with devices, a bundle with one VPN profile, and a
// PeerSync over a small pool: what the server's VPN tests share.
#ifndef TRELLIS_TESTS_SERVER_VPN_VPN_TEST_ENV_H_
#define TRELLIS_TESTS_SERVER_VPN_VPN_TEST_ENV_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/wireguard_key.h"
#include "gtest/gtest.h"
#include "server/store/sqlite_store.h"
#include "server/vpn/peer_sync.h"
#include "server/vpn/tunnel_address_pool.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {

inline const absl::Time kVpnT0 = absl::FromUnixSeconds(1767225600);

inline v1::VpnProfile TestProfile() {
  v1::VpnProfile p;
  p.set_id("remote");
  p.set_title("Remote access");
  p.set_gateway_endpoint("192.0.2.1:51820");
  p.set_gateway_public_key(*crypto::WireGuardPublicKey(
      "aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd28="));
  p.add_routes("10.10.0.0/16");
  p.add_remediation_destinations("10.10.5.0/24");
  p.set_mode(v1::VPN_MODE_ALWAYS_ON);
  return p;
}

class VpnTestEnv {
 public:
  // `pool` of /29 leaves 5 device addresses.
  explicit VpnTestEnv(const std::string& pool = "10.200.0.0/29")
      : pool_(*MakeTunnelAddressPool(pool)),
        bundle_(std::make_shared<v1::PolicyBundle>()),
        sync_(&pool_, [this] { return bundle_; }) {
    *bundle_->add_vpn_profiles() = TestProfile();
    auto store = SqliteStore::Open({dir_.File("trellis.db")});
    EXPECT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  Store& store() { return *store_; }
  PeerSync& sync() { return sync_; }
  const TunnelAddressPool& pool() const { return pool_; }
  void SetBundle(std::shared_ptr<v1::PolicyBundle> b) {
    bundle_ = std::move(b);
  }

  // An active, compliant corporate Linux device with a fresh WireGuard key.
  DeviceRecord AddDevice(const std::string& id) {
    DeviceRecord d;
    d.device_id = id;
    d.key_hash = absl::StrCat("key-", id);
    d.hostname = id;
    d.platform = v1::PLATFORM_LINUX;
    d.ownership = v1::OWNERSHIP_CORPORATE;
    d.group = "staff";
    d.state = v1::DEVICE_STATE_ACTIVE;
    d.enrolled_at = kVpnT0;
    d.cert_expires_at = kVpnT0 + absl::Hours(24);
    d.compliance_state = v1::COMPLIANCE_STATE_COMPLIANT;
    d.wireguard_public_key = crypto::GenerateWireGuardKeyPair()->public_key;
    EXPECT_TRUE(
        store_->WriteSync([&](StoreWriter& w) { return w.InsertDevice(d); })
            .ok());
    return d;
  }

  // Writes `d` and syncs its peer in one write, as the server does.
  absl::StatusOr<v1::VpnAssignment> Save(const DeviceRecord& d) {
    v1::VpnAssignment out;
    absl::Status s = store_->WriteSync([&](StoreWriter& w) -> absl::Status {
      absl::Status u = w.UpdateDevice(d);
      if (!u.ok()) return u;
      auto a = sync_.Sync(w, d, kVpnT0);
      if (!a.ok()) return a.status();
      out = *a;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::vector<VpnPeerRecord> Changes(uint64_t after = 0) {
    std::vector<VpnPeerRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto c = r.ListPeerChanges(after, 1000);
                      if (!c.ok()) return c.status();
                      out = *c;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  std::vector<VpnPeerRecord> Peers() {
    std::vector<VpnPeerRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto c = r.ListVpnPeers();
                      if (!c.ok()) return c.status();
                      out = *c;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  PeerFeedBounds Bounds() {
    PeerFeedBounds b;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto x = r.GetPeerFeedBounds();
                      if (!x.ok()) return x.status();
                      b = *x;
                      return absl::OkStatus();
                    })
                    .ok());
    return b;
  }

 private:
  testing::TempDir dir_;
  TunnelAddressPool pool_;
  std::shared_ptr<v1::PolicyBundle> bundle_;
  PeerSync sync_;
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace trellis::server

#endif  // TRELLIS_TESTS_SERVER_VPN_VPN_TEST_ENV_H_
