#include "agent/facts/linux/basic_facts.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "agent/facts/os_release.h"

namespace trellis::agent {
namespace {

void AddText(v1::FactRow* row, const std::string* value) {
  v1::FactValue* v = row->add_values();
  if (value != nullptr) v->set_text_value(*value);
}

// The trimmed content of a small sysfs/procfs file, or null.
std::optional<std::string> ReadLine(SystemSource& source,
                                    const std::string& path) {
  auto text = source.ReadFile(path);
  if (!text.ok()) return std::nullopt;
  std::string value(absl::StripAsciiWhitespace(*text));
  if (value.empty()) return std::nullopt;
  return value;
}

// Firmware often ships placeholder serials; reporting one would make every
// such machine look like a clone of the others.
bool IsPlaceholderSerial(const std::string& serial) {
  std::string lower = absl::AsciiStrToLower(serial);
  for (const char* p :
       {"to be filled by o.e.m.", "system serial number", "default string",
        "not specified", "none", "0", "123456789", "chassis serial number"}) {
    if (lower == p) return true;
  }
  return false;
}

const std::string* Find(const std::map<std::string, std::string>& m,
                        const char* key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

v1::FactTable CollectOsVersion(SystemSource& source) {
  v1::FactTable table;
  table.set_name("os_version");
  for (const char* c : {"name", "version", "version_id", "id", "pretty_name",
                        "kernel_release", "arch"}) {
    table.add_columns(c);
  }
  auto text = source.ReadFile("/etc/os-release");
  if (!text.ok()) text = source.ReadFile("/usr/lib/os-release");
  auto uname = source.Uname();
  if (!text.ok() && !uname.ok()) {
    table.set_status(v1::FactTable::STATUS_UNKNOWN);
    table.set_unknown_reason("neither os-release nor uname could be read");
    return table;
  }
  std::map<std::string, std::string> release;
  if (text.ok()) release = ParseOsRelease(*text);
  v1::FactRow* row = table.add_rows();
  AddText(row, Find(release, "NAME"));
  AddText(row, Find(release, "VERSION"));
  AddText(row, Find(release, "VERSION_ID"));
  AddText(row, Find(release, "ID"));
  AddText(row, Find(release, "PRETTY_NAME"));
  AddText(row, uname.ok() ? &uname->release : nullptr);
  AddText(row, uname.ok() ? &uname->machine : nullptr);
  table.set_status(v1::FactTable::STATUS_OK);
  return table;
}

v1::FactTable CollectSystemInfo(SystemSource& source) {
  v1::FactTable table;
  table.set_name("system_info");
  for (const char* c :
       {"hostname", "hardware_vendor", "hardware_model", "hardware_serial"}) {
    table.add_columns(c);
  }
  auto uname = source.Uname();
  std::optional<std::string> hostname = ReadLine(source, "/etc/hostname");
  if (uname.ok() && !uname->nodename.empty()) hostname = uname->nodename;
  auto vendor = ReadLine(source, "/sys/class/dmi/id/sys_vendor");
  auto model = ReadLine(source, "/sys/class/dmi/id/product_name");
  // product_serial is root-only; a non-root agent reports it as NULL.
  auto serial = ReadLine(source, "/sys/class/dmi/id/product_serial");
  if (serial && IsPlaceholderSerial(*serial)) serial.reset();
  v1::FactRow* row = table.add_rows();
  AddText(row, hostname ? &*hostname : nullptr);
  AddText(row, vendor ? &*vendor : nullptr);
  AddText(row, model ? &*model : nullptr);
  AddText(row, serial ? &*serial : nullptr);
  table.set_status(v1::FactTable::STATUS_OK);
  return table;
}

v1::PostureReport CollectBasicReport(SystemSource& source) {
  v1::PostureReport report;
  report.set_platform(v1::PLATFORM_LINUX);
  *report.add_tables() = CollectOsVersion(source);
  *report.add_tables() = CollectSystemInfo(source);
  return report;
}

}  // namespace trellis::agent
