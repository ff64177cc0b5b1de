// memory-load: memory and swap use from /proc/meminfo, load averages from
// /proc/loadavg.
//
// Basic class: totals only, no process or user names.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"

namespace trellis::agent::diagnostics {
namespace {

// "MemTotal:  16318480 kB" -> bytes, for the keys asked for.
std::map<std::string, uint64_t> ParseMeminfo(absl::string_view text) {
  std::map<std::string, uint64_t> values;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::ByAnyChar(": "), absl::SkipWhitespace());
    uint64_t n = 0;
    if (parts.size() < 2 || !absl::SimpleAtoi(parts[1], &n)) continue;
    const bool kb = parts.size() > 2 && parts[2] == "kB";
    values[std::string(parts[0])] = kb ? n * 1024 : n;
  }
  return values;
}

absl::Status Run(DiagnosticContext& context) {
  SystemSource& system = *context.env().system;
  auto meminfo = system.ReadFile("/proc/meminfo");
  if (!meminfo.ok()) {
    return absl::Status(
        meminfo.status().code(),
        absl::StrCat("/proc/meminfo: ", meminfo.status().message()));
  }
  auto values = ParseMeminfo(*meminfo);
  if (!values.count("MemTotal") || !values.count("MemAvailable")) {
    return absl::DataLossError(
        "/proc/meminfo has no MemTotal or MemAvailable line");
  }
  context.Line(absl::StrCat("memory: ", HumanBytes(values["MemAvailable"]),
                            " available of ", HumanBytes(values["MemTotal"])));
  if (values.count("SwapTotal") && values.count("SwapFree")) {
    context.Line(absl::StrCat(
        "swap: ", HumanBytes(values["SwapTotal"] - values["SwapFree"]),
        " used of ", HumanBytes(values["SwapTotal"])));
  }
  auto loadavg = system.ReadFile("/proc/loadavg");
  if (!loadavg.ok()) {
    return absl::Status(
        loadavg.status().code(),
        absl::StrCat("/proc/loadavg: ", loadavg.status().message()));
  }
  // "0.52 0.58 0.59 1/977 12345": 1, 5 and 15 minutes, runnable/total.
  std::vector<absl::string_view> load =
      absl::StrSplit(*loadavg, ' ', absl::SkipWhitespace());
  double one, five, fifteen;
  if (load.size() < 4 || !absl::SimpleAtod(load[0], &one) ||
      !absl::SimpleAtod(load[1], &five) ||
      !absl::SimpleAtod(load[2], &fifteen)) {
    return absl::DataLossError("/proc/loadavg is not in the kernel's format");
  }
  context.Line(absl::StrCat("load: ", load[0], " ", load[1], " ", load[2],
                            " (1, 5, 15 min); runnable/threads ", load[3]));
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec MemoryAndLoad() {
  return MakeDiagnostic("memory-load", PrivacyClass::kBasic, absl::Seconds(5),
                        2 << 10, "memory and swap use, and the load averages",
                        Run);
}

}  // namespace trellis::agent::diagnostics
