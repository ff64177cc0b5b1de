// `device show` as the help desk reads it: fits a screen by default, and
// nothing a device reported can drive the terminal.
#include "tools/trellisctl/device_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A device with a big last report (like a real one: thousands of fact rows)
// and one failing check among many passing ones.
v1::GetDeviceResponse BigDevice() {
  v1::GetDeviceResponse r;
  v1::DeviceSummary* d = r.mutable_device();
  d->set_device_id("daaaaaaaaaaaaaaaaaaaaaaaaaa");
  d->set_hostname("laptop-7");
  d->set_hardware_serial("SN-7");
  d->set_os_name("Debian GNU/Linux");
  d->set_os_version("11");
  d->set_compliance_state(v1::COMPLIANCE_STATE_GRACE);
  d->set_vpn_access(v1::VPN_ACCESS_FULL);
  d->set_tunnel_address("10.99.0.7/32");
  for (int i = 0; i < 40; ++i) {
    v1::CheckResult* c = r.add_checks();
    c->set_policy_id("baseline");
    c->set_check_id(absl::StrCat("check-", i));
    c->set_title(absl::StrCat("Check number ", i));
    c->set_state(i == 7 ? v1::CHECK_STATE_FAIL : v1::CHECK_STATE_PASS);
  }
  v1::CheckResult* failing = r.mutable_checks(7);
  std::string detail;
  for (int i = 0; i < 200; ++i) absl::StrAppend(&detail, "pkg=p", i, "\n");
  failing->set_detail(detail);
  failing->set_remediation("Run the updater.\nThen reboot.");
  v1::FactTable* t = r.mutable_last_report()->add_tables();
  t->set_name("packages");
  t->set_status(v1::FactTable::STATUS_OK);
  t->add_columns("name");
  t->add_columns("version");
  for (int i = 0; i < 1500; ++i) {
    v1::FactRow* row = t->add_rows();
    row->add_values()->set_text_value(absl::StrCat("package-", i));
    row->add_values()->set_text_value("1.0");
  }
  return r;
}

v1::GetDeviceHistoryResponse History(int n) {
  v1::GetDeviceHistoryResponse h;
  for (int i = 0; i < n; ++i) {
    v1::ComplianceTransition* t = h.add_transitions();
    t->set_from_state(v1::COMPLIANCE_STATE_COMPLIANT);
    t->set_to_state(v1::COMPLIANCE_STATE_GRACE);
    t->set_cause(absl::StrCat("cause ", i));
  }
  return h;
}

size_t Lines(const std::string& text) {
  return std::vector<std::string>(absl::StrSplit(text, '\n')).size();
}

TEST(DeviceReportTest, DefaultFitsAScreenWithWhatTheHelpDeskNeeds) {
  std::string out = RenderDeviceReport(BigDevice(), History(30), {});
  EXPECT_LE(Lines(out), 60u) << out;
  EXPECT_THAT(out, HasSubstr("Hostname:      laptop-7"));
  EXPECT_THAT(out, HasSubstr("VPN access:    full"));
  EXPECT_THAT(out, HasSubstr("Tunnel:        10.99.0.7/32"));
  EXPECT_THAT(out, HasSubstr("baseline/check-7 fails:"));
  EXPECT_THAT(out, HasSubstr("pkg=p0"));
  EXPECT_THAT(out, HasSubstr("more line(s)"));
  EXPECT_THAT(out, HasSubstr("Run the updater."));
  EXPECT_THAT(out, HasSubstr("Then reboot."));
  EXPECT_THAT(out, HasSubstr("cause 29"));               // the newest history
  EXPECT_THAT(out, Not(HasSubstr("cause 0\n")));         // not all of it
  EXPECT_THAT(out, Not(HasSubstr("baseline/check-8")));  // passing checks
  EXPECT_THAT(out, Not(HasSubstr("package-1")));
  EXPECT_THAT(out, HasSubstr("--facts"));
}

TEST(DeviceReportTest, FactsAndAllOnRequest) {
  DeviceReportOptions facts;
  facts.facts = true;
  std::string with_facts = RenderDeviceReport(BigDevice(), History(3), facts);
  EXPECT_THAT(with_facts, HasSubstr("[packages]"));
  EXPECT_THAT(with_facts, HasSubstr("name: package-1499"));
  DeviceReportOptions all;
  all.all_checks = true;
  all.history = 30;
  std::string everything = RenderDeviceReport(BigDevice(), History(30), all);
  EXPECT_THAT(everything, HasSubstr("baseline/check-39"));
  EXPECT_THAT(everything, HasSubstr("pkg=p199"));
  EXPECT_THAT(everything, HasSubstr("cause 0"));
}

TEST(DeviceReportTest, DeviceTextCannotDriveTheTerminal) {
  v1::GetDeviceResponse r = BigDevice();
  const std::string hostile = "12\x1b[2J\x1b]0;pwned\x07\r\nFAKE: ok";
  r.mutable_device()->set_os_version(hostile);
  r.mutable_device()->set_hostname("host\r\nState:         active");
  r.mutable_device()->set_agent_version("\x1b]8;;http://evil\x1b\\x");
  r.mutable_checks(7)->set_detail("line\x1b[31m red\rover");
  r.mutable_checks(7)->set_remediation(
      "fix\x9b"
      "1m");
  r.mutable_last_report()
      ->mutable_tables(0)
      ->mutable_rows(0)
      ->mutable_values(0)
      ->set_text_value("pkg\x1b[1A");
  v1::GetDeviceHistoryResponse h = History(1);
  h.mutable_transitions(0)->set_cause("by\x1b[K me");
  DeviceReportOptions options;
  options.facts = true;
  std::string out = RenderDeviceReport(r, h, options);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.find('\x07'), std::string::npos);
  EXPECT_EQ(out.find('\x9b'), std::string::npos);
  EXPECT_THAT(out, HasSubstr("12\\e[2J\\e]0;pwned\\x07\\r\\nFAKE: ok"));
  EXPECT_THAT(out, HasSubstr("host\\r\\nState:"));
  // No device text starts a line of its own.
  EXPECT_THAT(out, Not(HasSubstr("\nFAKE")));
  EXPECT_THAT(out, Not(HasSubstr("\nState:         active")));
}

}  // namespace
}  // namespace trellis::ctl
