#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/mobile_security_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/android/android_test_util.h"

namespace trellis::agent::android_facts {
namespace {

using android_test::CollectChecked;
using android_test::Fixture;
using android_test::LoadSession;
using android_test::Ok;
using android_test::Result;
using android_test::RowString;
using ::testing::HasSubstr;

TEST(AndroidLockSettingsTest, Android14Pin) {
  auto s = ParseDumpsysLockSettings(
      Fixture("dumpsys_lock_settings_android14_pin.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  // "Quality: 0" in the same block does not matter.
  EXPECT_TRUE(*s);
}

TEST(AndroidLockSettingsTest, Android12MixedCaseAndRaggedIndentation) {
  auto s = ParseDumpsysLockSettings(
      Fixture("dumpsys_lock_settings_android12_pin.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(*s);
}

TEST(AndroidLockSettingsTest, NoCredential) {
  auto s = ParseDumpsysLockSettings(Fixture("dumpsys_lock_settings_none.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(*s);
}

TEST(AndroidLockSettingsTest, WorkProfilePasswordDoesNotCountForUser0) {
  auto s = ParseDumpsysLockSettings(
      Fixture("dumpsys_lock_settings_work_profile.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(*s);
}

TEST(AndroidLockSettingsTest, NumericCredentialTypes) {
  EXPECT_EQ(ParseDumpsysLockSettings("  User 0\n    CredentialType: 3\n")
                .value_or(false),
            true);
  EXPECT_EQ(ParseDumpsysLockSettings("  User 0\n    CredentialType: -1\n")
                .value_or(true),
            false);
  EXPECT_FALSE(
      ParseDumpsysLockSettings("  User 0\n    CredentialType: 9\n").ok());
}

TEST(AndroidLockSettingsTest, UnreadableOutputsAreErrors) {
  EXPECT_THAT(
      ParseDumpsysLockSettings(Fixture("dumpsys_lock_settings_android10.txt"))
          .status()
          .message(),
      HasSubstr("no credential type for user 0"));
  EXPECT_THAT(ParseDumpsysLockSettings(
                  Fixture("dumpsys_lock_settings_permission_denial.txt"))
                  .status()
                  .message(),
              HasSubstr("Permission Denial"));
  EXPECT_FALSE(ParseDumpsysLockSettings("").ok());
  EXPECT_THAT(ParseDumpsysLockSettings("  User 0\n    CredentialType: Face\n")
                  .status()
                  .message(),
              HasSubstr("unknown CredentialType 'Face'"));
  // Cut off before user 0's credential line.
  EXPECT_FALSE(
      ParseDumpsysLockSettings("User State:\n  User 0\n    SID: 4a").ok());
}

TEST(AndroidRootTest, WhichSu) {
  EXPECT_EQ(ParseWhichSu(Ok("/system/xbin/su\n")), true);
  EXPECT_EQ(ParseWhichSu(Result(1, "")), false);
  EXPECT_EQ(ParseWhichSu(Result(127, "", "which: not found\n")), std::nullopt);
  EXPECT_EQ(ParseWhichSu(Ok("")), std::nullopt);
}

TEST(AndroidRootTest, Indicators) {
  RootSignals clean{false, "0", "1", "release-keys"};
  EXPECT_EQ(DetectRoot(clean), false);
  RootSignals su = clean;
  su.su_found = true;
  EXPECT_EQ(DetectRoot(su), true);
  RootSignals test_keys = clean;
  test_keys.build_tags = "test-keys";
  EXPECT_EQ(DetectRoot(test_keys), true);
  RootSignals insecure = clean;
  insecure.debuggable = "1";
  insecure.secure = "0";
  EXPECT_EQ(DetectRoot(insecure), true);
  // Debuggable alone (a userdebug build with ro.secure=1) is not root.
  RootSignals debuggable = clean;
  debuggable.debuggable = "1";
  EXPECT_EQ(DetectRoot(debuggable), false);
  // An indicator that could not be read makes "none found" unknown.
  RootSignals partial = clean;
  partial.su_found.reset();
  EXPECT_EQ(DetectRoot(partial), std::nullopt);
}

TEST(AndroidDeveloperOptionsTest, NeverWrittenSettingFollowsBuildType) {
  EXPECT_EQ(DeveloperOptionsEnabled(1, "user"), true);
  EXPECT_EQ(DeveloperOptionsEnabled(0, "eng"), false);
  EXPECT_EQ(DeveloperOptionsEnabled(std::nullopt, "user"), false);
  EXPECT_EQ(DeveloperOptionsEnabled(std::nullopt, "eng"), true);
  EXPECT_EQ(DeveloperOptionsEnabled(std::nullopt, std::nullopt), std::nullopt);
}

TEST(AndroidMobileSecurityCollectorTest, Pixel8) {
  FakeCommandRunner runner;
  LoadSession("pixel8_android14.session", runner);
  auto collector = NewMobileSecurityCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "lock_screen_secure=true encryption_state=encrypted "
            "developer_options=false usb_debugging=false rooted=false");
}

TEST(AndroidMobileSecurityCollectorTest, RootedEmulator) {
  FakeCommandRunner runner;
  LoadSession("emulator_android13_userdebug.session", runner);
  auto collector = NewMobileSecurityCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "lock_screen_secure=false encryption_state=encrypted "
            "developer_options=true usb_debugging=true rooted=true");
}

TEST(AndroidMobileSecurityCollectorTest, Android9CredentialUnknown) {
  FakeCommandRunner runner;
  LoadSession("galaxy_android9_crlf.session", runner);
  auto collector = NewMobileSecurityCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  // No CredentialType before Android 11; development setting never written
  // on a user build.
  EXPECT_EQ(RowString(t, 0),
            "lock_screen_secure=NULL encryption_state=encrypted "
            "developer_options=false usb_debugging=false rooted=false");
}

TEST(AndroidMobileSecurityCollectorTest, OldTabletWithoutWhichOrLockService) {
  FakeCommandRunner runner;
  LoadSession("android6_unencrypted.session", runner);
  auto collector = NewMobileSecurityCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  // test-keys is an indicator on its own, even with `which` missing.
  EXPECT_EQ(RowString(t, 0),
            "lock_screen_secure=NULL encryption_state=unencrypted "
            "developer_options=false usb_debugging=true rooted=true");
}

TEST(AndroidMobileSecurityCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewMobileSecurityCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("getprop ro.crypto.state: getprop is not installed"));
}

TEST(AndroidMobileSecurityCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("getprop ro.crypto.state",
             Result(255, "", "error: no devices/emulators found\n"));
  auto collector = NewMobileSecurityCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("exited with status 255: error: no devices"));
}

TEST(AndroidMobileSecurityCollectorTest, OnlyGetpropWorksLeavesOthersNull) {
  FakeCommandRunner runner;
  runner.Set("getprop ro.crypto.state", Ok("encrypted\n"));
  runner.Set("getprop ro.build.tags", Ok("release-keys\n"));
  runner.Set("getprop ro.debuggable", Ok("0\n"));
  runner.Set("getprop ro.secure", Ok("1\n"));
  runner.Set("settings get global adb_enabled", Ok("Error: settings failed\n"));
  auto collector = NewMobileSecurityCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "lock_screen_secure=NULL encryption_state=encrypted "
            "developer_options=NULL usb_debugging=NULL rooted=NULL");
}

}  // namespace
}  // namespace trellis::agent::android_facts
