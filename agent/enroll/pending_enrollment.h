// The key and CSR of an enrolment that has not been answered yet, kept in
// the state directory (0600, written atomically) before the CSR is sent.
// A single-use token is spent the moment the server stores the device; if
// the answer is then lost (crash, dropped connection), a retry or a re-run
// of `trellis-agent enroll` with the same token sends the same key again and
// the server answers it as the same device. A different token starts over
// with a fresh key.
#ifndef TRELLIS_AGENT_ENROLL_PENDING_ENROLLMENT_H_
#define TRELLIS_AGENT_ENROLL_PENDING_ENROLLMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/state/agent_state.h"

namespace trellis::agent {

struct PendingEnrollment {
  std::string token_id;
  std::string private_key_pem;
  std::string public_key_pem;
  std::string csr_pem;
};

// The persisted enrolment for `token_id`, or a new key and CSR written to
// the state directory before this returns. A pending file that does not
// parse, or whose CSR is not for its key, is an error naming the file.
absl::StatusOr<PendingEnrollment> LoadOrCreatePendingEnrollment(
    const AgentState& state, const std::string& token_id);

// Removes the pending file once the identity is stored.
absl::Status ClearPendingEnrollment(const AgentState& state);

// The file's text, and back; errors say what is wrong.
std::string FormatPendingEnrollment(const PendingEnrollment& pending);
absl::StatusOr<PendingEnrollment> ParsePendingEnrollment(
    const std::string& text);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_ENROLL_PENDING_ENROLLMENT_H_
