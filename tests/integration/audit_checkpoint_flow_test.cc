// `trellisctl audit verify` against a real server whose database was
// edited behind its back: the server's signed checkpoint of the chain head
// (written at clean shutdown, kept outside the database) exposes a deleted
// tail that the hash chain alone cannot see.
#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "common/identity/operator_credentials.h"
#include "common/rpc/tls_channel.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_checkpoint.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;

class AuditCheckpointFlowTest : public IntegrationTest {};

TEST_F(AuditCheckpointFlowTest, VerifyReportsADeletedTailAfterRestart) {
  StartServer();
  for (int i = 0; i < 3; ++i) CreateToken();
  CtlResult intact = Ctl(admin_credentials_, {"audit", "verify"});
  EXPECT_EQ(intact.exit_code, 0) << intact.out << intact.err;
  EXPECT_THAT(intact.out, HasSubstr("Audit chain intact"));

  StopServer();  // clean shutdown signs the head
  std::string state = dir_.File("server");
  auto checkpoints = server::ReadAuditCheckpoints(
      absl::StrCat(state, "/", server::kAuditCheckpointFile));
  ASSERT_TRUE(checkpoints.ok()) << checkpoints.status();
  ASSERT_FALSE(checkpoints->empty());
  uint64_t signed_count = checkpoints->back().count;
  ASSERT_GE(signed_count, 3u);

  // Someone with write access to the database removes the last two entries.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(server::DatabasePath(state).c_str(), &db), SQLITE_OK);
  std::string sql =
      absl::StrCat("DELETE FROM audit_log WHERE seq > ", signed_count - 2);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  StartServer();  // on a new port
  CtlResult broken =
      Ctl(admin_credentials_, {"audit", "verify", "--server", address()});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_THAT(broken.out, HasSubstr("TRUNCATED"));
  EXPECT_THAT(broken.out,
              HasSubstr(absl::StrCat("entries ", signed_count - 1, "..",
                                     signed_count, " were deleted")));

  // The checkpoints are there for an operator to keep elsewhere.
  auto text = ReadFile(admin_credentials_);
  ASSERT_TRUE(text.ok()) << text.status();
  auto creds = identity::ParseOperatorCredentials(*text);
  ASSERT_TRUE(creds.ok()) << creds.status();
  auto admin = v1::AdminService::NewStub(rpc::MakeTlsChannel(
      address(), rpc::OperatorTlsIdentity(*creds), grpc::ChannelArguments()));
  grpc::ClientContext context;
  v1::ListAuditCheckpointsResponse listed;
  grpc::Status s = admin->ListAuditCheckpoints(
      &context, v1::ListAuditCheckpointsRequest(), &listed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_GE(listed.checkpoints_size(), 1);
  EXPECT_EQ(listed.checkpoints(listed.checkpoints_size() - 1).entries(),
            signed_count);
  auto pub = ReadFile(absl::StrCat(state, "/audit-signing.pub"));
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(listed.public_key_pem(), *pub);
}

}  // namespace
}  // namespace trellis::testing
