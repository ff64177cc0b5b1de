// trellis-server wired together: store, PKI, services, gRPC listener.
#ifndef TRELLIS_SERVER_TRELLIS_SERVER_H_
#define TRELLIS_SERVER_TRELLIS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "server/audit/audit_admin.h"
#include "server/audit/audit_checkpointer.h"
#include "server/auth/authenticator.h"
#include "server/checkin/checkin_handler.h"
#include "server/compliance/compliance_sweeper.h"
#include "server/compliance/exception_admin.h"
#include "server/devices/device_admin.h"
#include "server/enrollment/enroller.h"
#include "server/enrollment/failure_limiter.h"
#include "server/enrollment/renewer.h"
#include "server/enrollment/token_admin.h"
#include "server/pki/server_pki.h"
#include "server/policy/policy_registry.h"
#include "server/rpc/admin_rpc.h"
#include "server/rpc/device_rpc.h"
#include "server/rpc/gateway_rpc.h"
#include "server/server_config.h"
#include "server/store/sqlite_store.h"
#include "server/vpn/peer_feed.h"
#include "server/vpn/peer_sync.h"
#include "server/vpn/tunnel_address_pool.h"

namespace trellis::server {

class TrellisServer {
 public:
  // Loads or creates the state directory and starts serving.
  static absl::StatusOr<std::unique_ptr<TrellisServer>> Start(
      ServerConfig config);
  ~TrellisServer();

  // The bound port (useful with port 0).
  int port() const { return port_; }
  // host:port agents and operators use; written to <state>/server.address.
  const std::string& advertised_address() const {
    return config_.advertised_address;
  }
  const ServerPki& pki() const { return pki_; }
  Store& store() { return *store_; }
  PolicyRegistry& policies() { return policies_; }
  ComplianceSweeper& sweeper() { return sweeper_; }
  const TunnelAddressPool& vpn_pool() const { return pool_; }

  // Re-decides every device's gateway peer (after a policy publish).
  void ResyncVpnPeers();

  // Stops accepting calls, finishes those in flight, drains the writer.
  void Shutdown();
  void Wait();

 private:
  TrellisServer(ServerConfig config, ServerPki pki, TunnelAddressPool pool,
                std::unique_ptr<SqliteStore> store);

  ServerConfig config_;
  ServerPki pki_;
  TunnelAddressPool pool_;
  std::unique_ptr<SqliteStore> store_;
  AuditCheckpoints audit_checkpoints_;
  AuditCheckpointer audit_checkpointer_;
  FailureLimiter limiter_;
  Authenticator auth_;
  Enroller enroller_;
  Renewer renewer_;
  PolicyRegistry policies_;
  PeerSync peer_sync_;
  PeerFeed peer_feed_;
  ComplianceRedecider redecider_;
  CheckInHandler checkin_;
  std::unique_ptr<TokenAdmin> tokens_;
  DeviceAdmin devices_;
  ComplianceSweeper sweeper_;
  ExceptionAdmin exceptions_;
  std::unique_ptr<DeviceRpc> device_rpc_;
  std::unique_ptr<AdminRpc> admin_rpc_;
  std::unique_ptr<GatewayRpc> gateway_rpc_;
  std::unique_ptr<grpc::Server> grpc_server_;
  int port_ = 0;
  bool shut_down_ = false;
};

// Path of the database inside a state directory.
std::string DatabasePath(const std::string& state_dir);
// Path of the signed audit checkpoints inside a state directory.
std::string AuditCheckpointPath(const std::string& state_dir);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_TRELLIS_SERVER_H_
