// Policies end to end: apply YAML through trellisctl, the server signs and
// evaluates, the agent fetches, verifies and evaluates the same bundle, and
// refuses tampered or rolled-back bundles.
#include "absl/strings/str_cat.h"
#include "agent/checkin/checkin_client.h"
#include "agent/policy/bundle_sync.h"
#include "common/policy/evaluator.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOsPolicy[] = R"(id: os-check
title: OS check
enforcement: restrict
applies_to: {platforms: [linux]}
checks:
  - id: debian-12
    title: Runs Debian 12
    severity: high
    query: SELECT 1 FROM os_version WHERE id = 'debian' AND version_id = '12'
    detail_query: SELECT id, version_id FROM os_version
    remediation: {text: Upgrade to Debian 12.}
  - id: kernel-known
    title: Kernel release is reported
    query: SELECT 1 FROM os_version WHERE kernel_release IS NOT NULL
)";

class PolicyFlowTest : public IntegrationTest {
 protected:
  void SetUp() override {
    StartServer();
    policy_dir_ = dir_.File("policies");
    ASSERT_TRUE(MakeDirs(policy_dir_).ok());
    WritePolicy(kOsPolicy);
  }
  void WritePolicy(const std::string& yaml) {
    ASSERT_TRUE(WriteFileAtomic(policy_dir_ + "/os.yaml", yaml).ok());
  }
  CtlResult Apply(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"policy", "apply", policy_dir_};
    args.insert(args.end(), extra.begin(), extra.end());
    return Ctl(admin_credentials_, args);
  }
  void SetOsVersion(const std::string& name, const std::string& version) {
    Machine(name).system.files["/etc/os-release"] = absl::StrCat(
        "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"", version,
        "\"\nPRETTY_NAME=\"Debian GNU/Linux ", version, "\"\n");
  }
  // An independent client with the admin identity from its credentials file.
  std::unique_ptr<v1::AdminService::Stub> AdminStub() {
    auto creds = ReadFile(admin_credentials_);
    EXPECT_TRUE(creds.ok());
    if (!creds.ok()) return nullptr;
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = CaPem();
    size_t cert_end = creds->find("-----END CERTIFICATE-----") + 26;
    size_t cert_begin = creds->find("-----BEGIN CERTIFICATE-----");
    size_t key_begin = creds->find("-----BEGIN PRIVATE KEY-----");
    size_t key_end = creds->find("-----END PRIVATE KEY-----") + 26;
    tls.pem_cert_chain = creds->substr(cert_begin, cert_end - cert_begin);
    tls.pem_private_key = creds->substr(key_begin, key_end - key_begin);
    return v1::AdminService::NewStub(
        grpc::CreateChannel(address(), grpc::SslCredentials(tls)));
  }
  std::string policy_dir_;
};

TEST_F(PolicyFlowTest, ApplyShowsPlanThenPublishesSignedVersions) {
  CtlResult dry = Apply({"--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("+ add    os-check/debian-12"));
  EXPECT_THAT(dry.out, HasSubstr("Dry run: nothing published."));
  EXPECT_EQ(Ctl(admin_credentials_, {"policy", "show"}).exit_code, 1);

  CtlResult first = Apply();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("Published bundle version 1."));
  CtlResult again = Apply();
  EXPECT_THAT(again.out, HasSubstr("No changes: nothing to publish."));

  std::string changed = kOsPolicy;
  changed.replace(changed.find("Runs Debian 12"), 14, "Runs Debian 12!");
  WritePolicy(changed);
  CtlResult second = Apply();
  EXPECT_THAT(second.out, HasSubstr("~ change os-check/debian-12"));
  EXPECT_THAT(second.out, HasSubstr("  keep   os-check/kernel-known"));
  EXPECT_THAT(second.out, HasSubstr("Published bundle version 2."));
  CtlResult show = Ctl(admin_credentials_, {"policy", "show"});
  EXPECT_THAT(show.out, HasSubstr("Bundle version 2"));
  EXPECT_THAT(show.out, HasSubstr("signed by sha256:"));
  EXPECT_THAT(Ctl(admin_credentials_, {"audit", "list"}).out,
              HasSubstr("policy.publish"));

  // A helpdesk operator may plan but not publish.
  std::string helpdesk = CreateOperator("hd", "helpdesk");
  WritePolicy(kOsPolicy);
  CtlResult refused = Ctl(helpdesk, {"policy", "apply", policy_dir_});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("permission denied"));
}

TEST_F(PolicyFlowTest, InvalidPoliciesAreRefusedWithPositions) {
  WritePolicy(absl::StrCat(kOsPolicy, "    colour: red\n"));
  CtlResult validate =
      Ctl(admin_credentials_, {"policy", "validate", policy_dir_});
  EXPECT_EQ(validate.exit_code, 1);
  EXPECT_THAT(validate.err, HasSubstr("os.yaml:15:5: unknown key 'colour'"));
  // An independent client skipping the loader is validated by the server.
  v1::PublishPoliciesRequest request;
  v1::Policy* p = request.add_policies();
  p->set_id("raw");
  p->set_title("Raw");
  p->set_enforcement(v1::ENFORCEMENT_WARN);
  v1::Check* c = p->add_checks();
  c->set_id("escape");
  c->set_title("Escape");
  c->set_query("SELECT * FROM sqlite_master");
  v1::PublishPoliciesResponse response;
  grpc::ClientContext context;
  auto stub = AdminStub();
  grpc::Status s = stub->PublishPolicies(&context, request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("policy raw check escape"));
  EXPECT_THAT(s.error_message(), HasSubstr("only fact tables"));
}

// A plan is shown against one version; publishing it onto another (someone
// published in between) is refused, so nobody's policies vanish unseen.
TEST_F(PolicyFlowTest, PublishOntoAnotherVersionThanExpectedIsAborted) {
  ASSERT_EQ(Apply().exit_code, 0);  // version 1
  auto stub = AdminStub();
  ASSERT_NE(stub, nullptr);
  v1::PublishPoliciesRequest request;
  v1::Policy* p = request.add_policies();
  p->set_id("other");
  p->set_title("Other");
  p->set_enforcement(v1::ENFORCEMENT_WARN);
  v1::Check* c = p->add_checks();
  c->set_id("any");
  c->set_title("Any");
  c->set_query("SELECT 1 FROM os_version");
  request.set_expected_version(0);  // planned before version 1 existed
  v1::PublishPoliciesResponse response;
  {
    grpc::ClientContext context;
    grpc::Status s = stub->PublishPolicies(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
    EXPECT_THAT(s.error_message(),
                HasSubstr("the published bundle is version 1, not version 0"));
  }
  CtlResult show = Ctl(admin_credentials_, {"policy", "show"});
  EXPECT_THAT(show.out, HasSubstr("Bundle version 1"));
  EXPECT_THAT(show.out, HasSubstr("os-check"));

  request.set_expected_version(1);
  grpc::ClientContext context;
  grpc::Status s = stub->PublishPolicies(&context, request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.published_version(), 2u);
}

TEST_F(PolicyFlowTest, BundleOverTheEvaluationBudgetIsRefusedEvenInADryRun) {
  ASSERT_EQ(Apply().exit_code, 0);  // version 1
  SetOsVersion("desk", "12");
  auto state = Enroll(CreateToken(), "desk");
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_TRUE(CheckIn(*state).ok());  // the server now holds its report

  // 60 checks that each run to the 50 ms statement limit: at least 3 s on
  // this device, against a budget of 2 s per device.
  std::string yaml = "id: spin\ntitle: Spin\nenforcement: warn\nchecks:\n";
  for (int i = 0; i < 60; ++i) {
    absl::StrAppend(&yaml, "  - id: c", i, "\n    title: spins\n    query: ",
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 "
                    "FROM n) SELECT 1 FROM n WHERE i < 0\n");
  }
  ASSERT_TRUE(WriteFileAtomic(policy_dir_ + "/spin.yaml", yaml).ok());
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--dry-run"}, std::vector<std::string>{}}) {
    CtlResult r = Apply(extra);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_THAT(
        r.err,
        HasSubstr("would use up the evaluation budget of 2s per device"));
    EXPECT_THAT(r.err, HasSubstr("slowest checks: spin/c"));
    EXPECT_THAT(r.err, HasSubstr("desk"));
  }
  CtlResult show = Ctl(admin_credentials_, {"policy", "show"});
  EXPECT_THAT(show.out, HasSubstr("Bundle version 1"));
}

TEST_F(PolicyFlowTest, AgentAndServerReachTheSameVerdict) {
  ASSERT_EQ(Apply().exit_code, 0);
  SetOsVersion("desk", "11");
  auto state = Enroll(CreateToken(), "desk");
  ASSERT_TRUE(state.ok()) << state.status();

  // First check-in: the server judges it and names bundle 1; the agent
  // fetches and verifies it.
  auto first = CheckIn(*state);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->policy_bundle_version(), 1u);
  ASSERT_TRUE(first->has_verdict());
  EXPECT_FALSE(first->verdict().compliant());
  auto held = agent::LoadHeldBundle(*state);
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->version(), 1u);

  // The agent's own evaluation with the held bundle matches.
  auto evaluator = policy::Evaluator::Compile(**held);
  ASSERT_TRUE(evaluator.ok());
  auto report = agent::CollectForCheckIn(*state, Machine("desk").probe);
  ASSERT_TRUE(report.ok());
  v1::Verdict local =
      (*evaluator)
          ->Evaluate({v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, "staff"},
                     *report);
  ASSERT_EQ(local.results_size(), first->verdict().results_size());
  for (int i = 0; i < local.results_size(); ++i) {
    EXPECT_EQ(local.results(i).state(), first->verdict().results(i).state())
        << local.results(i).check_id();
    EXPECT_EQ(local.results(i).detail(), first->verdict().results(i).detail());
  }
  EXPECT_EQ(local.results(0).state(), v1::CHECK_STATE_FAIL);
  EXPECT_EQ(local.results(0).detail(), "id=debian, version_id=11");

  std::string device_id = state->LoadRecord()->device_id;
  CtlResult show = Ctl(admin_credentials_, {"device", "show", device_id});
  EXPECT_THAT(show.out, HasSubstr("NOT compliant (bundle 1)"));
  EXPECT_THAT(show.out, HasSubstr("os-check/debian-12 fails:"));
  EXPECT_THAT(show.out, HasSubstr("id=debian, version_id=11"));

  // Fixing the device flips the verdict; "since" moves for that check only.
  clock_.Advance(absl::Minutes(5));
  SetOsVersion("desk", "12");
  auto fixed = CheckIn(*state);
  ASSERT_TRUE(fixed.ok());
  EXPECT_TRUE(fixed->verdict().compliant());
  EXPECT_EQ(fixed->verdict().results(0).state(), v1::CHECK_STATE_PASS);
  EXPECT_GT(fixed->verdict().results(0).since().seconds(),
            first->verdict().results(0).since().seconds());
  EXPECT_EQ(fixed->verdict().results(1).since().seconds(),
            first->verdict().results(1).since().seconds());

  CtlResult summary = Ctl(admin_credentials_, {"compliance", "summary"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_THAT(summary.out, HasSubstr("1 of 1 evaluated devices compliant"));
  EXPECT_THAT(summary.out, HasSubstr("os-check/debian-12"));
}

TEST_F(PolicyFlowTest, NewBundleReachesAgentAndBadBundlesAreRefused) {
  ASSERT_EQ(Apply().exit_code, 0);
  auto state = Enroll(CreateToken(), "laptop");
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE(CheckIn(*state).ok());
  auto v1_bundle = server_->policies().current()->signed_bundle;

  std::string changed = kOsPolicy;
  changed.replace(changed.find("Runs Debian 12"), 14, "Debian 12 or later");
  WritePolicy(changed);
  ASSERT_EQ(Apply().exit_code, 0);
  auto second = CheckIn(*state);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->policy_bundle_version(), 2u);
  auto held = agent::LoadHeldBundle(*state);
  ASSERT_TRUE(held.ok() && held->has_value()) << held.status();
  EXPECT_EQ((*held)->version(), 2u);

  // Rolled back: an older, validly signed bundle is refused.
  auto rolled_back = agent::AcceptBundle(*state, v1_bundle);
  EXPECT_EQ(rolled_back.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(rolled_back.status().message(), HasSubstr("already holds"));

  // Tampered: a changed bundle with the old signature is refused.
  v1::SignedPolicyBundle tampered =
      server_->policies().current()->signed_bundle;
  v1::PolicyBundle forged;
  ASSERT_TRUE(forged.ParseFromString(tampered.bundle()));
  forged.set_version(99);
  forged.mutable_policies(0)->mutable_checks(0)->set_query("SELECT 1");
  tampered.set_bundle(forged.SerializeAsString());
  auto refused = agent::AcceptBundle(*state, tampered);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  // The last good bundle is kept.
  held = agent::LoadHeldBundle(*state);
  ASSERT_TRUE(held.ok() && held->has_value()) << held.status();
  EXPECT_EQ((*held)->version(), 2u);
}

TEST_F(PolicyFlowTest, PersonalDevicesKeepOnlyBasicFacts) {
  ASSERT_EQ(Apply().exit_code, 0);
  auto state = Enroll(CreateToken("byod", "personal"), "phone");
  ASSERT_TRUE(state.ok()) << state.status();
  auto report = agent::CollectForCheckIn(*state, Machine("phone").probe);
  ASSERT_TRUE(report.ok());
  for (const auto& t : report->tables()) {
    EXPECT_NE(t.name(), "system_info");
    EXPECT_NE(t.name(), "users");
    EXPECT_NE(t.name(), "packages");
  }
  // Even if an agent sends more, the server keeps only basic tables.
  auto identity = state->LoadIdentity();
  v1::CheckInRequest request;
  request.set_sequence(1);
  *request.mutable_report() = *report;
  v1::FactTable* extra = request.mutable_report()->add_tables();
  extra->set_name("processes");
  extra->set_status(v1::FactTable::STATUS_OK);
  extra->add_columns("name");
  extra->add_rows()->add_values()->set_text_value("secret-project");
  v1::CheckInResponse response;
  grpc::ClientContext context;
  grpc::Status s = DeviceStub(identity->cert_pem, identity->key_pem)
                       ->CheckIn(&context, request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(response.dropped_tables(), ::testing::Contains("processes"));
  CtlResult show = Ctl(admin_credentials_,
                       {"device", "show", state->LoadRecord()->device_id});
  EXPECT_THAT(show.out, Not(HasSubstr("secret-project")));
  EXPECT_THAT(show.out, Not(HasSubstr("[processes]")));
}

// The server's verdict, like the agent's: a check over a table the device's
// platform has no collector for (screen_lock on Windows) is not applicable,
// not an error that would make the device non-compliant.
TEST_F(PolicyFlowTest, CheckOverATableThePlatformLacksIsNotApplicable) {
  ASSERT_TRUE(WriteFileAtomic(policy_dir_ + "/lock.yaml", R"(id: lock
title: Screen lock
enforcement: restrict
checks:
  - id: screen-lock
    title: Screen locks
    query: SELECT 1 FROM screen_lock WHERE enabled
)")
                  .ok());
  ASSERT_EQ(Apply().exit_code, 0);
  auto state = Enroll(CreateToken(), "windows-desk");
  ASSERT_TRUE(state.ok()) << state.status();
  auto identity = state->LoadIdentity();
  v1::CheckInRequest request;
  request.set_sequence(1);
  v1::PostureReport* report = request.mutable_report();
  report->set_platform(v1::PLATFORM_WINDOWS);
  v1::FactTable* os = report->add_tables();
  os->set_name("os_version");
  os->set_status(v1::FactTable::STATUS_UNKNOWN);
  os->set_unknown_reason("not needed here");
  v1::CheckInResponse response;
  grpc::ClientContext context;
  grpc::Status s = DeviceStub(identity->cert_pem, identity->key_pem)
                       ->CheckIn(&context, request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const v1::CheckResult* lock = nullptr;
  for (const v1::CheckResult& r : response.verdict().results()) {
    if (r.policy_id() == "lock") lock = &r;
  }
  ASSERT_NE(lock, nullptr);
  EXPECT_EQ(lock->state(), v1::CHECK_STATE_NOT_APPLICABLE) << lock->error();
  EXPECT_TRUE(response.verdict().compliant());
}

}  // namespace
}  // namespace trellis::testing
