// The permission table is complete (every RPC of every service has a row,
// every operation one row), documented (docs/permissions.md is the table),
// and decides roles as the product promises.
#include "server/auth/permissions.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "trellis/v1/admin_service.pb.h"
#include "trellis/v1/device_service.pb.h"
#include "trellis/v1/gateway_service.pb.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

// Every RPC the server serves, from the compiled protos.
std::set<std::string> AllRpcs() {
  std::set<std::string> out;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* file :
       {"trellis/v1/admin_service.proto", "trellis/v1/device_service.proto",
        "trellis/v1/gateway_service.proto"}) {
    const google::protobuf::FileDescriptor* fd = pool->FindFileByName(file);
    EXPECT_NE(fd, nullptr) << file;
    if (fd == nullptr) continue;
    for (int s = 0; s < fd->service_count(); ++s) {
      const auto* service = fd->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        out.insert(absl::StrCat(service->full_name(), "/",
                                service->method(m)->name()));
      }
    }
  }
  return out;
}

TEST(PermissionTableTest, EveryRpcHasARowAndEveryRowAnRpc) {
  std::set<std::string> rpcs = AllRpcs();
  std::set<std::string> covered;
  for (const OperationRule& rule : OperationRules()) {
    EXPECT_TRUE(rpcs.count(rule.rpc)) << rule.rpc << " is not an RPC";
    covered.insert(rule.rpc);
  }
  for (const std::string& rpc : rpcs) {
    EXPECT_TRUE(covered.count(rpc))
        << rpc << " has no row in server/auth/permissions.cc";
  }
}

TEST(PermissionTableTest, EveryOperationHasExactlyOneRow) {
  std::set<Operation> seen;
  for (const OperationRule& rule : OperationRules()) {
    EXPECT_TRUE(seen.insert(rule.operation).second) << rule.summary;
  }
  for (int op = static_cast<int>(Operation::kEnroll);
       op <= static_cast<int>(Operation::kWatchPeers); ++op) {
    EXPECT_TRUE(seen.count(static_cast<Operation>(op))) << "operation " << op;
  }
}

TEST(PermissionTableTest, DocsHoldTheTable) {
  auto doc = ReadFile(absl::StrCat(TRELLIS_SOURCE_DIR, "/docs/permissions.md"));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_THAT(*doc, HasSubstr(RenderPermissionTable()))
      << "docs/permissions.md is out of date; the table is:\n"
      << RenderPermissionTable();
}

TEST(CheckOperatorRoleTest, AdminsChangeOthersRead) {
  EXPECT_TRUE(CheckOperatorRole(Operation::kRevokeDevice, v1::ROLE_ADMIN).ok());
  EXPECT_TRUE(
      CheckOperatorRole(Operation::kListDevices, v1::ROLE_HELPDESK).ok());
  EXPECT_TRUE(
      CheckOperatorRole(Operation::kPlanPolicies, v1::ROLE_AUDITOR).ok());
  absl::Status s =
      CheckOperatorRole(Operation::kPublishPolicies, v1::ROLE_HELPDESK);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("role helpdesk may not publish"));
  EXPECT_THAT(s.message(), HasSubstr("needs role admin"));
}

TEST(CheckOperatorRoleTest, GatewaysOnlyWatchPeersAndIdentify) {
  for (const OperationRule& rule : OperationRules()) {
    bool allowed = CheckOperatorRole(rule.operation, v1::ROLE_GATEWAY).ok();
    bool expected = rule.operation == Operation::kWatchPeers ||
                    rule.operation == Operation::kWhoAmI;
    EXPECT_EQ(allowed, expected) << rule.rpc;
  }
}

TEST(CheckOperatorRoleTest, NoRoleMayActAsADeviceOrAnUnknownRole) {
  for (v1::Role role : {v1::ROLE_ADMIN, v1::ROLE_HELPDESK, v1::ROLE_AUDITOR,
                        v1::ROLE_GATEWAY}) {
    absl::Status s = CheckOperatorRole(Operation::kCheckIn, role);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(s.message(), HasSubstr("only a device may"));
  }
  for (const OperationRule& rule : OperationRules()) {
    EXPECT_FALSE(CheckOperatorRole(rule.operation, v1::ROLE_UNSPECIFIED).ok())
        << rule.rpc;
  }
}

}  // namespace
}  // namespace trellis::server
