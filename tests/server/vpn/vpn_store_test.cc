// The store's VPN tables: address allocation, the peer change log and its
// bounds.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/vpn/vpn_test_env.h"

namespace trellis::server {
namespace {

absl::StatusOr<uint32_t> Allocate(Store& store, const std::string& id,
                                  uint32_t first, uint32_t last) {
  uint32_t got = 0;
  absl::Status s = store.WriteSync([&](StoreWriter& w) -> absl::Status {
    auto a = w.AllocateVpnAddress(id, first, last);
    if (!a.ok()) return a.status();
    got = *a;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return got;
}

TEST(VpnStoreTest, AllocatesTheLowestFreeAddressAndFillsGaps) {
  VpnTestEnv env("10.200.0.0/24");
  for (int i = 0; i < 4; ++i) env.AddDevice(absl::StrCat("d", i));
  EXPECT_EQ(*Allocate(env.store(), "d0", 100, 110), 100u);
  EXPECT_EQ(*Allocate(env.store(), "d1", 100, 110), 101u);
  EXPECT_EQ(*Allocate(env.store(), "d2", 100, 110), 102u);
  ASSERT_TRUE(
      env.store()
          .WriteSync([](StoreWriter& w) { return w.ReleaseVpnAddress("d1"); })
          .ok());
  EXPECT_EQ(*Allocate(env.store(), "d3", 100, 110), 101u);
  EXPECT_EQ(*Allocate(env.store(), "d1", 100, 110), 103u);
}

TEST(VpnStoreTest, OneAddressPerDeviceAndNoneTwice) {
  VpnTestEnv env;
  env.AddDevice("d0");
  ASSERT_TRUE(Allocate(env.store(), "d0", 10, 20).ok());
  // The unique constraint refuses a second address for the same device.
  EXPECT_FALSE(Allocate(env.store(), "d0", 10, 20).ok());
}

TEST(VpnStoreTest, ExhaustedRangeIsResourceExhausted) {
  VpnTestEnv env;
  env.AddDevice("d0");
  env.AddDevice("d1");
  ASSERT_TRUE(Allocate(env.store(), "d0", 7, 7).ok());
  auto full = Allocate(env.store(), "d1", 7, 7);
  EXPECT_TRUE(absl::IsResourceExhausted(full.status())) << full.status();
}

TEST(VpnStoreTest, FeedBoundsSurvivePruning) {
  VpnTestEnv env;
  PeerFeedBounds empty = env.Bounds();
  EXPECT_EQ(empty.feed_id.size(), 32u);
  EXPECT_EQ(empty.latest_serial, 0u);
  EXPECT_EQ(empty.oldest_serial, 1u);
  DeviceRecord d = env.AddDevice("d0");
  for (int i = 0; i < 3; ++i) {  // add, remove: two changes each
    d.compliance_state = v1::COMPLIANCE_STATE_COMPLIANT;
    ASSERT_TRUE(env.Save(d).ok());
    d.compliance_state = v1::COMPLIANCE_STATE_STALE;
    ASSERT_TRUE(env.Save(d).ok());
  }
  PeerFeedBounds b = env.Bounds();
  EXPECT_EQ(b.feed_id, empty.feed_id);
  EXPECT_EQ(b.latest_serial, 6u);
  EXPECT_EQ(b.oldest_serial, 1u);
  ASSERT_TRUE(
      env.store()
          .WriteSync([](StoreWriter& w) { return w.PrunePeerChanges(6); })
          .ok());
  b = env.Bounds();
  // Serials are never reused, even once the log is empty.
  EXPECT_EQ(b.latest_serial, 6u);
  EXPECT_EQ(b.oldest_serial, 7u);
  d.compliance_state = v1::COMPLIANCE_STATE_COMPLIANT;
  ASSERT_TRUE(env.Save(d).ok());
  EXPECT_EQ(env.Changes().at(0).serial, 7u);
}

TEST(VpnStoreTest, WireGuardKeysAreUniqueAcrossDevices) {
  VpnTestEnv env;
  DeviceRecord a = env.AddDevice("d0");
  DeviceRecord b = env.AddDevice("d1");
  b.wireguard_public_key = a.wireguard_public_key;
  EXPECT_FALSE(env.store()
                   .WriteSync([&](StoreWriter& w) { return w.UpdateDevice(b); })
                   .ok());
  std::optional<DeviceRecord> found;
  ASSERT_TRUE(env.store()
                  .Read([&](StoreReader& r) -> absl::Status {
                    auto f = r.FindDeviceByWireGuardKey(a.wireguard_public_key);
                    if (!f.ok()) return f.status();
                    found = *f;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->device_id, "d0");
}

}  // namespace
}  // namespace trellis::server
