// What the agent keeps in its state directory (0700):
//   device.key (0600)  the device's private key; never leaves the device
//   device.crt         its certificate from the server
//   ca.crt             the server's CA, pinned at enrolment
//   agent.state        the small record below, as "key: value" lines
//   policy-signing.pub the server's policy-signing key, pinned at enrolment
//   policy-bundle.pb   the last good signed policy bundle (offline checks)
//   last-checkin.pb    the last check-in response (verdict, VPN assignment)
//   wireguard.key (0600) the device's WireGuard private key, base64; only
//                      its public half is sent
//   vpn/               the VPN enforcement record and generated profiles
//   enroll-pending.pem (0600) while enrolling: the new key and its CSR, so a
//                      retry after a crash or a lost answer sends the same
//                      key (see agent/enroll/pending_enrollment.h)
#ifndef TRELLIS_AGENT_STATE_AGENT_STATE_H_
#define TRELLIS_AGENT_STATE_AGENT_STATE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace trellis::agent {

// Check-in sequence numbers never come near 2^64: past this bound the agent
// refuses to load or advance its sequence (re-enrol the device) instead of
// wrapping to 0. One check-in a second would take 146 billion years.
inline constexpr uint64_t kMaxSequence = uint64_t{1} << 62;

// `sequence` + 1, or an error naming the bound once `sequence` has reached
// kMaxSequence.
absl::StatusOr<uint64_t> SequenceAfter(uint64_t sequence);

struct AgentRecord {
  std::string server_address;
  std::string device_id;
  std::string group;
  std::string ownership;  // corporate | personal
  absl::Time enrolled_at;
  uint64_t next_sequence = 1;
  std::optional<absl::Time> last_checkin_at;
  std::string last_checkin_result;  // "ok", or the error text
  std::optional<absl::Time> last_attempt_at;
  // The server's compliance state after the last check-in
  // (v1::ComplianceState number), so the employee is told once per change.
  int compliance_state = 0;
  // The VPN access of the last check-in that carried one (v1::VpnAccess
  // number), so the employee is told once when access is lost or restored.
  int vpn_access = 0;
};

// Files of one agent state directory. Read and write errors of these files
// come back as local errors (agent/state/local_error.h), never as a code the
// server also uses for its verdicts.
class AgentState {
 public:
  // Writes one file atomically with the given mode (WriteFileAtomic);
  // replaceable so tests can make the directory unwritable even as root.
  using FileWriter = std::function<absl::Status(
      const std::string& path, const std::string& content, int mode)>;

  explicit AgentState(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }
  std::string KeyPath() const { return dir_ + "/device.key"; }
  std::string CertPath() const { return dir_ + "/device.crt"; }
  std::string CaPath() const { return dir_ + "/ca.crt"; }
  std::string RecordPath() const { return dir_ + "/agent.state"; }
  std::string PolicyKeyPath() const { return dir_ + "/policy-signing.pub"; }
  std::string BundlePath() const { return dir_ + "/policy-bundle.pb"; }
  // The last check-in response (server verdict, state, deadline).
  std::string LastCheckInPath() const { return dir_ + "/last-checkin.pb"; }
  std::string WireGuardKeyPath() const { return dir_ + "/wireguard.key"; }
  // Tunnel status for `status`, and the platform's WireGuard profile files.
  std::string VpnDir() const { return dir_ + "/vpn"; }
  // The key and CSR of an enrolment not yet answered.
  std::string PendingEnrollmentPath() const {
    return dir_ + "/enroll-pending.pem";
  }

  // Every write of this state's files goes through `writer` (copies of this
  // AgentState share it).
  void set_file_writer(FileWriter writer) { writer_ = std::move(writer); }
  // Writes `path` atomically through the file writer; errors are local.
  absl::Status WriteStateFile(const std::string& path,
                              const std::string& content, int mode) const;

  bool IsEnrolled() const;

  absl::StatusOr<AgentRecord> LoadRecord() const;
  absl::Status SaveRecord(const AgentRecord& record) const;

  // Writes key (0600), certificate and CA. The key goes first, so a crash
  // never leaves a certificate without its key.
  absl::Status SaveIdentity(const std::string& key_pem,
                            const std::string& cert_pem,
                            const std::string& ca_pem) const;

  struct Identity {
    std::string key_pem;
    std::string cert_pem;
    std::string ca_pem;
  };
  // The key and certificate in use (they always match each other).
  absl::StatusOr<Identity> LoadIdentity() const;

  // Swaps in a renewed key and certificate, crash-safely (see LoadIdentity).
  absl::Status InstallRenewedIdentity(const std::string& key_pem,
                                      const std::string& cert_pem) const;

 private:
  std::string dir_;
  FileWriter writer_;
};

// The record as text, and back; errors name the bad line.
std::string FormatRecord(const AgentRecord& record);
absl::StatusOr<AgentRecord> ParseRecord(const std::string& text);

// Default state directory: /var/lib/trellis-agent as root, else
// $HOME/.local/state/trellis-agent.
std::string DefaultStateDir();

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_STATE_AGENT_STATE_H_
