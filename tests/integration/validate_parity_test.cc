// `trellisctl policy validate` and the server refuse the same things for
// the same reason: for each case the files are validated offline, and the
// same content is sent to a real server as an independent client would
// (raw bytes, so even text that is not UTF-8 reaches it), and both refuse.
// A valid bundle passes both.
#include <functional>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/identity/operator_credentials.h"
#include "common/policy/policy_loader.h"
#include "common/rpc/tls_channel.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kZeroKey[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

std::string PolicyYaml(const std::string& id, int checks,
                       const std::string& title = "Policy") {
  std::string yaml = absl::StrCat("id: ", id, "\ntitle: ", title,
                                  "\nenforcement: warn\nchecks:\n");
  for (int i = 0; i < checks; ++i) {
    absl::StrAppend(&yaml, "  - id: c", i, "\n    title: Check ", i,
                    "\n    query: SELECT 1 FROM os_version WHERE id = "
                    "'debian'\n");
  }
  return yaml;
}

std::string ProfileYaml(const std::string& endpoint, const std::string& key) {
  return absl::StrCat(R"(vpn_profile:
  id: remote
  title: Remote access
  gateway:
    endpoint: )",
                      endpoint, "\n    public_key: ", key, R"(
  routes: [10.10.0.0/16]
  mode: always-on
)");
}

using Files = std::map<std::string, std::string>;

Files ValidFiles() {
  return {{"a.yaml", PolicyYaml("pol-a", 2)},
          {"vpn.yaml",
           ProfileYaml("vpn.council.example:51820",
                       "6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=")}};
}

struct Case {
  std::string name;
  Files files;
  // What validate's error says (with the file's position where the loader
  // finds it) and what the server's says; the same reason.
  std::string validate_reason;
  std::string server_reason;
  // The request an independent client sends: the valid files' content,
  // edited; the serialised bytes then have `from` replaced by `to` (same
  // length), for what protobuf will not serialise on its own.
  std::function<void(v1::PublishPoliciesRequest*)> edit;
  std::string from, to;
};

class ValidateParityTest : public IntegrationTest {
 protected:
  void SetUp() override { StartServer(); }

  std::string Dir(const std::string& name, const Files& files) {
    std::string dir = dir_.File(name);
    EXPECT_TRUE(MakeDirs(dir).ok());
    for (const auto& [file, yaml] : files) {
      EXPECT_TRUE(WriteFileAtomic(absl::StrCat(dir, "/", file), yaml).ok());
    }
    return dir;
  }

  v1::PublishPoliciesRequest Request(const std::string& dir) {
    v1::PublishPoliciesRequest request;
    auto set = policy::LoadPolicySet(dir);
    EXPECT_TRUE(set.ok()) << set.status();
    if (!set.ok()) return request;
    for (auto& p : set->policies) *request.add_policies() = std::move(p);
    for (auto& p : set->vpn_profiles) {
      *request.add_vpn_profiles() = std::move(p);
    }
    request.set_dry_run(true);
    return request;
  }

  // PublishPolicies as raw bytes with the admin's identity.
  grpc::Status Publish(const std::string& bytes) {
    auto text = ReadFile(admin_credentials_);
    EXPECT_TRUE(text.ok());
    auto creds = identity::ParseOperatorCredentials(text.ok() ? *text : "");
    EXPECT_TRUE(creds.ok()) << creds.status();
    return RawUnaryCall(
        rpc::MakeTlsChannel(address(), rpc::OperatorTlsIdentity(*creds),
                            grpc::ChannelArguments()),
        "/trellis.v1.AdminService/PublishPolicies", bytes);
  }
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  {
    Case c;
    c.name = "Policies201";
    for (int i = 0; i < 201; ++i) {
      c.files[absl::StrCat("p", 1000 + i, ".yaml")] =
          PolicyYaml(absl::StrCat("p", i), 1);
    }
    c.validate_reason = c.server_reason =
        "201 policies; at most 200 may be published";
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "Checks501";
    c.files = {{"big.yaml", PolicyYaml("big", 501)}};
    c.validate_reason = c.server_reason =
        "policy 'big': has 501 checks; a policy needs 1 to 500";
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "EndpointNotAnAddress";
    c.files = ValidFiles();
    c.files["vpn.yaml"] = ProfileYaml(
        "999.1.1.1:51820", "6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=");
    c.validate_reason =
        "vpn.yaml:5:15: 'endpoint': '999.1.1.1:51820' is not host:port: the "
        "host is neither an IP address nor a DNS name";
    c.server_reason =
        "vpn profile 'remote': gateway_endpoint: '999.1.1.1:51820': "
        "'999.1.1.1:51820' is not host:port: the host is neither an IP "
        "address nor a DNS name";
    c.edit = [](v1::PublishPoliciesRequest* r) {
      r->mutable_vpn_profiles(0)->set_gateway_endpoint("999.1.1.1:51820");
    };
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "AllZeroWireGuardKey";
    c.files = ValidFiles();
    c.files["vpn.yaml"] = ProfileYaml("vpn.council.example:51820", kZeroKey);
    c.validate_reason =
        "vpn.yaml:6:17: 'public_key': WireGuard public key is a low-order "
        "point";
    c.server_reason = "vpn profile 'remote': gateway_public_key: '" +
                      std::string(kZeroKey) +
                      "': WireGuard public key is a low-order point";
    c.edit = [](v1::PublishPoliciesRequest* r) {
      r->mutable_vpn_profiles(0)->set_gateway_public_key(kZeroKey);
    };
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "InvalidUtf8";
    c.files = ValidFiles();
    c.files["a.yaml"] = PolicyYaml("pol-a", 2, "Caf\xe9 policy");
    c.validate_reason = "a.yaml:2:11: not valid UTF-8 (byte 0xe9)";
    c.server_reason = "a string field that is not UTF-8";
    c.edit = [](v1::PublishPoliciesRequest* r) {
      r->mutable_policies(0)->set_title("CafX policy");
    };
    c.from = "CafX policy";
    c.to = "Caf\xe9 policy";
    cases.push_back(c);
  }
  return cases;
}

TEST_F(ValidateParityTest, ValidateAndServerRefuseTheSameCases) {
  const std::string valid_dir = Dir("valid", ValidFiles());
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    std::string dir = Dir(c.name, c.files);
    ::testing::internal::CaptureStderr();
    CtlResult validate = Ctl(admin_credentials_, {"policy", "validate", dir});
    CtlResult apply =
        Ctl(admin_credentials_, {"policy", "apply", dir, "--dry-run"});
    std::string logged = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(validate.exit_code, 1) << validate.out;
    EXPECT_THAT(validate.err, HasSubstr(c.validate_reason));
    EXPECT_THAT(validate.out, Not(HasSubstr("all valid")));
    // apply refuses too: offline where the loader finds it, else through
    // the server, and always with the reason.
    EXPECT_EQ(apply.exit_code, 1) << apply.out;
    EXPECT_THAT(apply.err,
                HasSubstr(c.edit ? c.validate_reason : c.server_reason));
    for (const std::string& err : {validate.err, apply.err}) {
      EXPECT_THAT(err, Not(HasSubstr("trellisctl: error:")));
    }
    EXPECT_THAT(logged, Not(HasSubstr("libprotobuf")));

    v1::PublishPoliciesRequest request = Request(c.edit ? valid_dir : dir);
    if (c.edit) c.edit(&request);
    std::string bytes = request.SerializeAsString();
    if (!c.from.empty()) {
      size_t at = bytes.find(c.from);
      ASSERT_NE(at, std::string::npos);
      bytes.replace(at, c.from.size(), c.to);
    }
    grpc::Status s = Publish(bytes);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(c.server_reason));
  }
  // Nothing was published on the way.
  EXPECT_EQ(server_->policies().current_version(), 0u);
}

TEST_F(ValidateParityTest, AValidBundlePassesBoth) {
  std::string dir = Dir("valid", ValidFiles());
  CtlResult validate = Ctl(admin_credentials_, {"policy", "validate", dir});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_THAT(validate.out,
              HasSubstr("1 policies, 2 checks, 1 VPN profile(s), all valid"));
  grpc::Status s = Publish(Request(dir).SerializeAsString());
  EXPECT_TRUE(s.ok()) << s.error_message();
  CtlResult apply = Ctl(admin_credentials_, {"policy", "apply", dir});
  EXPECT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_THAT(apply.out, HasSubstr("Published bundle version 1."));
}

}  // namespace
}  // namespace trellis::testing
