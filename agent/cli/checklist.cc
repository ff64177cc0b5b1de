#include "agent/cli/checklist.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/policy/evaluator.h"
#include "common/util/proto_json.h"

namespace trellis::agent {
namespace {

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::StrAppend(&out, prefix, line, "\n");
  }
  return out;
}

}  // namespace

std::string RenderChecklist(const v1::Verdict& verdict) {
  std::string out =
      absl::StrCat("Policy bundle version ", verdict.bundle_version(), "\n\n");
  int pass = 0, fail = 0, error = 0, not_applicable = 0;
  for (const v1::CheckResult& r : verdict.results()) {
    switch (r.state()) {
      case v1::CHECK_STATE_PASS:
        ++pass;
        break;
      case v1::CHECK_STATE_FAIL:
        ++fail;
        break;
      case v1::CHECK_STATE_ERROR:
        ++error;
        break;
      default:
        ++not_applicable;
        continue;
    }
    std::string word = policy::CheckStateWord(r.state());
    for (char& c : word) c = static_cast<char>(std::toupper(c));
    absl::StrAppend(&out, "[", word, "] ", r.title(), "  (", r.policy_id(), "/",
                    r.check_id(), ")\n");
    if (r.state() == v1::CHECK_STATE_FAIL) {
      if (!r.detail().empty()) {
        absl::StrAppend(&out, "       What is wrong:\n",
                        Indent(r.detail(), "         "));
      }
      if (!r.remediation().empty()) {
        absl::StrAppend(&out, "       How to fix: ", r.remediation(), "\n");
      }
      if (r.grace_period_seconds() > 0) {
        absl::StrAppend(
            &out, "       Grace period: ",
            r.grace_period_seconds() / 86400 > 0
                ? absl::StrCat(r.grace_period_seconds() / 86400, " day(s)")
                : absl::StrCat(r.grace_period_seconds() / 3600, " hour(s)"),
            "\n");
      }
    } else if (r.state() == v1::CHECK_STATE_ERROR) {
      absl::StrAppend(&out, "       Could not check: ", r.error(), "\n");
    }
  }
  absl::StrAppend(&out, "\n", pass, " passed, ", fail, " failed, ", error,
                  " could not be checked, ", not_applicable,
                  " not applicable to this device.\n",
                  verdict.compliant() ? "This device meets policy.\n"
                                      : "This device does NOT meet policy.\n");
  return out;
}

std::string ChecklistJson(const v1::Verdict& verdict) {
  return ToJsonText(verdict);
}

}  // namespace trellis::agent
