#include "agent/facts/windows/os_version_parser.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "agent/facts/windows/powershell.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {

absl::StatusOr<WindowsOs> ParseWin32OperatingSystem(absl::string_view json) {
  absl::StatusOr<std::vector<google::protobuf::Struct>> objects =
      ParsePowerShellObjects(json);
  if (!objects.ok()) return objects.status();
  if (objects->size() != 1) {
    return absl::InvalidArgumentError(
        objects->empty() ? "no Win32_OperatingSystem instance"
                         : "more than one Win32_OperatingSystem instance");
  }
  const google::protobuf::Struct& o = objects->front();
  std::optional<std::string> version = GetString(o, "Version");
  if (!version || version->empty()) {
    return absl::InvalidArgumentError("no Version");
  }
  WindowsOs os;
  os.version = *version;
  os.caption = GetString(o, "Caption");
  os.build_number = GetString(o, "BuildNumber");
  os.os_architecture = GetString(o, "OSArchitecture");
  return os;
}

std::optional<std::string> NormalizeArchitecture(absl::string_view value) {
  std::string v = absl::AsciiStrToLower(value);
  if (absl::StrContains(v, "arm")) {
    if (absl::StrContains(v, "64")) return "arm64";
    return std::nullopt;
  }
  if (absl::StrContains(v, "64")) return "x86_64";
  if (absl::StrContains(v, "32")) return "x86";
  return std::nullopt;
}

v1::FactTable BuildOsVersionTable(const WindowsOs& os) {
  std::optional<std::string> arch;
  if (os.os_architecture) arch = NormalizeArchitecture(*os.os_architecture);
  facts::TableBuilder table("os_version");
  table.Row()
      .Text("name", os.caption)
      .Text("version", os.version)
      .Text("version_id", os.version)
      .Text("id", "windows")
      .Text("pretty_name", os.caption)
      .Text("kernel_release", os.build_number)
      .Text("arch", arch)
      .Text("security_patch_level", std::nullopt);
  return table.Build();
}

}  // namespace trellis::agent::windows_facts
