#include "server/trellis_server.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "server/server_flags.h"

namespace trellis::server {
namespace {

// The advertised host is what agents verify the certificate against, so the
// certificate must name it.
void AddAdvertisedHostToTlsNames(ServerConfig& config) {
  if (config.advertised_address.empty()) return;
  auto endpoint = net::ParseEndpoint(config.advertised_address);
  if (!endpoint.ok()) return;  // ValidateServerConfig has refused it already
  std::vector<std::string>& names =
      endpoint->host_is_ip ? config.tls_ip_addresses : config.tls_dns_names;
  if (std::find(names.begin(), names.end(), endpoint->host) == names.end()) {
    names.push_back(endpoint->host);
  }
}

}  // namespace

std::string DatabasePath(const std::string& state_dir) {
  return absl::StrCat(state_dir, "/trellis.db");
}

std::string AuditCheckpointPath(const std::string& state_dir) {
  return absl::StrCat(state_dir, "/", kAuditCheckpointFile);
}

TrellisServer::TrellisServer(ServerConfig config, ServerPki pki,
                             TunnelAddressPool pool,
                             std::unique_ptr<SqliteStore> store)
    : config_(std::move(config)),
      pki_(std::move(pki)),
      pool_(pool),
      store_(std::move(store)),
      audit_checkpoints_{AuditCheckpointPath(config_.state_dir),
                         pki_.audit_signing.public_key_pem},
      audit_checkpointer_(store_.get(), config_.clock, audit_checkpoints_.path,
                          pki_.audit_signing.private_key_pem),
      limiter_(config_.clock, config_.enroll_failure_limit,
               config_.enroll_failure_window),
      auth_(store_.get()),
      enroller_(store_.get(), &pki_, &config_, &limiter_),
      renewer_(store_.get(), &enroller_, config_.clock),
      policies_(store_.get(), &pki_, config_.clock),
      peer_sync_(&pool_, PeerSync::FromRegistry(&policies_)),
      peer_feed_(store_.get(), config_.peer_feed_heartbeat,
                 config_.gateway_recheck_period),
      redecider_(PeerSync::FromRegistry(&policies_), &peer_sync_),
      checkin_(store_.get(), &config_, &policies_, &peer_sync_),
      devices_(store_.get(), config_.clock, &policies_, &peer_sync_),
      sweeper_(
          store_.get(), config_.clock,
          StalenessRule(config_.validity_window,
                        config_.restart_grace.value_or(DefaultRestartGrace(
                            absl::Seconds(config_.checkin_interval_seconds))),
                        config_.clock->Now()),
          &peer_sync_, &redecider_),
      exceptions_(store_.get(), config_.clock, &redecider_) {}

absl::StatusOr<std::unique_ptr<TrellisServer>> TrellisServer::Start(
    ServerConfig config) {
  absl::Status valid = ValidateServerConfig(config);
  if (!valid.ok()) return valid;
  AddAdvertisedHostToTlsNames(config);
  auto pool = MakeTunnelAddressPool(config.vpn_pool);
  if (!pool.ok()) return pool.status();
  auto pki = LoadOrCreateServerPki(config.state_dir, config.tls_dns_names,
                                   config.tls_ip_addresses, *config.clock);
  if (!pki.ok()) return pki.status();
  auto store = SqliteStore::Open({DatabasePath(config.state_dir)});
  if (!store.ok()) return store.status();

  std::unique_ptr<TrellisServer> server(
      new TrellisServer(config, *std::move(pki), *pool, *std::move(store)));

  grpc::SslServerCredentialsOptions tls(
      // Enroll is called before a device has a certificate; every other RPC
      // checks for one itself. A certificate that is presented must verify.
      GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  tls.pem_root_certs = server->pki_.ca.certificate_pem();
  // Send the CA with the leaf, so agents can pin it by fingerprint.
  tls.pem_key_cert_pairs.push_back(
      {server->pki_.server_key_pem,
       absl::StrCat(server->pki_.server_cert_pem,
                    server->pki_.ca.certificate_pem())});

  absl::Status policies_loaded = server->policies_.Load();
  if (!policies_loaded.ok()) return policies_loaded;
  // The gateway feed wakes for commits that changed the allow-list, and
  // re-checks its callers at once when an operator changed here. (Changes
  // made by `trellis-server operator create` in another process are seen
  // at the next recheck period.)
  TrellisServer* self = server.get();
  server->store_->AddCommitListener([self](const CommitEvents& events) {
    if (events.last_peer_serial != 0 || events.peer_log_pruned) {
      self->peer_feed_.Notify();
    }
    if (!events.operators.empty()) self->peer_feed_.RecheckCallersNow();
  });
  server->policies_.set_on_published([self] { self->ResyncVpnPeers(); });
  // Profiles, the pool or the access rules may differ from the last run.
  self->ResyncVpnPeers();
  server->peer_feed_.Start();
  server->gateway_rpc_ = std::make_unique<GatewayRpc>(
      &server->auth_, &server->peer_feed_, server->config_.clock);
  server->tokens_ = std::make_unique<TokenAdmin>(
      server->store_.get(), &server->pki_, server->config_.clock);
  server->device_rpc_ = std::make_unique<DeviceRpc>(
      &server->auth_, &server->enroller_, &server->renewer_, &server->checkin_,
      &server->policies_);
  server->admin_rpc_ = std::make_unique<AdminRpc>(
      server->store_.get(), &server->auth_, server->tokens_.get(),
      &server->devices_, &server->policies_, &server->exceptions_,
      &server->audit_checkpoints_);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen_address,
                           grpc::SslServerCredentials(tls), &server->port_);
  // A second server on the same port must fail, not share it silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(config.max_request_bytes);
  builder.SetMaxSendMessageSize(16 << 20);
  builder.RegisterService(server->device_rpc_.get());
  builder.RegisterService(server->admin_rpc_.get());
  builder.RegisterService(server->gateway_rpc_.get());
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen_address,
                     " (address in use, or not an address of this machine?)"));
  }

  std::string host = HostOf(config.listen_address);
  if (server->config_.advertised_address.empty()) {
    // ValidateServerConfig refuses a wildcard without --advertise.
    server->config_.advertised_address = absl::StrCat(host, ":", server->port_);
  }
  // Tokens carry the address agents should dial, known only once bound.
  server->tokens_->set_advertised_address(server->config_.advertised_address);
  absl::Status written = WriteFileAtomic(
      absl::StrCat(config.state_dir, "/server.address"),
      absl::StrCat(server->config_.advertised_address, "\n"), 0644);
  if (!written.ok()) return written;
  if (server->config_.sweep_period > absl::ZeroDuration()) {
    server->sweeper_.Start(server->config_.sweep_period);
  }
  // Says at start, in the log, when the chain no longer extends the newest
  // checkpoint (and signs nothing then).
  absl::Status checkpointed = server->audit_checkpointer_.CheckpointNow();
  if (!checkpointed.ok()) LogError(checkpointed.message());
  if (server->config_.audit_checkpoint_period > absl::ZeroDuration()) {
    server->audit_checkpointer_.Start(server->config_.audit_checkpoint_period);
  }
  LogInfo("server: listening on ", host, ":", server->port_, " (advertised as ",
          server->config_.advertised_address, "), state in ", config.state_dir);
  return server;
}

void TrellisServer::ResyncVpnPeers() {
  store_->Write(
      [this](StoreWriter& w) -> absl::Status {
        absl::StatusOr<int> changed =
            peer_sync_.SyncAll(w, config_.clock->Now());
        if (!changed.ok()) return changed.status();
        if (*changed > 0) LogInfo("vpn: ", *changed, " gateway peer change(s)");
        return absl::OkStatus();
      },
      [](absl::Status s) {
        if (!s.ok()) LogError("vpn: re-syncing peers failed: ", s.message());
      });
}

void TrellisServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  sweeper_.Stop();
  audit_checkpointer_.Stop();
  // Gateway streams never end by themselves; end them so shutdown does not
  // wait for the grace deadline.
  peer_feed_.Stop();
  // Null when Start failed before the listener was up (port in use, stored
  // state unreadable): then there is nothing to stop.
  if (grpc_server_ != nullptr) {
    grpc_server_->Shutdown(std::chrono::system_clock::now() +
                           std::chrono::seconds(5));
  }
}

void TrellisServer::Wait() {
  if (grpc_server_ != nullptr) grpc_server_->Wait();
}

TrellisServer::~TrellisServer() {
  Shutdown();
  Wait();
  // The store is destroyed after gRPC has stopped, so every accepted write
  // is committed before exit. The last checkpoint covers them: an empty
  // write waits behind every write queued before it.
  absl::Status drained =
      store_->WriteSync([](StoreWriter&) { return absl::OkStatus(); });
  absl::Status checkpointed =
      drained.ok() ? audit_checkpointer_.CheckpointNow() : drained;
  if (!checkpointed.ok()) {
    LogError("audit: no checkpoint at shutdown: ", checkpointed.message());
  }
}

}  // namespace trellis::server
