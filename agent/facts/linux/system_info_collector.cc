#include "agent/facts/linux/system_info_collector.h"

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "system_info";

// The trimmed content of a small sysfs/procfs/etc file, or NULL when it is
// unreadable (product_serial is root-only) or blank.
std::optional<std::string> ReadValue(SystemSource& system,
                                     const std::string& path,
                                     std::vector<std::string>* failures) {
  absl::StatusOr<std::string> text = system.ReadFile(path);
  if (!text.ok()) {
    failures->push_back(std::string(text.status().message()));
    return std::nullopt;
  }
  std::string value(absl::StripAsciiWhitespace(*text));
  if (value.empty()) return std::nullopt;
  return value;
}

// "key<tabs>: value" as /proc/cpuinfo and /proc/meminfo write it.
bool SplitField(absl::string_view line, absl::string_view* key,
                absl::string_view* value) {
  size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return false;
  *key = absl::StripAsciiWhitespace(line.substr(0, colon));
  *value = absl::StripAsciiWhitespace(line.substr(colon + 1));
  return true;
}

class SystemInfoCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    SystemSource& system = *ctx.system;
    std::vector<std::string> failures;
    SystemInfo info;
    absl::StatusOr<UnameInfo> uname = system.Uname();
    if (uname.ok() && !uname->nodename.empty()) {
      info.hostname = uname->nodename;
    } else {
      if (!uname.ok()) failures.push_back("uname failed");
      info.hostname = ReadValue(system, "/etc/hostname", &failures);
    }
    info.hardware_vendor =
        ReadValue(system, "/sys/class/dmi/id/sys_vendor", &failures);
    info.hardware_model =
        ReadValue(system, "/sys/class/dmi/id/product_name", &failures);
    info.hardware_serial =
        ReadValue(system, "/sys/class/dmi/id/product_serial", &failures);
    if (info.hardware_serial && IsPlaceholderSerial(*info.hardware_serial)) {
      info.hardware_serial.reset();
    }
    absl::StatusOr<std::string> meminfo = system.ReadFile("/proc/meminfo");
    if (meminfo.ok()) {
      absl::StatusOr<int64_t> bytes = ParseMemTotalBytes(*meminfo);
      if (bytes.ok())
        info.memory_bytes = *bytes;
      else
        failures.push_back(std::string(bytes.status().message()));
    } else {
      failures.push_back(std::string(meminfo.status().message()));
    }
    absl::StatusOr<std::string> cpuinfo = system.ReadFile("/proc/cpuinfo");
    if (cpuinfo.ok()) {
      absl::StatusOr<CpuInfo> cpu = ParseCpuInfo(*cpuinfo);
      if (cpu.ok()) {
        info.cpu_model = cpu->model;
        info.cpu_cores = cpu->logical_cpus;
      } else {
        failures.push_back(std::string(cpu.status().message()));
      }
    } else {
      failures.push_back(std::string(cpuinfo.status().message()));
    }
    // Each value stands on its own, so one missing source only makes its
    // column NULL; a row of nothing but NULLs would say nothing, though.
    if (!info.hostname && !info.hardware_vendor && !info.hardware_model &&
        !info.hardware_serial && !info.memory_bytes && !info.cpu_model &&
        !info.cpu_cores) {
      return facts::TableBuilder::Unknown(
          kTable,
          absl::StrCat("nothing readable: ", absl::StrJoin(failures, "; ")));
    }
    return SystemInfoTable(info);
  }
};

}  // namespace

bool IsPlaceholderSerial(absl::string_view serial) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(serial));
  if (lower.empty()) return true;
  for (const char* p :
       {"to be filled by o.e.m.", "system serial number", "default string",
        "not specified", "not applicable", "not available", "none", "n/a", "0",
        "123456789", "0123456789", "chassis serial number", "oem", "o.e.m.",
        "serial number", "invalid"}) {
    if (lower == p) return true;
  }
  // A run of one repeated filler character ("0000000000", "xxxxxxxx",
  // "          ") is no serial either.
  if (lower.size() > 1 &&
      lower.find_first_not_of(lower[0]) == std::string::npos) {
    return lower[0] == '0' || lower[0] == 'x' || lower[0] == 'f' ||
           lower[0] == '.' || lower[0] == '-' || lower[0] == '*';
  }
  return false;
}

absl::StatusOr<int64_t> ParseMemTotalBytes(absl::string_view meminfo) {
  for (absl::string_view line : absl::StrSplit(meminfo, '\n')) {
    absl::string_view key, value;
    if (!SplitField(line, &key, &value) || key != "MemTotal") continue;
    std::vector<absl::string_view> parts =
        absl::StrSplit(value, ' ', absl::SkipEmpty());
    int64_t kib = 0;
    if (parts.size() != 2 || parts[1] != "kB" ||
        !absl::SimpleAtoi(parts[0], &kib) || kib <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unparseable MemTotal in /proc/meminfo: '",
                       value.substr(0, 64), "'"));
    }
    return kib * 1024;
  }
  return absl::NotFoundError("no MemTotal line in /proc/meminfo");
}

absl::StatusOr<CpuInfo> ParseCpuInfo(absl::string_view cpuinfo) {
  CpuInfo out;
  for (absl::string_view line : absl::StrSplit(cpuinfo, '\n')) {
    absl::string_view key, value;
    if (!SplitField(line, &key, &value)) continue;
    if (key == "processor") {
      ++out.logical_cpus;
    } else if (key == "model name" && !out.model && !value.empty()) {
      out.model = std::string(value);
    }
  }
  if (out.logical_cpus == 0) {
    return absl::InvalidArgumentError("no processor entries in /proc/cpuinfo");
  }
  return out;
}

v1::FactTable SystemInfoTable(const SystemInfo& info) {
  facts::TableBuilder b(kTable);
  b.Row()
      .Text("hostname", info.hostname)
      .Text("hardware_vendor", info.hardware_vendor)
      .Text("hardware_model", info.hardware_model)
      .Text("hardware_serial", info.hardware_serial)
      .Integer("memory_bytes", info.memory_bytes)
      .Text("cpu_model", info.cpu_model)
      .Integer("cpu_cores", info.cpu_cores);
  return b.Build();
}

std::unique_ptr<Collector> NewSystemInfoCollector() {
  return std::make_unique<SystemInfoCollector>();
}

}  // namespace trellis::agent::linux_facts
