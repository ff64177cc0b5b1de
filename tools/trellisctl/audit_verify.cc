#include "tools/trellisctl/audit_verify.h"

#include "absl/strings/str_cat.h"
#include "common/util/proto_time.h"
#include "common/util/terminal_text.h"
#include "common/util/time_format.h"

namespace trellis::ctl {

std::string FormatAuditVerdict(const v1::VerifyAuditChainResponse& verdict) {
  std::string checkpoint =
      verdict.checkpointed_entries() == 0
          ? std::string("no signed checkpoint yet")
          : absl::StrCat("signed checkpoint of ",
                         Rfc3339(FromProtoTime(verdict.checkpoint_time())),
                         " covers ", verdict.checkpointed_entries(),
                         " entries");
  if (verdict.intact()) {
    return absl::StrCat("Audit chain intact: ", verdict.entries_checked(),
                        " entries verified (", checkpoint, ").\n");
  }
  std::string where = verdict.first_bad_sequence() == 0
                          ? std::string("Audit chain BROKEN")
                          : absl::StrCat("Audit chain BROKEN at entry ",
                                         verdict.first_bad_sequence());
  return absl::StrCat(where, verdict.truncated() ? " (TRUNCATED)" : "", ": ",
                      TerminalSafe(verdict.problem()), " (", checkpoint,
                      ").\n");
}

}  // namespace trellis::ctl
