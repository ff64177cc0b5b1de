// VPN access through the real server: agents' WireGuard keys at check-in,
// tunnel addresses from the pool, the VPN profile with the verdict, and a
// real gateway watcher (trellis-gateway's library, mutual TLS with a
// gateway credential) keeping an interface equal to the allow-list as
// verdicts change, across a server restart. The interface is the in-memory
// fake; tests/e2e/vpn_netns_e2e_test.sh does the same with real WireGuard.
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/crypto/wireguard_key.h"
#include "common/identity/operator_credentials.h"
#include "common/util/files.h"
#include "gateway/rpc/gateway_channel.h"
#include "gateway/sync/peer_watcher.h"
#include "gateway/wireguard/fake_wireguard_interface.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"
#include "trellis/v1/gateway_service.grpc.pb.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPolicy[] = R"(id: vpn-posture
title: VPN posture
enforcement: restrict
applies_to: {groups: [staff]}
checks:
  - id: debian-12
    title: Runs Debian 12
    query: SELECT 1 FROM os_version WHERE version_id = '12'
)";

constexpr char kQuarantinePolicy[] = R"(id: quarantine-posture
title: Quarantine posture
enforcement: quarantine
applies_to: {groups: [quarantine]}
checks:
  - id: debian-12
    title: Runs Debian 12
    query: SELECT 1 FROM os_version WHERE version_id = '12'
)";

std::string Profile(const std::string& gateway_key) {
  return absl::StrCat(R"(vpn_profile:
  id: remote
  title: Remote access
  gateway: {endpoint: "vpn.council.example:51820", public_key: ")",
                      gateway_key, R"("}
  routes: [10.10.0.0/16]
  dns: {servers: [10.10.0.53], search_domains: [corp.council.example]}
  keepalive: 25s
  mode: always-on
  remediation_destinations: [10.10.5.0/24]
)");
}

class VpnAccessTest : public IntegrationTest {
 protected:
  void SetUp() override {
    server::ServerConfig config = BaseConfig();
    config.vpn_pool = "10.99.0.0/24";
    config.peer_feed_heartbeat = absl::Milliseconds(200);
    StartServer(config);
    std::string dir = dir_.File("policies");
    ASSERT_TRUE(MakeDirs(dir).ok());
    ASSERT_TRUE(WriteFileAtomic(dir + "/p.yaml", kPolicy).ok());
    ASSERT_TRUE(WriteFileAtomic(dir + "/q.yaml", kQuarantinePolicy).ok());
    gateway_key_ = crypto::GenerateWireGuardKeyPair()->public_key;
    ASSERT_TRUE(WriteFileAtomic(dir + "/vpn.yaml", Profile(gateway_key_)).ok());
    CtlResult applied = Ctl(admin_credentials_, {"policy", "apply", dir});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    EXPECT_THAT(applied.out, HasSubstr("remote"));
  }

  void TearDown() override { StopWatcher(); }

  void SetVersion(const std::string& machine, const std::string& v) {
    Machine(machine).system.files["/etc/os-release"] =
        absl::StrCat("ID=debian\nVERSION_ID=\"", v, "\"\n");
  }

  std::string WireGuardKeyOf(const agent::AgentState& state) {
    auto private_key = ReadFile(state.WireGuardKeyPath());
    EXPECT_TRUE(private_key.ok()) << private_key.status();
    return *crypto::WireGuardPublicKey(
        absl::StripAsciiWhitespace(private_key.value_or("")));
  }

  // A gateway following the server with its own credential.
  void StartWatcher() {
    auto creds = identity::ParseOperatorCredentials(
        *ReadFile(CreateOperator("gw-1", "gateway")));
    ASSERT_TRUE(creds.ok()) << creds.status();
    gateway::PeerWatcherOptions options;
    options.initial_backoff = absl::Milliseconds(50);
    options.max_backoff = absl::Milliseconds(200);
    watcher_ = std::make_unique<gateway::PeerWatcher>(
        gateway::MakeGatewayChannel(address(), *creds), &interface_, nullptr,
        options);
    watcher_thread_ = std::thread([this] { watcher_->Run(); });
  }
  void StopWatcher() {
    if (watcher_ == nullptr) return;
    watcher_->Stop();
    watcher_thread_.join();
    watcher_.reset();
  }

  bool GatewayHas(const std::string& key, bool present) {
    return interface_.WaitUntil(
        [&](const gateway::FakeWireGuardInterface::PeerMap& peers) {
          return peers.count(key) == (present ? 1u : 0u);
        },
        absl::Seconds(10));
  }

  std::string gateway_key_;
  gateway::FakeWireGuardInterface interface_;
  std::unique_ptr<gateway::PeerWatcher> watcher_;
  std::thread watcher_thread_;
};

TEST_F(VpnAccessTest, CheckInGetsAddressProfileAndAccess) {
  SetVersion("laptop", "12");
  auto state = Enroll(CreateToken(), "laptop");
  ASSERT_TRUE(state.ok()) << state.status();
  auto r = CheckIn(*state);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->has_vpn());
  EXPECT_EQ(r->vpn().access(), v1::VPN_ACCESS_FULL);
  EXPECT_EQ(r->vpn().tunnel_address(), "10.99.0.2/32");
  EXPECT_EQ(r->vpn().profile().id(), "remote");
  EXPECT_EQ(r->vpn().profile().gateway_public_key(), gateway_key_);
  // The private key stays on the device: 0600, and only its public half is
  // what the server knows.
  std::string id = state->LoadRecord()->device_id;
  CtlResult show = Ctl(admin_credentials_, {"device", "show", id});
  EXPECT_THAT(show.out, HasSubstr("full"));
  EXPECT_THAT(show.out, HasSubstr("10.99.0.2/32"));
  EXPECT_THAT(show.out, HasSubstr(WireGuardKeyOf(*state)));
  auto private_key = ReadFile(state->WireGuardKeyPath());
  EXPECT_EQ(
      show.out.find(std::string(absl::StripAsciiWhitespace(*private_key))),
      std::string::npos);

  SetVersion("laptop", "11");
  clock_.Advance(absl::Minutes(1));
  auto failing = CheckIn(*state);
  ASSERT_TRUE(failing.ok());
  EXPECT_EQ(failing->vpn().access(), v1::VPN_ACCESS_NONE);
  EXPECT_THAT(failing->vpn().reason(), HasSubstr("noncompliant"));
  EXPECT_EQ(failing->vpn().tunnel_address(), "10.99.0.2/32");
}

TEST_F(VpnAccessTest, GatewayFollowsVerdictsRevokeRetireAndRestart) {
  SetVersion("a", "12");
  SetVersion("b", "12");
  std::string token = CreateToken("staff", "corporate", 2);
  auto a = Enroll(token, "a");
  auto b = Enroll(token, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(CheckIn(*a).ok());
  ASSERT_TRUE(CheckIn(*b).ok());
  std::string key_a = WireGuardKeyOf(*a);
  std::string key_b = WireGuardKeyOf(*b);

  // A peer nobody allowed, present before the gateway starts.
  std::string rogue = crypto::GenerateWireGuardKeyPair()->public_key;
  interface_.AddPeer(rogue, {"10.99.0.250/32"});
  StartWatcher();
  ASSERT_TRUE(GatewayHas(key_a, true));
  ASSERT_TRUE(GatewayHas(key_b, true));
  ASSERT_TRUE(GatewayHas(rogue, false))
      << "start-up reconcile kept a rogue peer";
  EXPECT_THAT(interface_.peers().at(key_a),
              ::testing::ElementsAre("10.99.0.2/32"));

  // A fails: its peer goes, B's stays.
  SetVersion("a", "11");
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(CheckIn(*a).ok());
  ASSERT_TRUE(GatewayHas(key_a, false));
  EXPECT_EQ(interface_.peers().count(key_b), 1u);

  // Fixed: back.
  SetVersion("a", "12");
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(CheckIn(*a).ok());
  ASSERT_TRUE(GatewayHas(key_a, true));

  // The server restarts on the same port; the gateway resumes its feed and
  // a change made afterwards still arrives.
  server::ServerConfig config = BaseConfig();
  config.vpn_pool = "10.99.0.0/24";
  config.peer_feed_heartbeat = absl::Milliseconds(200);
  config.listen_address = address();
  StopServer();
  StartServer(config);
  std::string id_b = b->LoadRecord()->device_id;
  CtlResult revoked = Ctl(admin_credentials_, {"device", "revoke", id_b,
                                               "--reason", "stolen", "--yes"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  ASSERT_TRUE(GatewayHas(key_b, false));
  EXPECT_GE(watcher_->status().streams_started, 2);
  EXPECT_TRUE(watcher_->status().synced);

  // Retiring releases B's address; a new device gets it.
  CtlResult retired =
      Ctl(admin_credentials_,
          {"device", "retire", id_b, "--reason", "returned", "--yes"});
  ASSERT_EQ(retired.exit_code, 0) << retired.err;
  CtlResult again = Ctl(admin_credentials_, {"device", "retire", id_b,
                                             "--reason", "twice", "--yes"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already retired"));
  SetVersion("c", "12");
  auto c = Enroll(CreateToken(), "c");
  ASSERT_TRUE(c.ok());
  auto rc = CheckIn(*c);
  ASSERT_TRUE(rc.ok()) << rc.status();
  EXPECT_EQ(rc->vpn().tunnel_address(), "10.99.0.3/32");
  ASSERT_TRUE(GatewayHas(WireGuardKeyOf(*c), true));
  CtlResult history = Ctl(admin_credentials_, {"device", "history", id_b});
  EXPECT_THAT(history.out, HasSubstr("retired"));
}

TEST_F(VpnAccessTest, QuarantinedDeviceKeepsAPeerLimitedToRemediation) {
  SetVersion("q", "11");
  auto q = Enroll(CreateToken("quarantine"), "q");
  ASSERT_TRUE(q.ok());
  auto r = CheckIn(*q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->compliance_state(), v1::COMPLIANCE_STATE_NONCOMPLIANT);
  EXPECT_EQ(r->vpn().access(), v1::VPN_ACCESS_QUARANTINE);
  StartWatcher();
  std::string key = WireGuardKeyOf(*q);
  ASSERT_TRUE(GatewayHas(key, true));
  EXPECT_THAT(interface_.peers().at(key),
              ::testing::ElementsAre("10.99.0.2/32"));
  // Fixed: full access, same peer.
  SetVersion("q", "12");
  clock_.Advance(absl::Minutes(1));
  auto fixed = CheckIn(*q);
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->vpn().access(), v1::VPN_ACCESS_FULL);
}

TEST_F(VpnAccessTest, ExceptionsActAtOnceAndTheirEndActsByTimer) {
  SetVersion("x", "11");
  auto x = Enroll(CreateToken(), "x");
  ASSERT_TRUE(x.ok());
  auto r = CheckIn(*x);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->vpn().access(), v1::VPN_ACCESS_NONE);
  std::string id = x->LoadRecord()->device_id;
  std::string key = WireGuardKeyOf(*x);
  StartWatcher();
  ASSERT_TRUE(interface_.WaitUntil(
      [](const gateway::FakeWireGuardInterface::PeerMap&) { return true; },
      absl::Seconds(1)));

  // Granting an exception restores access without waiting for a check-in.
  CtlResult added =
      Ctl(admin_credentials_, {"exception", "add", id, "vpn-posture/debian-12",
                               "--until", "10m", "--reason", "upgrade booked"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  ASSERT_TRUE(GatewayHas(key, true));
  CtlResult show = Ctl(admin_credentials_, {"device", "show", id});
  EXPECT_THAT(show.out, HasSubstr("excepted until"));
  EXPECT_THAT(show.out, HasSubstr("upgrade booked"));

  // When it runs out, the timer takes access away again: no check-in (and
  // still inside the 15 min validity window, so not stale).
  clock_.Advance(absl::Minutes(11));
  ASSERT_TRUE(server_->sweeper().SweepOnce().ok());
  ASSERT_TRUE(GatewayHas(key, false));
  CtlResult history = Ctl(admin_credentials_, {"device", "history", id});
  EXPECT_THAT(history.out, HasSubstr("an exception ended"));
  EXPECT_THAT(history.out, HasSubstr("granted by"));
}

TEST_F(VpnAccessTest, OnlyGatewayAndAdminRolesMayWatchPeers) {
  for (const std::string role : {"helpdesk", "auditor"}) {
    auto creds = identity::ParseOperatorCredentials(
        *ReadFile(CreateOperator(absl::StrCat("watch-", role), role)));
    ASSERT_TRUE(creds.ok());
    auto stub = v1::GatewayService::NewStub(
        gateway::MakeGatewayChannel(address(), *creds));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    v1::WatchPeersRequest request;
    auto reader = stub->WatchPeers(&context, request);
    v1::PeerUpdate update;
    EXPECT_FALSE(reader->Read(&update));
    grpc::Status s = reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << role;
    EXPECT_THAT(s.error_message(), HasSubstr("gateway or admin"));
  }
  // A gateway credential reads nothing else.
  std::string gateway_creds = CreateOperator("gw-only", "gateway");
  CtlResult list = Ctl(gateway_creds, {"device", "list"});
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_THAT(list.err, HasSubstr("role gateway may not"));
  CtlResult whoami = Ctl(gateway_creds, {"whoami"});
  EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
}

TEST_F(VpnAccessTest, BadWireGuardKeysAreRefusedByName) {
  SetVersion("k", "12");
  SetVersion("k2", "12");
  std::string token = CreateToken("staff", "corporate", 2);
  auto k = Enroll(token, "k");
  auto k2 = Enroll(token, "k2");
  ASSERT_TRUE(k.ok() && k2.ok());
  ASSERT_TRUE(CheckIn(*k).ok());
  auto identity = k2->LoadIdentity();
  auto stub = DeviceStub(identity->cert_pem, identity->key_pem);
  auto send = [&](const std::string& key) {
    v1::CheckInRequest request;
    request.set_sequence(1);
    request.mutable_report()->set_platform(v1::PLATFORM_LINUX);
    request.set_wireguard_public_key(key);
    v1::CheckInResponse response;
    grpc::ClientContext context;
    return stub->CheckIn(&context, request, &response);
  };
  grpc::Status bad = send("not-a-key");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("wireguard_public_key"));
  // A low-order point (all zeros) is valid base64 of 32 bytes, but no
  // handshake can ever complete with it.
  grpc::Status zero = send(std::string(43, 'A') + "=");
  EXPECT_EQ(zero.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(zero.error_message(), HasSubstr("wireguard_public_key"));
  // Another device's key is refused; nothing is stored for this one.
  grpc::Status taken = send(WireGuardKeyOf(*k));
  EXPECT_EQ(taken.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(taken.error_message(), HasSubstr("another device"));
  std::string id = k2->LoadRecord()->device_id;
  CtlResult show = Ctl(admin_credentials_, {"device", "show", id, "--json"});
  EXPECT_THAT(show.out, HasSubstr("\"last_checkin_sequence\": \"0\""));
}

}  // namespace
}  // namespace trellis::testing
