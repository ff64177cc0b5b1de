// compliance summary: fleet pass rates.
#include "absl/strings/str_cat.h"
#include "tools/trellisctl/commands.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {
namespace {

std::string Rate(const v1::PassRate& r) {
  int decided = r.passing() + r.failing() + r.erroring();
  return decided == 0 ? "-" : absl::StrCat(100 * r.passing() / decided, "%");
}

std::string Summary(const v1::GetComplianceSummaryResponse& response) {
  std::string out =
      absl::StrCat("Bundle version ", response.bundle_version(), ": ",
                   response.compliant_devices(), " of ", response.devices(),
                   " evaluated devices compliant\n");
  auto section =
      [&](const char* title,
          const google::protobuf::RepeatedPtrField<v1::PassRate>& rows) {
        TablePrinter t({title, "PASS RATE", "PASS", "FAIL", "ERROR", "N/A"});
        for (const auto& r : rows) {
          t.AddRow({r.key(), Rate(r), absl::StrCat(r.passing()),
                    absl::StrCat(r.failing()), absl::StrCat(r.erroring()),
                    absl::StrCat(r.not_applicable())});
        }
        absl::StrAppend(&out, "\n", t.Render());
      };
  section("POLICY", response.by_policy());
  section("CHECK", response.by_check());
  section("PLATFORM", response.by_platform());
  section("GROUP", response.by_group());
  return out;
}

}  // namespace

void AddComplianceCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  CLI::App* compliance = commands.Group(app, "compliance", "fleet compliance");
  commands.Add(compliance, "summary",
               "pass rates by policy, check, platform and group", [&ctl] {
                 return ctl.CallAndPrint(&Ctl::Stub::GetComplianceSummary,
                                         v1::GetComplianceSummaryRequest(),
                                         Summary);
               });
}

}  // namespace trellis::ctl
