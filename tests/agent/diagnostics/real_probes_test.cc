// The real network probe against loopback servers on port 0, and the
// server-reachability diagnostic end to end through it. No timing asserts:
// only which steps succeed and what failures say.
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "agent/diagnostics/probes.h"
#include "common/crypto/pki.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/diagnostics/diagnostics_test_util.h"
#include "tests/common/net/tls_test_server.h"

namespace trellis::agent::diagnostics {
namespace {

using net_testing::ListenLocal;
using net_testing::TlsListener;
using ::testing::HasSubstr;

const std::atomic<bool> kNotCancelled{false};

class RealProbesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = crypto::CertificateAuthority::Create(
        "trellis.test", absl::Now() - absl::Minutes(1), absl::Hours(1));
    ASSERT_TRUE(ca.ok()) << ca.status();
    cert_pem_ = ca->certificate_pem();
    key_pem_ = ca->private_key_pem();
  }
  std::string cert_pem_, key_pem_;
  RealNetworkProbe probe_;
};

TEST_F(RealProbesTest, ServerReachabilitySucceedsAgainstALoopbackTlsServer) {
  TlsListener server(cert_pem_, key_pem_);
  testing::DiagnosticsHarness h;
  RealNetworkProbe real;
  h.env.network = &real;
  h.Enrol("corporate", server.address());
  auto out = h.Run("server-reachability");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_THAT(out.output, HasSubstr("is an address, no lookup"));
  EXPECT_THAT(out.output, HasSubstr("tcp: connected to 127.0.0.1:"));
  EXPECT_THAT(out.output, HasSubstr("tls: handshake completed in"));
}

TEST_F(RealProbesTest, ConnectToAClosedPortIsRefused) {
  int port = 0;
  int fd = ListenLocal(&port);
  ::close(fd);  // nothing listens there now
  absl::Status s =
      probe_.TcpConnect("127.0.0.1", port, absl::Seconds(2), kNotCancelled);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("cannot connect"));
}

TEST_F(RealProbesTest, TlsHandshakeWithAPlainTcpListenerFails) {
  int port = 0;
  int fd = ListenLocal(&port);  // accepts in the backlog, never speaks TLS
  absl::Status s = probe_.TlsHandshake(absl::StrCat("127.0.0.1:", port),
                                       absl::Milliseconds(300));
  EXPECT_FALSE(s.ok());
  ::close(fd);
}

TEST_F(RealProbesTest, ResolveLocalhostAndRefuseNonsense) {
  auto addresses = probe_.Resolve("localhost", absl::Seconds(5), kNotCancelled);
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  EXPECT_FALSE(addresses->empty());

  std::atomic<bool> cancelled{true};
  auto stopped = probe_.Resolve("localhost", absl::Seconds(5), cancelled);
  // Either it was already done or the wait saw the flag; never an error
  // other than Cancelled.
  EXPECT_TRUE(stopped.ok() || absl::IsCancelled(stopped.status()));

  auto invalid =
      probe_.Resolve("no-such-host.invalid", absl::Seconds(5), kNotCancelled);
  EXPECT_FALSE(invalid.ok());
}

TEST_F(RealProbesTest, FilesystemUsageOfRoot) {
  RealFilesystemStats stats;
  auto usage = stats.Usage("/");
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_GT(usage->total_bytes, 0u);
  EXPECT_LE(usage->available_bytes, usage->total_bytes);
  EXPECT_THAT(stats.Usage("/no/such/dir").status().message(),
              HasSubstr("statvfs /no/such/dir"));
}

}  // namespace
}  // namespace trellis::agent::diagnostics
