// audit list | verify: the hash-chained audit log.
#include <limits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/rpc/admin_limits.h"
#include "tools/trellisctl/audit_verify.h"
#include "tools/trellisctl/checked_options.h"
#include "tools/trellisctl/commands.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {
namespace {

int AuditList(Ctl& ctl, int64_t after, int64_t limit) {
  v1::ListAuditEventsRequest request;
  request.set_after_sequence(after);
  request.set_limit(static_cast<int32_t>(limit));
  return ctl.CallAndPrint(
      &Ctl::Stub::ListAuditEvents, request,
      [](const v1::ListAuditEventsResponse& r) {
        TablePrinter t(
            {"SEQ", "TIME (UTC)", "ACTOR", "ACTION", "TARGET", "DETAILS"});
        for (const auto& e : r.events()) {
          t.AddRow({absl::StrCat(e.sequence()), WhenSeconds(e.time()),
                    e.actor(), e.action(), e.target(), e.details_json()});
        }
        return t.Render();
      });
}

int AuditVerify(Ctl& ctl) {
  v1::VerifyAuditChainResponse response;
  grpc::Status s = ctl.Call(&Ctl::Stub::VerifyAuditChain,
                            v1::VerifyAuditChainRequest(), &response);
  if (!s.ok()) return ctl.Refused(s);
  ctl.Print(response, [&] { return FormatAuditVerdict(response); });
  return response.intact() ? kExitOk : kExitRefused;
}

}  // namespace

void AddAuditCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  CLI::App* audit = commands.Group(app, "audit", "the audit log");
  {
    auto after = std::make_shared<int64_t>(0);
    auto limit = std::make_shared<int64_t>(100);
    CLI::App* list = commands.Add(
        audit, "list", "entries in sequence order",
        [&ctl, after, limit] { return AuditList(ctl, *after, *limit); });
    // Sequence numbers count up from 1 in an int64 column.
    AddWholeNumberOption(list, "--after", after.get(), 0,
                         std::numeric_limits<int64_t>::max(),
                         "entries after this sequence number");
    AddWholeNumberOption(list, "--limit", limit.get(), 1, rpc::kMaxPageSize,
                         "at most N entries, default 100");
  }
  commands.Add(
      audit, "verify",
      "recompute the hash chain and hold it against the signed checkpoints",
      [&ctl] { return AuditVerify(ctl); });
}

}  // namespace trellis::ctl
