#include "gateway/peers/desired_peer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/testing/peer_messages.h"

namespace trellis::gateway {
namespace {

using ::testing::ElementsAre;
using testing::FullPeer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Key;
using testing::QuarantinedPeer;

TEST(DesiredPeerTest, CanonicalisesAddresses) {
  absl::StatusOr<DesiredPeer> peer = ToDesiredPeer(
      FullPeer(1, "dev-1", {"10.200.0.8", "10.200.0.7/32", "10.200.0.8/32"}));
  ASSERT_TRUE(peer.ok()) << peer.status();
  EXPECT_EQ(peer->public_key, Key(1));
  EXPECT_EQ(peer->device_id, "dev-1");
  EXPECT_FALSE(peer->quarantined());
  EXPECT_THAT(peer->allowed_ips, ElementsAre("10.200.0.7/32", "10.200.0.8/32"));
}

TEST(DesiredPeerTest, DestinationsOnlyForQuarantine) {
  v1::GatewayPeer full = FullPeer(1, "dev-1", {"10.200.0.7/32"});
  full.add_permitted_destinations("10.1.0.0/16");
  EXPECT_THAT(ToDesiredPeer(full)->permitted_destinations, IsEmpty());
  absl::StatusOr<DesiredPeer> quarantined = ToDesiredPeer(QuarantinedPeer(
      2, "dev-2", {"10.200.0.9/32"}, {"10.1.2.3/16", "10.9.9.9"}));
  ASSERT_TRUE(quarantined.ok());
  EXPECT_TRUE(quarantined->quarantined());
  EXPECT_THAT(quarantined->permitted_destinations,
              ElementsAre("10.1.0.0/16", "10.9.9.9/32"));
}

TEST(DesiredPeerTest, ErrorsNameThePeerAndField) {
  v1::GatewayPeer bad_key = FullPeer(1, "dev-1", {"10.200.0.7/32"});
  bad_key.set_public_key("not-a-key");
  EXPECT_THAT(ToDesiredPeer(bad_key).status().message(),
              HasSubstr("peer (device dev-1, key not-a-key): public_key"));

  v1::GatewayPeer zero_key = FullPeer(1, "dev-1", {"10.200.0.7/32"});
  zero_key.set_public_key(std::string(43, 'A') + "=");
  EXPECT_THAT(ToDesiredPeer(zero_key).status().message(),
              HasSubstr("public_key"));

  absl::Status bad_ip =
      ToDesiredPeer(FullPeer(1, "dev-1", {"10.200.0.300/32"})).status();
  EXPECT_THAT(bad_ip.message(), HasSubstr("device dev-1"));
  EXPECT_THAT(bad_ip.message(), HasSubstr("allowed_ips: '10.200.0.300/32'"));

  absl::Status bad_destination =
      ToDesiredPeer(QuarantinedPeer(1, "dev-1", {"10.200.0.7/32"}, {"x"}))
          .status();
  EXPECT_THAT(bad_destination.message(), HasSubstr("permitted_destinations"));
}

TEST(DesiredPeerTest, LogLabelsAreSafe) {
  v1::GatewayPeer peer = FullPeer(1, "dev\n2026-01-01 INFO forged", {});
  peer.set_public_key(std::string(500, 'A'));
  std::string message(ToDesiredPeer(peer).status().message());
  EXPECT_THAT(message, ::testing::Not(HasSubstr("\n")));
  EXPECT_LT(message.size(), 300u);
}

}  // namespace
}  // namespace trellis::gateway
