// StoreWriter over one SQLite connection. Used read-only by reader
// connections and read-write by the single writer.
#ifndef TRELLIS_SERVER_STORE_SQLITE_QUERIES_H_
#define TRELLIS_SERVER_STORE_SQLITE_QUERIES_H_

#include "server/store/sqlite_connection.h"
#include "server/store/store.h"

namespace trellis::server {

class SqliteQueries : public StoreWriter {
 public:
  explicit SqliteQueries(SqliteConnection* conn) : conn_(conn) {}

  // Where writes note what they changed (the writer points it at the
  // running write function's events; null records nothing).
  void set_events(CommitEvents* events) { events_ = events; }

  absl::StatusOr<std::optional<TokenRecord>> GetToken(
      absl::string_view token_id) override;
  absl::StatusOr<std::vector<TokenRecord>> ListTokens() override;
  absl::StatusOr<std::optional<DeviceRecord>> GetDevice(
      absl::string_view device_id) override;
  absl::StatusOr<std::optional<DeviceRecord>> FindDeviceByKeyHash(
      absl::string_view key_hash) override;
  absl::StatusOr<std::vector<DeviceRecord>> FindDevicesBySerial(
      absl::string_view hardware_serial) override;
  absl::StatusOr<std::vector<DeviceRecord>> ListDevices(
      absl::string_view after_device_id, int limit) override;
  absl::StatusOr<std::optional<std::string>> GetLastReport(
      absl::string_view device_id) override;
  absl::StatusOr<std::vector<DeviceReportRecord>> ListRecentReports(
      int limit) override;
  absl::StatusOr<std::optional<OperatorRecord>> GetOperator(
      absl::string_view name) override;
  absl::StatusOr<std::optional<OperatorRecord>> FindOperatorByKeyHash(
      absl::string_view key_hash) override;
  absl::StatusOr<std::vector<AuditRecord>> ListAudit(uint64_t after_sequence,
                                                     int limit) override;

  absl::Status InsertToken(const TokenRecord& token) override;
  absl::Status UpdateToken(const TokenRecord& token) override;
  absl::Status InsertDevice(const DeviceRecord& device) override;
  absl::Status UpdateDevice(const DeviceRecord& device) override;
  absl::Status PutLastReport(absl::string_view device_id, uint64_t sequence,
                             absl::Time received_at,
                             const std::string& report) override;
  absl::Status UpsertOperator(const OperatorRecord& op) override;
  absl::StatusOr<std::optional<AuditHead>> GetAuditHead() override;
  absl::Status InsertAuditEntry(const AuditRecord& entry) override;
  absl::StatusOr<std::optional<PolicyBundleRecord>> GetLatestPolicyBundle()
      override;
  absl::StatusOr<std::vector<CheckStateRecord>> GetCheckStates(
      absl::string_view device_id) override;
  absl::StatusOr<std::vector<CheckStateRecord>> ListActiveCheckStates()
      override;
  absl::Status InsertPolicyBundle(const PolicyBundleRecord& b) override;
  absl::StatusOr<std::vector<TransitionRecord>> ListTransitions(
      absl::string_view device_id) override;
  absl::StatusOr<std::vector<DeviceRecord>> ListDevicesDue(
      absl::Time now, absl::Time stale_before) override;
  absl::Status AppendTransition(const TransitionRecord& t) override;
  absl::StatusOr<std::vector<ExceptionRecord>> ListExceptions(
      absl::string_view device_id, absl::Time active_at) override;
  absl::StatusOr<int64_t> InsertException(const ExceptionRecord& e) override;
  absl::StatusOr<std::vector<std::string>> ListDevicesWithExceptionsEnding(
      absl::Time after, absl::Time through) override;
  absl::Status EndException(int64_t exception_id, absl::Time until) override;
  absl::StatusOr<std::optional<ExceptionRecord>> GetException(
      int64_t exception_id) override;
  absl::Status ReplaceCheckStates(
      absl::string_view device_id,
      const std::vector<CheckStateRecord>& states) override;

  absl::StatusOr<std::optional<DeviceRecord>> FindDeviceByWireGuardKey(
      absl::string_view public_key) override;
  absl::StatusOr<std::optional<uint32_t>> GetVpnAddress(
      absl::string_view device_id) override;
  absl::StatusOr<std::optional<VpnPeerRecord>> GetVpnPeer(
      absl::string_view device_id) override;
  absl::StatusOr<std::vector<VpnPeerRecord>> ListVpnPeers() override;
  absl::StatusOr<std::vector<VpnPeerRecord>> ListPeerChanges(
      uint64_t after_serial, int limit) override;
  absl::StatusOr<PeerFeedBounds> GetPeerFeedBounds() override;
  absl::StatusOr<std::vector<DeviceRecord>> ListVpnDevices() override;
  absl::StatusOr<uint32_t> AllocateVpnAddress(absl::string_view device_id,
                                              uint32_t first,
                                              uint32_t last) override;
  absl::Status ReleaseVpnAddress(absl::string_view device_id) override;
  absl::StatusOr<uint64_t> AppendPeerChange(VpnPeerRecord change) override;
  absl::Status PrunePeerChanges(uint64_t through) override;

 private:
  absl::StatusOr<std::vector<DeviceRecord>> QueryDevices(Statement& stmt);
  SqliteConnection* conn_;
  CommitEvents* events_ = nullptr;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_STORE_SQLITE_QUERIES_H_
