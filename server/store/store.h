// The server's persistent state behind an interface: SQLite today, a
// networked database later. Logic that must be atomic (consume a token and
// create a device, say) runs as a write function inside the store's single
// writer, which batches functions into one commit (group commit) and reports
// each function's result only after that commit.
#ifndef TRELLIS_SERVER_STORE_STORE_H_
#define TRELLIS_SERVER_STORE_STORE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/records.h"

namespace trellis::server {

// What one commit changed, handed to the parts of the server that push state
// out (the gateway feed, connected devices), so they act on the change
// itself instead of polling. The store fills it from the write functions that
// succeeded; a function that failed and was rolled back adds nothing.
struct CommitEvents {
  // Devices inserted or updated, with the state the commit left them in (a
  // revocation or retirement shows as a state other than ACTIVE).
  std::map<std::string, v1::DeviceState> devices;
  // Operators created or whose credential or role changed.
  std::vector<std::string> operators;
  // The newest policy bundle version published, 0 for none.
  uint64_t bundle_version = 0;
  // The highest gateway peer change serial appended, 0 for none.
  uint64_t last_peer_serial = 0;
  // Old peer changes were dropped (gateways far behind need a snapshot).
  bool peer_log_pruned = false;

  bool empty() const;
  void MergeFrom(const CommitEvents& later);
};

// Queries. Inside a write function they see the batch's own earlier writes.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  virtual absl::StatusOr<std::optional<TokenRecord>> GetToken(
      absl::string_view token_id) = 0;
  virtual absl::StatusOr<std::vector<TokenRecord>> ListTokens() = 0;

  virtual absl::StatusOr<std::optional<DeviceRecord>> GetDevice(
      absl::string_view device_id) = 0;
  // Finds the device whose current or pending key has this hash.
  virtual absl::StatusOr<std::optional<DeviceRecord>> FindDeviceByKeyHash(
      absl::string_view key_hash) = 0;
  // Active, revoked and retired devices with this hardware serial.
  virtual absl::StatusOr<std::vector<DeviceRecord>> FindDevicesBySerial(
      absl::string_view hardware_serial) = 0;
  // Devices ordered by (enrolled_at desc, device_id), starting after the
  // cursor device id (empty: from the start).
  virtual absl::StatusOr<std::vector<DeviceRecord>> ListDevices(
      absl::string_view after_device_id, int limit) = 0;
  // Serialized v1::PostureReport of the last check-in, if any.
  virtual absl::StatusOr<std::optional<std::string>> GetLastReport(
      absl::string_view device_id) = 0;
  // The last reports of the `limit` active devices seen most recently,
  // newest first (what a bundle is measured against before publishing).
  virtual absl::StatusOr<std::vector<DeviceReportRecord>> ListRecentReports(
      int limit) = 0;

  virtual absl::StatusOr<std::optional<OperatorRecord>> GetOperator(
      absl::string_view name) = 0;
  virtual absl::StatusOr<std::optional<OperatorRecord>> FindOperatorByKeyHash(
      absl::string_view key_hash) = 0;

  virtual absl::StatusOr<std::vector<AuditRecord>> ListAudit(
      uint64_t after_sequence, int limit) = 0;

  // The newest published bundle, if any.
  virtual absl::StatusOr<std::optional<PolicyBundleRecord>>
  GetLatestPolicyBundle() = 0;
  virtual absl::StatusOr<std::vector<CheckStateRecord>> GetCheckStates(
      absl::string_view device_id) = 0;
  // Check states of every active device (for fleet summaries).
  virtual absl::StatusOr<std::vector<CheckStateRecord>>
  ListActiveCheckStates() = 0;
  // Active devices whose grace period ended by `now`, or that have not
  // checked in since `stale_before` (and are not already stale).
  virtual absl::StatusOr<std::vector<DeviceRecord>> ListDevicesDue(
      absl::Time now, absl::Time stale_before) = 0;
  // Exceptions for one device (empty: all) whose `until` is after
  // `active_at` (InfinitePast: every one), oldest first.
  virtual absl::StatusOr<std::vector<ExceptionRecord>> ListExceptions(
      absl::string_view device_id, absl::Time active_at) = 0;
  // Devices with an exception whose `until` is in (after, through].
  virtual absl::StatusOr<std::vector<std::string>>
  ListDevicesWithExceptionsEnding(absl::Time after, absl::Time through) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<TransitionRecord>> ListTransitions(
      absl::string_view device_id) = 0;

  // VPN. Tunnel addresses are IPv4 as host-order integers.
  virtual absl::StatusOr<std::optional<DeviceRecord>> FindDeviceByWireGuardKey(
      absl::string_view public_key) = 0;
  virtual absl::StatusOr<std::optional<uint32_t>> GetVpnAddress(
      absl::string_view device_id) = 0;
  // The device's current gateway peer, if it has access.
  virtual absl::StatusOr<std::optional<VpnPeerRecord>> GetVpnPeer(
      absl::string_view device_id) = 0;
  // Every current peer (the gateway snapshot), by device id.
  virtual absl::StatusOr<std::vector<VpnPeerRecord>> ListVpnPeers() = 0;
  // Changes with serial > after_serial, oldest first.
  virtual absl::StatusOr<std::vector<VpnPeerRecord>> ListPeerChanges(
      uint64_t after_serial, int limit) = 0;
  virtual absl::StatusOr<PeerFeedBounds> GetPeerFeedBounds() = 0;
  // Active devices that sent a WireGuard key (for re-syncing peers after a
  // policy change), by device id.
  virtual absl::StatusOr<std::vector<DeviceRecord>> ListVpnDevices() = 0;
};

// Mutations, available only inside a write function.
class StoreWriter : public StoreReader {
 public:
  virtual absl::Status InsertToken(const TokenRecord& token) = 0;
  // Replaces the mutable fields (uses, revoked_at) of an existing token.
  virtual absl::Status UpdateToken(const TokenRecord& token) = 0;
  virtual absl::Status InsertDevice(const DeviceRecord& device) = 0;
  // Replaces every field of an existing device.
  virtual absl::Status UpdateDevice(const DeviceRecord& device) = 0;
  virtual absl::Status PutLastReport(absl::string_view device_id,
                                     uint64_t sequence, absl::Time received_at,
                                     const std::string& report) = 0;
  virtual absl::Status UpsertOperator(const OperatorRecord& op) = 0;
  // The newest audit entry, if any. Read here, inside the write that then
  // inserts the next entry, so concurrent writers cannot fork the chain
  // (the hash chain itself is server/audit/audit_log.h's job).
  virtual absl::StatusOr<std::optional<AuditHead>> GetAuditHead() = 0;
  // Stores `entry` exactly as given (time at microsecond precision);
  // AlreadyExists if its sequence is taken.
  virtual absl::Status InsertAuditEntry(const AuditRecord& entry) = 0;
  virtual absl::Status InsertPolicyBundle(const PolicyBundleRecord& b) = 0;
  // Replaces all check states of one device.
  virtual absl::Status ReplaceCheckStates(
      absl::string_view device_id,
      const std::vector<CheckStateRecord>& states) = 0;
  virtual absl::Status AppendTransition(const TransitionRecord& t) = 0;
  // Returns the new exception id.
  virtual absl::StatusOr<int64_t> InsertException(const ExceptionRecord& e) = 0;
  // Sets `until`; NotFound if there is no such exception.
  virtual absl::Status EndException(int64_t exception_id, absl::Time until) = 0;
  virtual absl::StatusOr<std::optional<ExceptionRecord>> GetException(
      int64_t exception_id) = 0;

  // The lowest free address in [first, last] for the device (which must
  // hold none); ResourceExhausted when the range is full.
  virtual absl::StatusOr<uint32_t> AllocateVpnAddress(
      absl::string_view device_id, uint32_t first, uint32_t last) = 0;
  virtual absl::Status ReleaseVpnAddress(absl::string_view device_id) = 0;
  // Records a change to a device's peer: appends it to the change log
  // (assigning its serial, returned) and makes vpn_peers match (a row for
  // FULL/QUARANTINE, none for NONE).
  virtual absl::StatusOr<uint64_t> AppendPeerChange(VpnPeerRecord change) = 0;
  // Drops changes with serial <= `through` (bounded history).
  virtual absl::Status PrunePeerChanges(uint64_t through) = 0;
};

class Store {
 public:
  using ReadFn = std::function<absl::Status(StoreReader&)>;
  using WriteFn = std::function<absl::Status(StoreWriter&)>;
  using DoneFn = std::function<void(absl::Status)>;

  virtual ~Store() = default;

  // Runs `fn` against a consistent snapshot on a read connection.
  virtual absl::Status Read(const ReadFn& fn) = 0;

  // Queues `fn` for the writer. `done` runs (on the writer thread) after the
  // batch holding `fn` committed, with fn's status; or with the commit's
  // error. A failing fn rolls back only its own changes.
  virtual void Write(WriteFn fn, DoneFn done) = 0;

  // Write() and wait for it.
  absl::Status WriteSync(WriteFn fn);

  // Called (on the writer thread) after every successful commit that changed
  // something CommitEvents describes, before the batch's `done` callbacks;
  // must be quick and must not write. Add listeners before writes start.
  using CommitListener = std::function<void(const CommitEvents&)>;
  virtual void AddCommitListener(CommitListener listener) = 0;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_STORE_STORE_H_
