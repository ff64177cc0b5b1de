// Plain records the store reads and writes. Times are absl::Time; raw hash
// bytes are std::string.
#ifndef TRELLIS_SERVER_STORE_RECORDS_H_
#define TRELLIS_SERVER_STORE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "trellis/v1/common.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::server {

struct TokenRecord {
  std::string token_id;
  std::string secret_hash;  // SHA-256 of the secret
  std::string group;
  v1::Ownership ownership = v1::OWNERSHIP_UNSPECIFIED;
  int max_uses = 1;
  int uses = 0;
  absl::Time created_at;
  absl::Time expires_at;
  std::string created_by;
  std::optional<absl::Time> revoked_at;
  std::string description;
};

struct DeviceRecord {
  std::string device_id;
  std::string key_hash;          // key of the certificate in use
  std::string pending_key_hash;  // renewed key not yet seen; empty if none
  std::string hostname;
  std::string hardware_serial;
  v1::Platform platform = v1::PLATFORM_UNSPECIFIED;
  std::string os_name;
  std::string os_version;
  std::string agent_version;
  std::string group;
  v1::Ownership ownership = v1::OWNERSHIP_UNSPECIFIED;
  v1::DeviceState state = v1::DEVICE_STATE_ACTIVE;
  absl::Time enrolled_at;
  std::optional<absl::Time> last_seen_at;
  std::string clone_of_device_id;
  std::string cert_serial_hex;
  absl::Time cert_expires_at;
  std::string token_id;
  uint64_t last_sequence = 0;
  std::string facts_hash;
  std::string revocation_reason;
  // From the last server-side evaluation; unset before the first.
  std::optional<bool> compliant;
  uint64_t evaluated_bundle_version = 0;
  v1::ComplianceState compliance_state = v1::COMPLIANCE_STATE_UNSPECIFIED;
  std::optional<absl::Time> grace_deadline;
  // Base64 WireGuard public key the agent sent; empty until it sends one.
  std::string wireguard_public_key;
  // What enforcement applies once the device is noncompliant: the
  // strongest of the failing checks' (restrict over quarantine).
  v1::Enforcement vpn_enforcement = v1::ENFORCEMENT_UNSPECIFIED;
};

// A device with the serialized v1::PostureReport of its last check-in.
struct DeviceReportRecord {
  DeviceRecord device;
  std::string report;
};

// One device's peer at the gateways, as it is now (vpn_peers) or as one
// change to it (vpn_peer_changes; access NONE means "removed").
struct VpnPeerRecord {
  uint64_t serial = 0;
  std::string device_id;
  std::string public_key;
  v1::VpnAccess access = v1::VPN_ACCESS_UNSPECIFIED;
  std::string allowed_ips;  // comma-separated CIDRs
  std::string permitted;    // comma-separated CIDRs (quarantine)
  absl::Time at;            // changes only
};

// Where a gateway can resume from.
struct PeerFeedBounds {
  std::string feed_id;
  uint64_t latest_serial = 0;  // 0: no change yet
  // Oldest change still held; a resume after a serial below
  // oldest_serial - 1 needs a snapshot.
  uint64_t oldest_serial = 0;
};

struct ExceptionRecord {
  int64_t exception_id = 0;
  std::string device_id;
  std::string policy_id;
  std::string check_id;
  absl::Time until;
  std::string reason;
  std::string created_by;
  absl::Time created_at;
};

struct TransitionRecord {
  std::string device_id;
  absl::Time at;
  v1::ComplianceState from_state = v1::COMPLIANCE_STATE_UNSPECIFIED;
  v1::ComplianceState to_state = v1::COMPLIANCE_STATE_UNSPECIFIED;
  std::string cause;
};

struct PolicyBundleRecord {
  uint64_t version = 0;
  absl::Time published_at;
  std::string published_by;
  std::string signed_bundle;  // serialized v1::SignedPolicyBundle
};

// One check's current state on one device, and since when.
struct CheckStateRecord {
  std::string device_id;
  std::string policy_id;
  std::string check_id;
  int state = 0;  // v1::CheckState
  absl::Time since;
  std::string detail;
  std::string error;
};

struct OperatorRecord {
  std::string name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string key_hash;
  absl::Time created_at;
  std::string created_by;
  absl::Time cert_expires_at;
};

struct AuditRecord {
  uint64_t sequence = 0;
  absl::Time time;
  std::string actor;
  std::string action;
  std::string target;
  std::string details_json;
  std::string previous_hash;  // raw 32 bytes; zeros for the first entry
  std::string hash;           // raw 32 bytes
};

// The newest audit entry's position in the chain.
struct AuditHead {
  uint64_t sequence = 0;
  std::string hash;  // raw 32 bytes
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_STORE_RECORDS_H_
