// A real gRPC server on 127.0.0.1 (insecure) with a scripted GatewayService,
// for driving PeerWatcher through actual streams, breaks and reconnects.
#ifndef TRELLIS_TESTS_GATEWAY_TESTING_FAKE_GATEWAY_SERVER_H_
#define TRELLIS_TESTS_GATEWAY_TESTING_FAKE_GATEWAY_SERVER_H_

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/identity/operator_credentials.h"
#include "grpcpp/grpcpp.h"
#include "trellis/v1/gateway_service.grpc.pb.h"

namespace trellis::gateway::testing {

// Every WatchPeers call records its request, then plays the shared script:
// messages are written in order; an End() finishes the call that reaches it.
// What is queued while no call is open waits for the next one.
class ScriptedGatewayService final : public v1::GatewayService::Service {
 public:
  void Send(v1::PeerUpdate update);
  void End(grpc::Status status = grpc::Status::OK);

  std::vector<v1::WatchPeersRequest> requests() const;
  // Waits until at least `n` calls have started; false after `timeout`.
  bool WaitForCalls(size_t n, absl::Duration timeout) const;

  grpc::Status WatchPeers(grpc::ServerContext* context,
                          const v1::WatchPeersRequest* request,
                          grpc::ServerWriter<v1::PeerUpdate>* writer) override;

 private:
  struct Step {
    std::optional<v1::PeerUpdate> update;  // empty: end the call
    grpc::Status status;
  };
  mutable absl::Mutex mu_;
  std::deque<Step> script_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::WatchPeersRequest> requests_ ABSL_GUARDED_BY(mu_);
};

// A CA, a server certificate for 127.0.0.1 and a gateway credential it
// issued, for mutual-TLS tests.
struct TestPki {
  static TestPki Create();

  identity::OperatorCredentials gateway;  // server_address left empty
  std::shared_ptr<grpc::ServerCredentials> ServerCredentials() const;

  std::string ca_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
};

class FakeGatewayServer {
 public:
  // Port 0 picks a free port. Insecure unless `pki` is given, then mutual
  // TLS as the real server does it.
  explicit FakeGatewayServer(int port = 0, const TestPki* pki = nullptr);
  ~FakeGatewayServer();

  int port() const { return port_; }
  std::string address() const;
  ScriptedGatewayService& service() { return service_; }
  // Stops the server, cancelling open calls, like a server crash.
  void Shutdown();
  // An insecure channel with the gateway's channel settings.
  std::shared_ptr<grpc::Channel> Channel() const;

 private:
  ScriptedGatewayService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace trellis::gateway::testing

#endif  // TRELLIS_TESTS_GATEWAY_TESTING_FAKE_GATEWAY_SERVER_H_
