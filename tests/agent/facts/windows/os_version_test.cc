#include "absl/status/status.h"
#include "agent/facts/windows/os_version_parser.h"
#include "agent/facts/windows/windows_collectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/windows/windows_test_util.h"

namespace trellis::agent::windows_facts {
namespace {

using ::testing::HasSubstr;
using windows_test::CollectChecked;
using windows_test::Fixture;
using windows_test::Key;
using windows_test::Ok;
using windows_test::Result;
using windows_test::RowString;

TEST(WindowsOsVersionTest, Windows11Pro) {
  auto os = ParseWin32OperatingSystem(Fixture("win32_os_win11_pro.json"));
  ASSERT_TRUE(os.ok()) << os.status();
  EXPECT_EQ(RowString(BuildOsVersionTable(*os), 0),
            "name=Microsoft Windows 11 Pro version=10.0.22631 "
            "version_id=10.0.22631 id=windows "
            "pretty_name=Microsoft Windows 11 Pro kernel_release=22631 "
            "arch=x86_64 security_patch_level=NULL");
}

TEST(WindowsOsVersionTest, GermanArchitectureAndTrailingSpaceInCaption) {
  auto os = ParseWin32OperatingSystem(Fixture("win32_os_win10_de.json"));
  ASSERT_TRUE(os.ok()) << os.status();
  EXPECT_EQ(os->caption, "Microsoft Windows 10 Pro");
  EXPECT_EQ(os->os_architecture, "64 Bit");
  EXPECT_THAT(RowString(BuildOsVersionTable(*os), 0), HasSubstr("arch=x86_64"));
}

TEST(WindowsOsVersionTest, FrenchArm64) {
  auto os = ParseWin32OperatingSystem(Fixture("win32_os_arm64_fr.json"));
  ASSERT_TRUE(os.ok()) << os.status();
  EXPECT_EQ(os->caption, "Microsoft Windows 11 Famille");
  EXPECT_THAT(RowString(BuildOsVersionTable(*os), 0), HasSubstr("arch=arm64"));
}

TEST(WindowsOsVersionTest, Server) {
  auto os = ParseWin32OperatingSystem(Fixture("win32_os_server2019.json"));
  ASSERT_TRUE(os.ok()) << os.status();
  EXPECT_EQ(os->version, "10.0.17763");
  EXPECT_EQ(os->build_number, "17763");
}

TEST(WindowsOsVersionTest, Architectures) {
  EXPECT_EQ(NormalizeArchitecture("64-bit"), "x86_64");
  EXPECT_EQ(NormalizeArchitecture("64 bits"), "x86_64");
  EXPECT_EQ(NormalizeArchitecture("ARM 64-bit Processor"), "arm64");
  EXPECT_EQ(NormalizeArchitecture("ARM 64-Bit-Prozessor"), "arm64");
  EXPECT_EQ(NormalizeArchitecture("32-bit"), "x86");
  EXPECT_EQ(NormalizeArchitecture("Itanium"), std::nullopt);
}

TEST(WindowsOsVersionTest, OddOutputsAreErrors) {
  EXPECT_THAT(ParseWin32OperatingSystem("").status().message(),
              HasSubstr("no Win32_OperatingSystem"));
  EXPECT_THAT(ParseWin32OperatingSystem(R"({"Caption": "Microsoft Windows"})")
                  .status()
                  .message(),
              HasSubstr("no Version"));
  EXPECT_FALSE(ParseWin32OperatingSystem(R"([{"Version": "10.0.1"},
                                            {"Version": "10.0.2"}])")
                   .ok());
  EXPECT_FALSE(ParseWin32OperatingSystem("{\"Caption\":  \"Micro").ok());
}

TEST(WindowsOsVersionCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set(Key(kOsVersionScript), Ok(Fixture("win32_os_win11_pro.json")));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_THAT(RowString(t, 0), HasSubstr("version_id=10.0.22631 id=windows"));
}

TEST(WindowsOsVersionCollectorTest, RunsTheDocumentedCommand) {
  FakeCommandRunner runner;
  auto collector = NewOsVersionCollector();
  CollectChecked(*collector, runner);
  ASSERT_EQ(runner.calls().size(), 1u);
  EXPECT_EQ(runner.calls()[0],
            "powershell.exe -NoProfile -NonInteractive -Command "
            "$ProgressPreference = 'SilentlyContinue'; "
            "[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; "
            "Get-CimInstance Win32_OperatingSystem | Select-Object "
            "Caption,Version,BuildNumber,OSArchitecture | ConvertTo-Json "
            "-Depth 3");
}

TEST(WindowsOsVersionCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.rows_size(), 0);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Win32_OperatingSystem (PowerShell): powershell.exe is "
                        "not installed"));
}

TEST(WindowsOsVersionCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kOsVersionScript),
             Result(1, "", Fixture("win32_os_provider_failure.txt")));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("Provider load failure"));
}

TEST(WindowsOsVersionCollectorTest, TimeoutIsUnknown) {
  FakeCommandRunner runner;
  runner.SetError(
      Key(kOsVersionScript),
      absl::DeadlineExceededError("powershell.exe did not finish within 10s"));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("did not finish within 10s"));
}

TEST(WindowsOsVersionCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kOsVersionScript), Ok(""));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.unknown_reason(),
            "Win32_OperatingSystem (PowerShell): no Win32_OperatingSystem "
            "instance");
}

}  // namespace
}  // namespace trellis::agent::windows_facts
