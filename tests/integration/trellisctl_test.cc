// trellisctl against a real server: flags that belong to another command
// change nothing, destructive commands ask first, policy apply keeps what a
// path does not contain unless --prune, exceptions name what they refuse,
// devices are found by hostname or serial and filtered on the server, and
// what devices report is printed escaped.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/identity/operator_credentials.h"
#include "common/rpc/tls_channel.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPolicyA[] = R"(id: pol-a
title: Policy A
enforcement: warn
checks:
  - id: debian
    title: Runs Debian
    query: SELECT 1 FROM os_version WHERE id = 'debian'
)";

constexpr char kPolicyB[] = R"(id: pol-b
title: Policy B
enforcement: warn
checks:
  - id: kernel
    title: Kernel is reported
    query: SELECT 1 FROM os_version WHERE kernel_release IS NOT NULL
)";

class TrellisctlTest : public IntegrationTest {
 protected:
  void SetUp() override { StartServer(); }

  std::string DeviceState(const std::string& id) {
    v1::DeviceState state = v1::DEVICE_STATE_UNSPECIFIED;
    EXPECT_TRUE(server_->store()
                    .Read([&](server::StoreReader& r) -> absl::Status {
                      auto d = r.GetDevice(id);
                      if (!d.ok()) return d.status();
                      if (d->has_value()) state = (*d)->state;
                      return absl::OkStatus();
                    })
                    .ok());
    return v1::DeviceState_Name(state);
  }
  std::string EnrollNamed(const std::string& name, const std::string& group,
                          const std::string& serial) {
    auto state = Enroll(CreateToken(group), name, serial);
    EXPECT_TRUE(state.ok()) << state.status();
    return state.ok() ? state->LoadRecord()->device_id : "";
  }
  // Writes `yaml` files into a fresh directory and returns its path.
  std::string PolicyDir(const std::string& name,
                        const std::vector<std::string>& yaml) {
    std::string dir = dir_.File(name);
    EXPECT_TRUE(MakeDirs(dir).ok());
    for (size_t i = 0; i < yaml.size(); ++i) {
      EXPECT_TRUE(
          WriteFileAtomic(absl::StrCat(dir, "/p", i, ".yaml"), yaml[i]).ok());
    }
    return dir;
  }
  // The admin API as an independent client sees it.
  std::unique_ptr<v1::AdminService::Stub> AdminStub() {
    auto text = ReadFile(admin_credentials_);
    EXPECT_TRUE(text.ok());
    auto creds = identity::ParseOperatorCredentials(text.ok() ? *text : "");
    EXPECT_TRUE(creds.ok()) << creds.status();
    return v1::AdminService::NewStub(rpc::MakeTlsChannel(
        address(), rpc::OperatorTlsIdentity(*creds), grpc::ChannelArguments()));
  }
  std::string PolicyShow() {
    return Ctl(admin_credentials_, {"policy", "show"}).out;
  }
};

TEST_F(TrellisctlTest, ForeignFlagOnRevokeIsRefusedAndRevokesNothing) {
  std::string id = EnrollNamed("victim", "staff", "SN-V");
  CtlResult r = Ctl(admin_credentials_, {"device", "revoke", id, "--reason",
                                         "R", "--dry-run", "--yes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--dry-run"));
  EXPECT_EQ(DeviceState(id), "DEVICE_STATE_ACTIVE");
  EXPECT_THAT(Ctl(admin_credentials_, {"audit", "list"}).out,
              Not(HasSubstr("device.revoke")));
}

TEST_F(TrellisctlTest, RevokeAsksAtATerminalAndNeedsYesWithoutOne) {
  std::string id = EnrollNamed("asked", "staff", "SN-A");
  CtlResult no_tty =
      Ctl(admin_credentials_, {"device", "revoke", id, "--reason", "stolen"});
  EXPECT_EQ(no_tty.exit_code, 2);
  EXPECT_THAT(no_tty.err, HasSubstr("pass --yes"));
  EXPECT_EQ(DeviceState(id), "DEVICE_STATE_ACTIVE");

  CtlResult declined =
      CtlAnswering(admin_credentials_,
                   {"device", "revoke", id, "--reason", "stolen"}, "n\n");
  EXPECT_EQ(declined.exit_code, 1);
  EXPECT_THAT(declined.err, HasSubstr("asked"));  // the question names it
  EXPECT_THAT(declined.err, HasSubstr("nothing was changed"));
  EXPECT_EQ(DeviceState(id), "DEVICE_STATE_ACTIVE");

  CtlResult accepted =
      CtlAnswering(admin_credentials_,
                   {"device", "revoke", id, "--reason", "stolen"}, "y\n");
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(DeviceState(id), "DEVICE_STATE_REVOKED");

  CtlResult retired = Ctl(admin_credentials_, {"device", "retire", id,
                                               "--reason", "gone", "--yes"});
  EXPECT_EQ(retired.exit_code, 0) << retired.err;
  EXPECT_EQ(DeviceState(id), "DEVICE_STATE_RETIRED");
}

TEST_F(TrellisctlTest, ApplyingOneFileKeepsTheRestUnlessPrune) {
  std::string both = PolicyDir("both", {kPolicyA, kPolicyB});
  ASSERT_EQ(Ctl(admin_credentials_, {"policy", "apply", both}).exit_code, 0);
  std::string only_a = PolicyDir("only-a", {kPolicyA}) + "/p0.yaml";

  // Merge: pol-b stays and the plan says so.
  std::string changed = kPolicyA;
  changed.replace(changed.find("Runs Debian"), 11, "Runs Debian!");
  ASSERT_TRUE(WriteFileAtomic(only_a, changed).ok());
  CtlResult merged = Ctl(admin_credentials_, {"policy", "apply", only_a});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_THAT(merged.out, HasSubstr("~ change pol-a/debian"));
  EXPECT_THAT(merged.out, HasSubstr("  keep   pol-b/kernel"));
  EXPECT_THAT(merged.out, HasSubstr("--prune would remove them): pol-b"));
  EXPECT_THAT(merged.out, Not(HasSubstr("- remove")));
  EXPECT_THAT(merged.out, HasSubstr("Published bundle version 2."));
  EXPECT_THAT(PolicyShow(), HasSubstr("pol-b"));

  // Prune: the removal is planned, needs --yes without a terminal, and
  // nothing is published until it is given.
  CtlResult refused =
      Ctl(admin_credentials_, {"policy", "apply", only_a, "--prune"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.out, HasSubstr("- remove pol-b"));
  EXPECT_THAT(refused.err, HasSubstr("pass --yes"));
  EXPECT_THAT(PolicyShow(), HasSubstr("Bundle version 2"));
  EXPECT_THAT(PolicyShow(), HasSubstr("pol-b"));

  CtlResult dry = Ctl(admin_credentials_,
                      {"policy", "apply", only_a, "--prune", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("- remove pol-b"));
  EXPECT_THAT(PolicyShow(), HasSubstr("pol-b"));

  CtlResult declined = CtlAnswering(
      admin_credentials_, {"policy", "apply", only_a, "--prune"}, "no\n");
  EXPECT_EQ(declined.exit_code, 1);
  EXPECT_THAT(PolicyShow(), HasSubstr("pol-b"));

  CtlResult pruned =
      Ctl(admin_credentials_, {"policy", "apply", only_a, "--prune", "--yes"});
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_THAT(pruned.out, HasSubstr("Published bundle version 3."));
  EXPECT_THAT(PolicyShow(), Not(HasSubstr("pol-b")));
}

TEST_F(TrellisctlTest, ExceptionsForUnknownChecksOrTwiceAreRefusedByName) {
  ASSERT_EQ(
      Ctl(admin_credentials_, {"policy", "apply", PolicyDir("p", {kPolicyA})})
          .exit_code,
      0);
  std::string id = EnrollNamed("excused", "staff", "SN-E");
  auto add = [&](const std::string& check) {
    return Ctl(admin_credentials_, {"exception", "add", id, check, "--until",
                                    "7d", "--reason", "ticket 42"});
  };
  CtlResult no_policy = add("pol-z/debian");
  EXPECT_EQ(no_policy.exit_code, 1);
  EXPECT_THAT(no_policy.err, HasSubstr("not found: no policy pol-z"));
  CtlResult no_check = add("pol-a/debain");
  EXPECT_EQ(no_check.exit_code, 1);
  EXPECT_THAT(no_check.err, HasSubstr("policy pol-a has no check debain"));

  CtlResult first = add("pol-a/debian");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  CtlResult twice = add("pol-a/debian");
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("already exists: exception 1 already covers "
                                   "pol-a/debian"));
  CtlResult list = Ctl(admin_credentials_, {"exception", "list", id});
  EXPECT_EQ(std::vector<std::string>(absl::StrSplit(list.out, '\n')).size(),
            3u)  // header, one exception, trailing newline
      << list.out;

  // Once it is removed, a new one may be added.
  ASSERT_EQ(Ctl(admin_credentials_, {"exception", "remove", "1"}).exit_code, 0);
  EXPECT_EQ(add("pol-a/debian").exit_code, 0);
}

TEST_F(TrellisctlTest, DeviceListFiltersOnTheServer) {
  std::string a = EnrollNamed("alpha-laptop", "staff", "SN-1111");
  std::string b = EnrollNamed("beta-desk", "finance", "SN-2222");
  std::string c = EnrollNamed("gamma-laptop", "finance", "SN-3333");
  ASSERT_EQ(Ctl(admin_credentials_,
                {"device", "revoke", c, "--reason", "lost", "--yes"})
                .exit_code,
            0);
  auto list = [&](std::vector<std::string> filter) {
    filter.insert(filter.begin(), {"device", "list"});
    CtlResult r = Ctl(admin_credentials_, filter);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  std::string finance = list({"--group", "finance"});
  EXPECT_THAT(finance, Not(HasSubstr(a)));
  EXPECT_THAT(finance, HasSubstr(b));
  EXPECT_THAT(finance, HasSubstr(c));
  EXPECT_THAT(finance, HasSubstr("2 device(s)"));
  std::string active_finance =
      list({"--group", "finance", "--state", "active"});
  EXPECT_THAT(active_finance, HasSubstr(b));
  EXPECT_THAT(active_finance, HasSubstr("1 device(s)"));
  std::string laptops = list({"--search", "LAPTOP"});
  EXPECT_THAT(laptops, HasSubstr(a));
  EXPECT_THAT(laptops, HasSubstr(c));
  EXPECT_THAT(laptops, Not(HasSubstr(b)));
  EXPECT_THAT(list({"--search", "2222"}), HasSubstr("beta-desk"));
  EXPECT_THAT(list({"--compliance", "revoked"}), HasSubstr("1 device(s)"));
  EXPECT_THAT(list({"--group", "nobody"}), HasSubstr("0 device(s)"));

  // The server names a bad filter, whoever sends it.
  CtlResult bad_group =
      Ctl(admin_credentials_, {"device", "list", "--group", "no such group"});
  EXPECT_EQ(bad_group.exit_code, 1);
  EXPECT_THAT(bad_group.err, HasSubstr("group"));
  CtlResult bad_search =
      Ctl(admin_credentials_, {"device", "list", "--search", "a\x1b[2J"});
  EXPECT_EQ(bad_search.exit_code, 1);
  EXPECT_THAT(bad_search.err, HasSubstr("search"));
  // Paging through a filtered list returns every match once; a filter
  // value out of range is named.
  auto stub = AdminStub();
  for (int page_size : {1, 2}) {
    v1::ListDevicesRequest request;
    request.set_group("finance");
    request.set_page_size(page_size);
    std::vector<std::string> seen;
    do {
      grpc::ClientContext context;
      v1::ListDevicesResponse page;
      grpc::Status s = stub->ListDevices(&context, request, &page);
      ASSERT_TRUE(s.ok()) << s.error_message();
      for (const auto& d : page.devices()) seen.push_back(d.device_id());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    EXPECT_THAT(seen, ::testing::UnorderedElementsAre(b, c)) << page_size;
  }
  v1::ListDevicesRequest bad_state;
  bad_state.set_state(static_cast<v1::DeviceState>(42));
  grpc::ClientContext context;
  v1::ListDevicesResponse ignored;
  grpc::Status s = stub->ListDevices(&context, bad_state, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("state 42"));
}

TEST_F(TrellisctlTest, DeviceShowFindsByHostnameOrSerialAndListsAmbiguity) {
  std::string a = EnrollNamed("front-desk", "staff", "SN-FD");
  CtlResult by_host = Ctl(admin_credentials_, {"device", "show", "FRONT-DESK"});
  ASSERT_EQ(by_host.exit_code, 0) << by_host.err;
  EXPECT_THAT(by_host.out, HasSubstr(absl::StrCat("Device:        ", a)));
  CtlResult by_serial = Ctl(admin_credentials_, {"device", "show", "SN-FD"});
  ASSERT_EQ(by_serial.exit_code, 0) << by_serial.err;
  EXPECT_THAT(by_serial.out, HasSubstr(a));

  // A second device reporting the same serial (a clone, or a re-install).
  std::string b = EnrollNamed("front-desk-2", "staff", "SN-FD");
  CtlResult ambiguous = Ctl(admin_credentials_, {"device", "show", "SN-FD"});
  EXPECT_EQ(ambiguous.exit_code, 1);
  EXPECT_THAT(ambiguous.err, HasSubstr("names 2 devices"));
  EXPECT_THAT(ambiguous.err, HasSubstr(a));
  EXPECT_THAT(ambiguous.err, HasSubstr(b));
  EXPECT_EQ(ambiguous.out, "");

  CtlResult missing = Ctl(admin_credentials_, {"device", "show", "no-such"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("not found"));
}

TEST_F(TrellisctlTest, DeviceShowFitsAScreenAndFactsAreOnRequest) {
  ASSERT_EQ(Ctl(admin_credentials_,
                {"policy", "apply", PolicyDir("p", {kPolicyA, kPolicyB})})
                .exit_code,
            0);
  auto state = Enroll(CreateToken(), "screen", "SN-S");
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_TRUE(CheckIn(*state).ok());
  std::string id = state->LoadRecord()->device_id;
  CtlResult show = Ctl(admin_credentials_, {"device", "show", id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_LE(std::vector<std::string>(absl::StrSplit(show.out, '\n')).size(),
            50u)
      << show.out;
  EXPECT_THAT(show.out, Not(HasSubstr("kernel_release:")));
  EXPECT_THAT(show.out, HasSubstr("--facts"));
  CtlResult facts = Ctl(admin_credentials_, {"device", "show", id, "--facts"});
  EXPECT_THAT(facts.out, HasSubstr("kernel_release: 6.1.0-test"));
}

TEST_F(TrellisctlTest, WhatADeviceReportedIsPrintedEscaped) {
  std::string id = EnrollNamed("hostile", "staff", "SN-H");
  // Whatever the server accepts today, a record holding control characters
  // (an older server, a restored database) must not reach the terminal raw.
  ASSERT_TRUE(server_->store()
                  .WriteSync([&](server::StoreWriter& w) -> absl::Status {
                    auto d = w.GetDevice(id);
                    if (!d.ok()) return d.status();
                    server::DeviceRecord record = **d;
                    record.os_version =
                        "12\x1b]0;owned\x07\r\nSTATE: ok\x1b[2J";
                    record.hostname = "hostile\x1b[1A";
                    return w.UpdateDevice(record);
                  })
                  .ok());
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"device", "list"},
                                             {"device", "show", id}}) {
    CtlResult r = Ctl(admin_credentials_, args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << args[1];
    EXPECT_EQ(r.out.find('\r'), std::string::npos) << args[1];
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << args[1];
    EXPECT_THAT(r.out, HasSubstr("12\\e]0;owned\\x07\\r\\nSTATE: ok\\e[2J"));
    EXPECT_THAT(r.out, HasSubstr("hostile\\e[1A"));
  }
  // JSON keeps the exact bytes, escaped by JSON itself.
  CtlResult json = Ctl(admin_credentials_, {"device", "show", id, "--json"});
  EXPECT_EQ(json.out.find('\x1b'), std::string::npos);
  EXPECT_THAT(json.out, HasSubstr("\\u001b]0;owned"));
}

}  // namespace
}  // namespace trellis::testing
