// What `trellisctl audit verify` prints for the server's verdict on the
// audit chain (VerifyAuditChain: the hash chain held against the signed
// checkpoints the server keeps outside its database).
#ifndef TRELLIS_TOOLS_TRELLISCTL_AUDIT_VERIFY_H_
#define TRELLIS_TOOLS_TRELLISCTL_AUDIT_VERIFY_H_

#include <string>

#include "trellis/v1/admin_service.pb.h"

namespace trellis::ctl {

// One paragraph ending in a newline; server text is made terminal-safe.
std::string FormatAuditVerdict(const v1::VerifyAuditChainResponse& verdict);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_AUDIT_VERIFY_H_
