#include "agent/cli/show_data.h"

#include "absl/strings/str_cat.h"
#include "common/facts/fact_schema.h"
#include "common/facts/fact_values.h"
#include "common/util/proto_json.h"

namespace trellis::agent {

std::string RenderShowData(const v1::PostureReport& report,
                           const std::string& ownership) {
  std::string out = absl::StrCat(
      "This ", ownership,
      " device sends the following to its Trellis "
      "server at each check-in.\n",
      ownership == "personal"
          ? "As a personal device it sends basic security facts only.\n"
          : "",
      "Nothing about your activity (keystrokes, screens, browsing, location, "
      "working hours) is collected.\n");
  for (facts::PrivacyClass privacy :
       {facts::PrivacyClass::kBasic, facts::PrivacyClass::kInventory,
        facts::PrivacyClass::kSensitive}) {
    std::string section;
    for (const v1::FactTable& t : report.tables()) {
      const facts::TableSpec* spec = facts::FindTable(t.name());
      if (spec == nullptr || spec->privacy != privacy) continue;
      absl::StrAppend(&section, "\n  [", t.name(), "] ", spec->description,
                      "\n");
      if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
        absl::StrAppend(&section, "    (not collected: ", t.unknown_reason(),
                        ")\n");
        continue;
      }
      if (t.rows_size() == 0) absl::StrAppend(&section, "    (none)\n");
      for (int r = 0; r < t.rows_size(); ++r) {
        if (t.rows_size() > 1) absl::StrAppend(&section, "    #", r + 1, "\n");
        for (int c = 0; c < t.columns_size() && c < t.rows(r).values_size();
             ++c) {
          absl::StrAppend(
              &section, "    ", t.columns(c), ": ",
              facts::FactValueText(t.rows(r).values(c), "(unknown)"), "\n");
        }
      }
    }
    if (section.empty()) continue;
    absl::StrAppend(&out, "\n== ", facts::PrivacyClassName(privacy),
                    " ==", section);
  }
  return out;
}

std::string ShowDataJson(const v1::PostureReport& report) {
  return ToJsonText(report);
}

}  // namespace trellis::agent
