#include "tests/gateway/testing/fake_gateway_server.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/pki.h"
#include "gateway/rpc/gateway_channel.h"

namespace trellis::gateway::testing {

void ScriptedGatewayService::Send(v1::PeerUpdate update) {
  absl::MutexLock lock(&mu_);
  script_.push_back({std::move(update), grpc::Status::OK});
}

void ScriptedGatewayService::End(grpc::Status status) {
  absl::MutexLock lock(&mu_);
  script_.push_back({std::nullopt, std::move(status)});
}

std::vector<v1::WatchPeersRequest> ScriptedGatewayService::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

bool ScriptedGatewayService::WaitForCalls(size_t n,
                                          absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return requests_.size() >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

grpc::Status ScriptedGatewayService::WatchPeers(
    grpc::ServerContext* context, const v1::WatchPeersRequest* request,
    grpc::ServerWriter<v1::PeerUpdate>* writer) {
  size_t call;
  {
    absl::MutexLock lock(&mu_);
    call = requests_.size();
    requests_.push_back(*request);
  }
  while (!context->IsCancelled()) {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      auto superseded = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return call + 1 != requests_.size();
      };
      auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !script_.empty() || superseded();
      };
      // Short waits so a cancelled call notices promptly.
      mu_.AwaitWithTimeout(absl::Condition(&ready), absl::Milliseconds(20));
      // Only the newest call plays the script: a call the client abandoned
      // may not have noticed yet, and must not swallow the next call's
      // messages.
      if (superseded()) break;
      if (script_.empty()) continue;
      step = std::move(script_.front());
      script_.pop_front();
    }
    if (!step.update) return step.status;
    if (!writer->Write(*step.update)) break;
  }
  return grpc::Status::CANCELLED;
}

TestPki TestPki::Create() {
  absl::Time now = absl::Now();
  absl::StatusOr<crypto::CertificateAuthority> ca =
      crypto::CertificateAuthority::Create("test CA", now, absl::Hours(1));
  auto issue = [&](const std::string& name, const std::string& unit,
                   crypto::CertUsage usage, std::string* cert,
                   std::string* key) {
    absl::StatusOr<crypto::KeyPair> pair = crypto::GenerateKeyPair();
    crypto::CertRequest request;
    request.public_key_pem = pair->public_key_pem;
    request.common_name = name;
    request.organizational_unit = unit;
    request.usage = usage;
    if (usage == crypto::CertUsage::kServer) {
      request.ip_addresses = {"127.0.0.1"};
    }
    request.not_before = now - absl::Minutes(1);
    request.not_after = now + absl::Hours(1);
    *cert = *ca->Issue(request);
    *key = pair->private_key_pem;
  };
  TestPki pki;
  pki.ca_pem = ca->certificate_pem();
  issue("server", "server", crypto::CertUsage::kServer, &pki.server_cert_pem,
        &pki.server_key_pem);
  pki.gateway.operator_name = "gw1";
  pki.gateway.role = "gateway";
  pki.gateway.ca_certificate_pem = pki.ca_pem;
  issue("gw1", "gateway", crypto::CertUsage::kClient,
        &pki.gateway.certificate_pem, &pki.gateway.private_key_pem);
  return pki;
}

std::shared_ptr<grpc::ServerCredentials> TestPki::ServerCredentials() const {
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = ca_pem;
  options.pem_key_cert_pairs.push_back({server_key_pem, server_cert_pem});
  return grpc::SslServerCredentials(options);
}

FakeGatewayServer::FakeGatewayServer(int port, const TestPki* pki) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", port),
                           pki != nullptr ? pki->ServerCredentials()
                                          : grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterService(&service_);
  server_ = builder.BuildAndStart();
}

FakeGatewayServer::~FakeGatewayServer() { Shutdown(); }

void FakeGatewayServer::Shutdown() {
  if (server_ == nullptr) return;
  server_->Shutdown(absl::ToChronoTime(absl::Now()));
  server_->Wait();
  server_.reset();
}

std::string FakeGatewayServer::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::shared_ptr<grpc::Channel> FakeGatewayServer::Channel() const {
  return grpc::CreateCustomChannel(
      address(), grpc::InsecureChannelCredentials(), GatewayChannelArguments());
}

}  // namespace trellis::gateway::testing
