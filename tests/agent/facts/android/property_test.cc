#include "absl/status/status.h"
#include "agent/facts/android/command_text.h"
#include "agent/facts/android/property_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/android/android_test_util.h"

namespace trellis::agent::android_facts {
namespace {

using android_test::Ok;
using android_test::Result;
using ::testing::HasSubstr;

TEST(AndroidGetpropTest, Values) {
  EXPECT_EQ(ParseGetpropValue("14\n"), "14");
  EXPECT_EQ(ParseGetpropValue("9\r\n"), "9");        // old adb pty
  EXPECT_EQ(ParseGetpropValue("\n"), std::nullopt);  // unset
  EXPECT_EQ(ParseGetpropValue(""), std::nullopt);
}

TEST(AndroidSettingsTest, Values) {
  EXPECT_EQ(ParseSettingsInteger("30000\n").value(), 30000);
  EXPECT_EQ(ParseSettingsInteger("0\r\n").value(), 0);
  EXPECT_EQ(ParseSettingsInteger("null\n").value(), std::nullopt);
  EXPECT_EQ(ParseSettingsInteger("2147483647\n").value(), 2147483647);
  EXPECT_THAT(ParseSettingsInteger("").status().message(),
              HasSubstr("empty output"));
  EXPECT_THAT(ParseSettingsInteger("cmd: Can't find service: settings\n")
                  .status()
                  .message(),
              HasSubstr("not a number: 'cmd: Can't find service: settings'"));
  EXPECT_FALSE(ParseSettingsInteger("30.5").ok());
}

TEST(AndroidGetpropTest, RunnerErrorsNameTheCommand) {
  FakeCommandRunner runner;
  CollectContext ctx{nullptr, &runner, nullptr};
  auto missing = Getprop(ctx, "ro.crypto.state");
  EXPECT_THAT(missing.status().message(),
              HasSubstr("getprop ro.crypto.state: getprop is not installed"));
  runner.Set("getprop ro.secure",
             Result(1, "", "getprop: permission denied\n"));
  EXPECT_THAT(Getprop(ctx, "ro.secure").status().message(),
              HasSubstr("getprop ro.secure: exited with status 1: getprop: "
                        "permission denied"));
  runner.Set("settings get global adb_enabled",
             Ok("Security exception: Permission denial\n"));
  EXPECT_THAT(SettingsInteger(ctx, "global", "adb_enabled").status().message(),
              HasSubstr("settings get global adb_enabled: not a number"));
}

}  // namespace
}  // namespace trellis::agent::android_facts
