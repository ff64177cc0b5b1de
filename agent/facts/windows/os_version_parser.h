// os_version on Windows: Win32_OperatingSystem through CIM.
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_OS_VERSION_PARSER_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_OS_VERSION_PARSER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::windows_facts {

inline constexpr char kOsVersionScript[] =
    "Get-CimInstance Win32_OperatingSystem | "
    "Select-Object Caption,Version,BuildNumber,OSArchitecture";

struct WindowsOs {
  std::optional<std::string> caption;          // "Microsoft Windows 11 Pro"
  std::string version;                         // "10.0.22631"
  std::optional<std::string> build_number;     // "22631"
  std::optional<std::string> os_architecture;  // "64-bit", localised
};

// Parses the ConvertTo-Json output; Version is required.
absl::StatusOr<WindowsOs> ParseWin32OperatingSystem(absl::string_view json);

// OSArchitecture is localised ("64-bit", "64 Bit", "64 bits", "ARM
// 64-bit Processor", "ARM 64-Bit-Prozessor"): x86_64, arm64 or x86, or
// nullopt for anything else.
std::optional<std::string> NormalizeArchitecture(absl::string_view value);

v1::FactTable BuildOsVersionTable(const WindowsOs& os);

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_OS_VERSION_PARSER_H_
