// system_info on Linux: hostname (uname, else /etc/hostname), DMI maker,
// model and serial from sysfs, memory from /proc/meminfo and the CPU from
// /proc/cpuinfo.
#ifndef TRELLIS_AGENT_FACTS_LINUX_SYSTEM_INFO_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_SYSTEM_INFO_COLLECTOR_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct SystemInfo {
  std::optional<std::string> hostname;
  std::optional<std::string> hardware_vendor;
  std::optional<std::string> hardware_model;
  std::optional<std::string> hardware_serial;
  std::optional<int64_t> memory_bytes;
  std::optional<std::string> cpu_model;
  std::optional<int64_t> cpu_cores;
};

// True for the serials firmware ships when the maker filled in nothing
// ("To Be Filled By O.E.M.", "0000000000", ...). Reporting one would make
// every such machine look like a clone of the others.
bool IsPlaceholderSerial(absl::string_view serial);

// MemTotal from /proc/meminfo, in bytes (the kernel reports kB = KiB).
// Note MemTotal is RAM the kernel manages: a little below what is
// installed, since firmware and the kernel image keep some.
absl::StatusOr<int64_t> ParseMemTotalBytes(absl::string_view meminfo);

struct CpuInfo {
  // "model name" of the first processor; NULL where the kernel prints none
  // (many arm64 kernels).
  std::optional<std::string> model;
  // Number of "processor" entries: logical CPUs online.
  int64_t logical_cpus = 0;
};

// Error when the text has no processor entries at all.
absl::StatusOr<CpuInfo> ParseCpuInfo(absl::string_view cpuinfo);

v1::FactTable SystemInfoTable(const SystemInfo& info);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_SYSTEM_INFO_COLLECTOR_H_
