// Operator credentials made in code obey the same lifetime range as the
// `operator create` command line: a zero or negative lifetime would make a
// certificate that is already expired, which then fails at the TLS
// handshake with no word of why.
#include "server/operators/operator_provisioning.h"

#include <memory>
#include <optional>
#include <string>

#include "common/crypto/pki.h"
#include "common/identity/operator_credentials.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/pki/server_pki.h"
#include "server/store/sqlite_store.h"
#include "server/trellis_server.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;
using ::trellis::testing::TempDir;

class OperatorProvisioningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = dir_.File("state");
    auto pki =
        LoadOrCreateServerPki(state_, {"localhost"}, {"127.0.0.1"}, clock_);
    ASSERT_TRUE(pki.ok()) << pki.status();
    auto store = SqliteStore::Open({DatabasePath(state_)});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  OperatorRequest Request(absl::Duration lifetime) {
    OperatorRequest request;
    request.name = "alice";
    request.role = "admin";
    request.server_address = "127.0.0.1:8443";
    request.lifetime = lifetime;
    return request;
  }

  bool Recorded(const std::string& name) {
    std::optional<OperatorRecord> found;
    absl::Status read = store_->Read([&](StoreReader& r) -> absl::Status {
      auto op = r.GetOperator(name);
      if (!op.ok()) return op.status();
      found = *op;
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    return found.has_value();
  }

  TempDir dir_;
  FakeClock clock_;
  std::string state_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(OperatorProvisioningTest, LifetimeOutsideItsRangeIsRefusedNamingIt) {
  for (absl::Duration bad :
       {absl::ZeroDuration(), absl::Hours(-1), absl::Minutes(59),
        kMaxOperatorLifetime + absl::Seconds(1)}) {
    auto creds = CreateOperator(state_, *store_, Request(bad), clock_);
    ASSERT_FALSE(creds.ok()) << bad;
    EXPECT_EQ(creds.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(creds.status().message(),
                HasSubstr("lifetime must be between 1h and 3650d"));
  }
  // Nothing was recorded for a refused request.
  EXPECT_FALSE(Recorded("alice"));
}

TEST_F(OperatorProvisioningTest, CredentialsLastTheLifetimeAsked) {
  auto creds =
      CreateOperator(state_, *store_, Request(kMinOperatorLifetime), clock_);
  ASSERT_TRUE(creds.ok()) << creds.status();
  auto parsed = identity::ParseOperatorCredentials(*creds);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  auto cert = crypto::ParseCertificate(parsed->certificate_pem);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->not_after, clock_.Now() + kMinOperatorLifetime);
  EXPECT_TRUE(Recorded("alice"));
}

}  // namespace
}  // namespace trellis::server
