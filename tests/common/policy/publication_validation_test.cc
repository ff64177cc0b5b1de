// ValidatePublication is what the server enforces and what `trellisctl
// policy validate` runs: every case here is refused with a reason naming
// where, and a valid set becomes the bundle to sign.
#include "common/policy/publication_validation.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

v1::Policy Policy(const std::string& id, int checks = 1) {
  v1::Policy p;
  p.set_id(id);
  p.set_title("Policy");
  p.set_enforcement(v1::ENFORCEMENT_WARN);
  for (int i = 0; i < checks; ++i) {
    v1::Check* c = p.add_checks();
    c->set_id(absl::StrCat("c", i));
    c->set_title("Check");
    c->set_query("SELECT 1 FROM firewall WHERE enabled");
  }
  return p;
}

v1::VpnProfile Profile() {
  v1::VpnProfile p;
  p.set_id("remote");
  p.set_title("Remote access");
  p.set_gateway_endpoint("vpn.council.example:51820");
  p.set_gateway_public_key("6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=");
  p.add_routes("10.10.0.0/16");
  p.set_mode(v1::VPN_MODE_ALWAYS_ON);
  return p;
}

struct Set {
  std::vector<v1::Policy> policies{Policy("p")};
  std::vector<v1::VpnProfile> profiles{Profile()};
};

struct Case {
  const char* name;
  std::function<void(Set*)> edit;
  const char* expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class RefusedTest : public ::testing::TestWithParam<Case> {};

TEST_P(RefusedTest, NamesTheReason) {
  Set set;
  GetParam().edit(&set);
  auto bundle = ValidatePublication(set.policies, set.profiles);
  ASSERT_FALSE(bundle.ok());
  EXPECT_EQ(bundle.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bundle.status().message(), HasSubstr(GetParam().expected))
      << bundle.status().message();
}

const std::string kNotUtf8 = "caf\xe9";

INSTANTIATE_TEST_SUITE_P(
    Table, RefusedTest,
    ::testing::Values(
        Case{"NoPolicies", [](Set* s) { s->policies.clear(); },
             "no policies given"},
        Case{"Policies201",
             [](Set* s) {
               s->policies.clear();
               for (int i = 0; i < 201; ++i) {
                 s->policies.push_back(Policy(absl::StrCat("p", i)));
               }
             },
             "201 policies; at most 200 may be published"},
        Case{"Checks501", [](Set* s) { s->policies = {Policy("big", 501)}; },
             "policy 'big': has 501 checks; a policy needs 1 to 500"},
        Case{"PolicyTitleNotUtf8",
             [](Set* s) { s->policies[0].set_title(kNotUtf8); },
             "policy 'p': title is not valid UTF-8"},
        Case{"CheckQueryNotUtf8",
             [](Set* s) {
               s->policies[0].mutable_checks(0)->set_query(
                   "SELECT '" + kNotUtf8 + "' FROM firewall");
             },
             "policy 'p': checks[0].query is not valid UTF-8"},
        Case{"RemediationMapValueNotUtf8",
             [](Set* s) {
               (*s->policies[0]
                     .mutable_checks(0)
                     ->mutable_remediation()
                     ->mutable_by_platform())["linux"] = kNotUtf8;
             },
             "policy 'p': checks[0].remediation.by_platform[0].value is not "
             "valid UTF-8"},
        Case{"RemediationMapKeyNotUtf8",
             [](Set* s) {
               (*s->policies[0]
                     .mutable_checks(0)
                     ->mutable_remediation()
                     ->mutable_by_platform())[kNotUtf8] = "x";
             },
             "by_platform[0].key is not valid UTF-8"},
        Case{"GroupNotUtf8",
             [](Set* s) {
               s->policies[0].mutable_applies_to()->add_groups(kNotUtf8);
             },
             "policy 'p': applies_to.groups[0] is not valid UTF-8"},
        Case{"PolicyIdNotUtf8", [](Set* s) { s->policies[0].set_id(kNotUtf8); },
             "policies[0]: id is not valid UTF-8"},
        Case{"ProfileFieldNotUtf8",
             [](Set* s) { s->profiles[0].add_dns_search_domains(kNotUtf8); },
             "vpn profile 'remote': dns_search_domains[0] is not valid "
             "UTF-8"},
        Case{"EndpointNotAnAddress",
             [](Set* s) {
               s->profiles[0].set_gateway_endpoint("999.1.1.1:51820");
             },
             "vpn profile 'remote': gateway_endpoint: '999.1.1.1:51820': "},
        Case{"AllZeroKey",
             [](Set* s) {
               s->profiles[0].set_gateway_public_key(
                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
             },
             "vpn profile 'remote': gateway_public_key: "},
        Case{"SqlDoesNotPrepare",
             [](Set* s) {
               s->policies[0].mutable_checks(0)->set_query(
                   "SELECT 1 FROM registry");
             },
             "no such table: registry"},
        Case{"OverTheRequestLimit",
             [](Set* s) {
               // Each query is within its own limit; together they are
               // more than the server takes in one request.
               s->policies.clear();
               std::string query =
                   "SELECT 1 FROM firewall -- " + std::string(19000, 'x');
               for (int i = 0; i < 60; ++i) {
                 v1::Policy p = Policy(absl::StrCat("p", i));
                 p.mutable_checks(0)->set_query(query);
                 s->policies.push_back(p);
               }
             },
             "bytes to send; the server takes at most 1048576 bytes"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(PublicationValidationTest, ValidSetBecomesTheDraftBundle) {
  Set set;
  set.policies.push_back(Policy("q", 500));
  auto bundle = ValidatePublication(set.policies, set.profiles);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_EQ(bundle->policies_size(), 2);
  EXPECT_EQ(bundle->policies(1).checks_size(), 500);
  ASSERT_EQ(bundle->vpn_profiles_size(), 1);
  EXPECT_EQ(bundle->vpn_profiles(0).id(), "remote");
  EXPECT_EQ(bundle->version(), 0u);
}

}  // namespace
}  // namespace trellis::policy
