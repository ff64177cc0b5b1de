#include "agent/cli/checklist.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/policy/evaluator.h"
#include "common/util/proto_json.h"
#include "common/util/proto_time.h"
#include "common/util/terminal_text.h"

namespace trellis::agent {
namespace {

std::optional<absl::Time> ExceptedUntil(const v1::CheckResult& r) {
  if (!r.has_excepted_until()) return std::nullopt;
  return FromProtoTime(r.excepted_until());
}

// The exception in force on `r` at `now`, as a note; "" when none.
std::string NoteFor(const v1::CheckResult& r, absl::Time now) {
  CheckLine line;
  line.excepted_until = ExceptedUntil(r);
  line.exception_reason = r.exception_reason();
  return ExceptionNote(line, now);
}

}  // namespace

std::string IndentSafe(const std::string& text, const std::string& prefix) {
  std::string out;
  for (absl::string_view line :
       absl::StrSplit(TerminalSafeMultiline(text), '\n')) {
    absl::StrAppend(&out, prefix, line, "\n");
  }
  return out;
}

void ApplyExceptions(const EmployeeStatus& server, absl::Time now,
                     v1::Verdict& verdict) {
  bool compliant = true;
  for (v1::CheckResult& r : *verdict.mutable_results()) {
    if (const CheckLine* e =
            FindException(server, r.policy_id(), r.check_id(), now)) {
      *r.mutable_excepted_until() = ToProtoTime(*e->excepted_until);
      r.set_exception_reason(e->exception_reason);
    }
    const bool failing =
        r.state() == v1::CHECK_STATE_FAIL || r.state() == v1::CHECK_STATE_ERROR;
    if (failing && r.enforcement() != v1::ENFORCEMENT_REPORT &&
        NoteFor(r, now).empty()) {
      compliant = false;
    }
  }
  verdict.set_compliant(compliant);
}

std::string CheckHeading(const std::string& state, const std::string& title,
                         const std::string& policy_id,
                         const std::string& check_id, const std::string& note) {
  std::string word = absl::AsciiStrToUpper(state);
  if (!note.empty()) absl::StrAppend(&word, " (", note, ")");
  return absl::StrCat("[", TerminalSafe(word), "] ", TerminalSafe(title), "  (",
                      TerminalSafe(policy_id), "/", TerminalSafe(check_id),
                      ")\n");
}

std::string RenderChecklist(const v1::Verdict& verdict, absl::Time now) {
  std::string out =
      absl::StrCat("Policy bundle version ", verdict.bundle_version(), "\n\n");
  int pass = 0, fail = 0, error = 0, not_applicable = 0, excepted = 0;
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
    const bool failing = r.state() != v1::CHECK_STATE_PASS;
    const std::string note = failing ? NoteFor(r, now) : "";
    if (!note.empty()) ++excepted;
    absl::StrAppend(&out,
                    CheckHeading(policy::CheckStateWord(r.state()), r.title(),
                                 r.policy_id(), r.check_id(), note));
    if (r.state() == v1::CHECK_STATE_FAIL) {
      if (!r.detail().empty()) {
        absl::StrAppend(&out, "       What is wrong:\n",
                        IndentSafe(r.detail(), "         "));
      }
      if (!r.remediation().empty()) {
        absl::StrAppend(&out, "       How to fix:\n",
                        IndentSafe(r.remediation(), "         "));
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
      absl::StrAppend(&out, "       Could not check: ", TerminalSafe(r.error()),
                      "\n");
    }
  }
  absl::StrAppend(
      &out, "\n", pass, " passed, ", fail, " failed, ", error,
      " could not be checked, ", not_applicable,
      " not applicable to this device.\n",
      excepted > 0 ? absl::StrCat(excepted,
                                  " failing check(s) covered by an exception "
                                  "IT granted.\n")
                   : "",
      verdict.compliant() ? "This device meets policy.\n"
                          : "This device does NOT meet policy.\n");
  return out;
}

std::string ChecklistJson(const v1::Verdict& verdict) {
  return ToJsonText(verdict);
}

}  // namespace trellis::agent
