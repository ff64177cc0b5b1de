#include "server/auth/peer_certificate.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/authenticator.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

TEST(PeerHostTest, StripsPortFromIpv4Peer) {
  EXPECT_EQ(PeerHost("ipv4:127.0.0.1:5555"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerHost("ipv4:10.1.2.3:1"), "ipv4:10.1.2.3");
}

TEST(PeerHostTest, StripsPortFromBracketedIpv6Peer) {
  EXPECT_EQ(PeerHost("ipv6:[::1]:5"), "ipv6:[::1]");
  EXPECT_EQ(PeerHost("ipv6:[2001:db8::7]:44321"), "ipv6:[2001:db8::7]");
}

TEST(PeerHostTest, DifferentPortsOfOneHostShareAKey) {
  EXPECT_EQ(PeerHost("ipv4:192.0.2.9:1000"), PeerHost("ipv4:192.0.2.9:2000"));
  EXPECT_NE(PeerHost("ipv4:192.0.2.9:1000"), PeerHost("ipv4:192.0.2.10:1000"));
}

TEST(PeerHostTest, LeavesPeerWithoutPortAlone) {
  EXPECT_EQ(PeerHost("unix:/run/trellis.sock"), "unix:/run/trellis.sock");
  EXPECT_EQ(PeerHost("localhost"), "localhost");
}

struct PermissionCase {
  v1::Role role;
  Permission permission;
  bool allowed;
};

class CheckPermissionTest : public ::testing::TestWithParam<PermissionCase> {};

TEST_P(CheckPermissionTest, MatchesRoleMatrix) {
  const PermissionCase& c = GetParam();
  absl::Status s = CheckPermission(c.role, c.permission);
  if (c.allowed) {
    EXPECT_TRUE(s.ok()) << s;
  } else {
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
    EXPECT_THAT(s.message(),
                HasSubstr(absl::StrCat("role ", RoleName(c.role))));
    EXPECT_THAT(s.message(), HasSubstr("needs role admin"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, CheckPermissionTest,
    ::testing::Values(
        PermissionCase{v1::ROLE_ADMIN, Permission::kRead, true},
        PermissionCase{v1::ROLE_ADMIN, Permission::kManageTokens, true},
        PermissionCase{v1::ROLE_ADMIN, Permission::kManageDevices, true},
        PermissionCase{v1::ROLE_HELPDESK, Permission::kRead, true},
        PermissionCase{v1::ROLE_HELPDESK, Permission::kManageTokens, false},
        PermissionCase{v1::ROLE_HELPDESK, Permission::kManageDevices, false},
        PermissionCase{v1::ROLE_AUDITOR, Permission::kRead, true},
        PermissionCase{v1::ROLE_AUDITOR, Permission::kManageTokens, false},
        PermissionCase{v1::ROLE_AUDITOR, Permission::kManageDevices, false},
        PermissionCase{v1::ROLE_UNSPECIFIED, Permission::kRead, false},
        PermissionCase{v1::ROLE_UNSPECIFIED, Permission::kManageTokens,
                       false}));

}  // namespace
}  // namespace trellis::server
