#include "tests/gateway/testing/fake_gateway_server.h"

#include "absl/strings/str_cat.h"
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

FakeGatewayServer::FakeGatewayServer(int port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", port),
                           grpc::InsecureServerCredentials(), &port_);
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

std::shared_ptr<grpc::Channel> FakeGatewayServer::Channel() const {
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials(),
                                   GatewayChannelArguments());
}

}  // namespace trellis::gateway::testing
