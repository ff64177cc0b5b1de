#include "agent/facts/linux/system_info_collector.h"

#include <memory>
#include <string>

#include "agent/facts/linux/linux_collectors.h"
#include "common/exec/command_runner.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/linux/fake_linux_system.h"

namespace trellis::agent::linux_facts {
namespace {

using test_support::FakeLinuxSystem;
using test_support::Fixture;
using test_support::IntCell;
using test_support::TextCell;
using ::testing::HasSubstr;

v1::FactTable CollectTable(FakeLinuxSystem& system) {
  FakeCommandRunner runner;
  FakeClock clock;
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable table = NewSystemInfoCollector()->Collect(ctx);
  EXPECT_TRUE(runner.calls().empty());
  return table;
}

TEST(IsPlaceholderSerialTest, KnownPlaceholders) {
  for (const char* p :
       {"To Be Filled By O.E.M.", "to be filled by o.e.m.", " Default string\n",
        "System Serial Number", "Not Specified", "None", "0", "123456789",
        "Chassis Serial Number", "0000000000", "XXXXXXXX", "", "   ", "N/A",
        "Not Applicable", "FFFFFFFF"}) {
    EXPECT_TRUE(IsPlaceholderSerial(p)) << "'" << p << "'";
  }
}

TEST(IsPlaceholderSerialTest, RealSerialsAreKept) {
  for (const char* s :
       {"PF2ABCDE", "00012345", "C02XK1ZJJGH5",
        "VMware-56 4d 2b 1a 3c 4e 5f 60-71 82 93 a4 b5 c6 d7 e8", "5CG1234XYZ",
        "11111111"}) {
    EXPECT_FALSE(IsPlaceholderSerial(s)) << s;
  }
}

TEST(ParseMemTotalBytesTest, RealMeminfo) {
  absl::StatusOr<int64_t> bytes =
      ParseMemTotalBytes(Fixture("system_info/meminfo_vm.txt"));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, int64_t{24683656} * 1024);
}

TEST(ParseMemTotalBytesTest, MissingUnitIsAnError) {
  absl::StatusOr<int64_t> bytes =
      ParseMemTotalBytes(Fixture("system_info/meminfo_no_unit.txt"));
  EXPECT_FALSE(bytes.ok());
  EXPECT_THAT(bytes.status().message(), HasSubstr("MemTotal"));
}

TEST(ParseMemTotalBytesTest, NoMemTotalLine) {
  EXPECT_EQ(ParseMemTotalBytes("MemFree: 10 kB\n").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(ParseMemTotalBytes("").ok());
}

TEST(ParseCpuInfoTest, X86CountsProcessorsAndTakesModelName) {
  absl::StatusOr<CpuInfo> cpu =
      ParseCpuInfo(Fixture("system_info/cpuinfo_xeon_2cpu_vm.txt"));
  ASSERT_TRUE(cpu.ok()) << cpu.status();
  EXPECT_EQ(cpu->logical_cpus, 2);
  EXPECT_EQ(cpu->model, "Intel(R) Xeon(R) Processor");
}

TEST(ParseCpuInfoTest, Arm64WithoutModelNameIsNullModel) {
  absl::StatusOr<CpuInfo> cpu =
      ParseCpuInfo(Fixture("system_info/cpuinfo_arm64_rpi4.txt"));
  ASSERT_TRUE(cpu.ok()) << cpu.status();
  EXPECT_EQ(cpu->logical_cpus, 4);
  // "Model : Raspberry Pi 4" is the board, not the CPU.
  EXPECT_EQ(cpu->model, std::nullopt);
}

TEST(ParseCpuInfoTest, EmptyIsAnError) {
  EXPECT_FALSE(ParseCpuInfo("").ok());
  EXPECT_FALSE(ParseCpuInfo("garbage without fields\n").ok());
}

TEST(SystemInfoCollectorTest, HappyPath) {
  FakeLinuxSystem system;
  system.files["/sys/class/dmi/id/sys_vendor"] = "LENOVO\n";
  system.files["/sys/class/dmi/id/product_name"] = "  20XW0055GE \n";
  system.files["/sys/class/dmi/id/product_serial"] = "PF2ABCDE\n";
  system.files["/proc/meminfo"] = Fixture("system_info/meminfo_vm.txt");
  system.files["/proc/cpuinfo"] =
      Fixture("system_info/cpuinfo_xeon_2cpu_vm.txt");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(table).ok());
  ASSERT_EQ(table.rows_size(), 1);
  EXPECT_EQ(TextCell(table, "hostname"), "node1");
  EXPECT_EQ(TextCell(table, "hardware_vendor"), "LENOVO");
  EXPECT_EQ(TextCell(table, "hardware_model"), "20XW0055GE");
  EXPECT_EQ(TextCell(table, "hardware_serial"), "PF2ABCDE");
  EXPECT_EQ(IntCell(table, "memory_bytes"), int64_t{24683656} * 1024);
  EXPECT_EQ(TextCell(table, "cpu_model"), "Intel(R) Xeon(R) Processor");
  EXPECT_EQ(IntCell(table, "cpu_cores"), 2);
}

TEST(SystemInfoCollectorTest, PlaceholderSerialIsNull) {
  FakeLinuxSystem system;
  system.files["/sys/class/dmi/id/product_serial"] = "To Be Filled By O.E.M.\n";
  EXPECT_EQ(TextCell(CollectTable(system), "hardware_serial"), std::nullopt);
}

TEST(SystemInfoCollectorTest, RootOnlySerialIsNullForNonRoot) {
  FakeLinuxSystem system;
  system.files["/sys/class/dmi/id/sys_vendor"] = "Dell Inc.\n";
  system.errors["/sys/class/dmi/id/product_serial"] =
      absl::PermissionDeniedError("cannot open product_serial");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(TextCell(table, "hardware_vendor"), "Dell Inc.");
  EXPECT_EQ(TextCell(table, "hardware_serial"), std::nullopt);
}

TEST(SystemInfoCollectorTest, VmWithoutDmiHasNullHardwareButCpuAndMemory) {
  FakeLinuxSystem system;
  system.files["/proc/meminfo"] = Fixture("system_info/meminfo_vm.txt");
  system.files["/proc/cpuinfo"] = Fixture("system_info/cpuinfo_arm64_rpi4.txt");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(TextCell(table, "hardware_vendor"), std::nullopt);
  EXPECT_EQ(TextCell(table, "hardware_model"), std::nullopt);
  EXPECT_EQ(TextCell(table, "cpu_model"), std::nullopt);
  EXPECT_EQ(IntCell(table, "cpu_cores"), 4);
}

TEST(SystemInfoCollectorTest, BrokenMeminfoIsNullNotZero) {
  FakeLinuxSystem system;
  system.files["/proc/meminfo"] = Fixture("system_info/meminfo_no_unit.txt");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(IntCell(table, "memory_bytes"), std::nullopt);
}

TEST(SystemInfoCollectorTest, HostnameFileWhenUnameFails) {
  FakeLinuxSystem system;
  system.uname = absl::InternalError("uname failed");
  system.files["/etc/hostname"] = "laptop-7\n";
  EXPECT_EQ(TextCell(CollectTable(system), "hostname"), "laptop-7");
}

TEST(SystemInfoCollectorTest, NothingReadableIsUnknown) {
  FakeLinuxSystem system;
  system.uname = absl::InternalError("uname failed");
  v1::FactTable table = CollectTable(system);
  EXPECT_EQ(table.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(table.unknown_reason(), HasSubstr("/proc/meminfo"));
  EXPECT_THAT(table.unknown_reason(), HasSubstr("uname"));
}

TEST(SystemInfoCollectorTest, RealMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable table = NewSystemInfoCollector()->Collect(ctx);
  test_support::ExpectValidRealTable(table, "system_info");
  // procfs is always there on Linux.
  ASSERT_EQ(table.status(), v1::FactTable::STATUS_OK);
  EXPECT_GT(IntCell(table, "cpu_cores").value_or(0), 0);
  EXPECT_GT(IntCell(table, "memory_bytes").value_or(0), 0);
}

}  // namespace
}  // namespace trellis::agent::linux_facts
