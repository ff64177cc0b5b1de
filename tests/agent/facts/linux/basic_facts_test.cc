#include "agent/facts/linux/basic_facts.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agent/facts/system_source.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A machine described by a map of files and a fixed uname answer.
class FakeSystemSource : public SystemSource {
 public:
  std::map<std::string, std::string> files;
  absl::StatusOr<UnameInfo> uname =
      UnameInfo{"Linux", "node1", "6.1.0-18-amd64", "x86_64"};
  std::vector<std::string> reads;

  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    reads.push_back(path);
    auto it = files.find(path);
    if (it == files.end()) {
      return absl::NotFoundError(absl::StrCat("no file ", path));
    }
    return it->second;
  }
  absl::StatusOr<UnameInfo> Uname() override { return uname; }
};

constexpr char kDebianOsRelease[] =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
    "NAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\n"
    "VERSION=\"12 (bookworm)\"\n"
    "ID=debian\n";

// Text of a cell, or "<null>" when the value is unset (SQL NULL).
std::string Cell(const v1::FactTable& table, const std::string& column,
                 int row = 0) {
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c) != column) continue;
    const v1::FactValue& v = table.rows(row).values(c);
    if (v.value_case() == v1::FactValue::VALUE_NOT_SET) return "<null>";
    EXPECT_EQ(v.value_case(), v1::FactValue::kTextValue) << column;
    return v.text_value();
  }
  ADD_FAILURE() << "no column " << column;
  return "<missing column>";
}

std::vector<std::string> Columns(const v1::FactTable& table) {
  return {table.columns().begin(), table.columns().end()};
}

TEST(CollectOsVersionTest, ReadsOsReleaseAndUname) {
  FakeSystemSource source;
  source.files["/etc/os-release"] = kDebianOsRelease;
  v1::FactTable table = CollectOsVersion(source);
  EXPECT_EQ(table.name(), "os_version");
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(Columns(table),
              ElementsAre("name", "version", "version_id", "id", "pretty_name",
                          "kernel_release", "arch"));
  ASSERT_EQ(table.rows_size(), 1);
  ASSERT_EQ(table.rows(0).values_size(), 7);
  EXPECT_EQ(Cell(table, "name"), "Debian GNU/Linux");
  EXPECT_EQ(Cell(table, "version"), "12 (bookworm)");
  EXPECT_EQ(Cell(table, "version_id"), "12");
  EXPECT_EQ(Cell(table, "id"), "debian");
  EXPECT_EQ(Cell(table, "pretty_name"), "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(Cell(table, "kernel_release"), "6.1.0-18-amd64");
  EXPECT_EQ(Cell(table, "arch"), "x86_64");
}

TEST(CollectOsVersionTest, MissingKeysAreNull) {
  FakeSystemSource source;
  source.files["/etc/os-release"] = "ID=alpine\n";
  v1::FactTable table = CollectOsVersion(source);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(Cell(table, "id"), "alpine");
  EXPECT_EQ(Cell(table, "name"), "<null>");
  EXPECT_EQ(Cell(table, "version"), "<null>");
  EXPECT_EQ(Cell(table, "version_id"), "<null>");
  EXPECT_EQ(Cell(table, "pretty_name"), "<null>");
}

TEST(CollectOsVersionTest, FallsBackToUsrLibOsRelease) {
  FakeSystemSource source;
  source.files["/usr/lib/os-release"] = "ID=fedora\nVERSION_ID=40\n";
  v1::FactTable table = CollectOsVersion(source);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(Cell(table, "id"), "fedora");
  EXPECT_EQ(Cell(table, "version_id"), "40");
  EXPECT_THAT(source.reads,
              ElementsAre("/etc/os-release", "/usr/lib/os-release"));
}

TEST(CollectOsVersionTest, EtcOsReleaseWinsOverUsrLib) {
  FakeSystemSource source;
  source.files["/etc/os-release"] = "ID=debian\n";
  source.files["/usr/lib/os-release"] = "ID=fedora\n";
  v1::FactTable table = CollectOsVersion(source);
  EXPECT_EQ(Cell(table, "id"), "debian");
}

TEST(CollectOsVersionTest, UnameFailingLeavesKernelColumnsNull) {
  FakeSystemSource source;
  source.files["/etc/os-release"] = kDebianOsRelease;
  source.uname = absl::InternalError("uname failed");
  v1::FactTable table = CollectOsVersion(source);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(Cell(table, "id"), "debian");
  EXPECT_EQ(Cell(table, "kernel_release"), "<null>");
  EXPECT_EQ(Cell(table, "arch"), "<null>");
}

TEST(CollectOsVersionTest, OsReleaseMissingButUnameWorks) {
  FakeSystemSource source;
  v1::FactTable table = CollectOsVersion(source);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(Cell(table, "name"), "<null>");
  EXPECT_EQ(Cell(table, "id"), "<null>");
  EXPECT_EQ(Cell(table, "kernel_release"), "6.1.0-18-amd64");
}

TEST(CollectOsVersionTest, NothingReadableIsUnknownWithReason) {
  FakeSystemSource source;
  source.uname = absl::InternalError("uname failed");
  v1::FactTable table = CollectOsVersion(source);
  EXPECT_EQ(table.name(), "os_version");
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(table.rows_size(), 0);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("os-release"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("uname"));
}

TEST(CollectSystemInfoTest, ReadsDmiAndHostname) {
  FakeSystemSource source;
  source.files["/sys/class/dmi/id/sys_vendor"] = "LENOVO\n";
  source.files["/sys/class/dmi/id/product_name"] = "  20XW0055GE \n";
  source.files["/sys/class/dmi/id/product_serial"] = "PF2ABCDE\n";
  v1::FactTable table = CollectSystemInfo(source);
  EXPECT_EQ(table.name(), "system_info");
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(Columns(table), ElementsAre("hostname", "hardware_vendor",
                                          "hardware_model", "hardware_serial"));
  ASSERT_EQ(table.rows_size(), 1);
  ASSERT_EQ(table.rows(0).values_size(), 4);
  EXPECT_EQ(Cell(table, "hostname"), "node1");
  EXPECT_EQ(Cell(table, "hardware_vendor"), "LENOVO");
  EXPECT_EQ(Cell(table, "hardware_model"), "20XW0055GE");
  EXPECT_EQ(Cell(table, "hardware_serial"), "PF2ABCDE");
}

TEST(CollectSystemInfoTest, MissingDmiFilesAreNull) {
  FakeSystemSource source;
  v1::FactTable table = CollectSystemInfo(source);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(Cell(table, "hostname"), "node1");
  EXPECT_EQ(Cell(table, "hardware_vendor"), "<null>");
  EXPECT_EQ(Cell(table, "hardware_model"), "<null>");
  EXPECT_EQ(Cell(table, "hardware_serial"), "<null>");
}

TEST(CollectSystemInfoTest, BlankDmiFileIsNull) {
  FakeSystemSource source;
  source.files["/sys/class/dmi/id/sys_vendor"] = " \n";
  v1::FactTable table = CollectSystemInfo(source);
  EXPECT_EQ(Cell(table, "hardware_vendor"), "<null>");
}

TEST(CollectSystemInfoTest, PlaceholderSerialsAreNull) {
  for (const char* placeholder :
       {"To Be Filled By O.E.M.\n", "to be filled by o.e.m.",
        "System Serial Number", "Default string", "Not Specified", "None", "0",
        "123456789", "Chassis Serial Number"}) {
    FakeSystemSource source;
    source.files["/sys/class/dmi/id/product_serial"] = placeholder;
    v1::FactTable table = CollectSystemInfo(source);
    EXPECT_EQ(Cell(table, "hardware_serial"), "<null>") << placeholder;
  }
}

TEST(CollectSystemInfoTest, SerialMerelyContainingPlaceholderIsKept) {
  FakeSystemSource source;
  source.files["/sys/class/dmi/id/product_serial"] = "00012345";
  v1::FactTable table = CollectSystemInfo(source);
  EXPECT_EQ(Cell(table, "hardware_serial"), "00012345");
}

TEST(CollectSystemInfoTest, HostnameFileWhenUnameFails) {
  FakeSystemSource source;
  source.uname = absl::InternalError("uname failed");
  source.files["/etc/hostname"] = "laptop-7\n";
  v1::FactTable table = CollectSystemInfo(source);
  EXPECT_EQ(Cell(table, "hostname"), "laptop-7");
}

TEST(CollectSystemInfoTest, NoHostnameAnywhereIsNull) {
  FakeSystemSource source;
  source.uname = UnameInfo{"Linux", "", "6.1.0", "aarch64"};
  v1::FactTable table = CollectSystemInfo(source);
  EXPECT_EQ(Cell(table, "hostname"), "<null>");
}

TEST(CollectBasicReportTest, HasPlatformAndBothTables) {
  FakeSystemSource source;
  source.files["/etc/os-release"] = kDebianOsRelease;
  v1::PostureReport report = CollectBasicReport(source);
  EXPECT_EQ(report.platform(), v1::PLATFORM_LINUX);
  ASSERT_EQ(report.tables_size(), 2);
  EXPECT_EQ(report.tables(0).name(), "os_version");
  EXPECT_EQ(report.tables(1).name(), "system_info");
}

TEST(RealSystemSourceTest, ReadsFilesUnderItsRoot) {
  testing::TempDir root;
  ASSERT_TRUE(MakeDirs(root.File("etc")).ok());
  ASSERT_TRUE(MakeDirs(root.File("sys/class/dmi/id")).ok());
  ASSERT_TRUE(WriteFileAtomic(root.File("etc/os-release"),
                              "NAME=\"Trellis Test OS\"\nID=trellistest\n"
                              "VERSION_ID=\"0.1\"\n")
                  .ok());
  ASSERT_TRUE(
      WriteFileAtomic(root.File("sys/class/dmi/id/sys_vendor"), "Acme\n").ok());
  RealSystemSource source(root.path());

  v1::FactTable os = CollectOsVersion(source);
  EXPECT_EQ(os.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(Cell(os, "name"), "Trellis Test OS");
  EXPECT_EQ(Cell(os, "id"), "trellistest");
  EXPECT_EQ(Cell(os, "version_id"), "0.1");
  // uname is the real one; only check it answered.
  EXPECT_NE(Cell(os, "kernel_release"), "<null>");

  v1::FactTable info = CollectSystemInfo(source);
  EXPECT_EQ(Cell(info, "hardware_vendor"), "Acme");
  EXPECT_EQ(Cell(info, "hardware_model"), "<null>");

  absl::StatusOr<std::string> missing = source.ReadFile("/etc/hostname");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(root.File("etc/hostname")));
}

}  // namespace
}  // namespace trellis::agent
