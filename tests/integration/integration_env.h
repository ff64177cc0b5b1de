// Shared set-up for integration tests: a real trellis-server (in-process, on
// 127.0.0.1 port 0, real SQLite file, real certificates), operators driven
// through the real trellisctl code, and agents driven through the real agent
// library with a fake machine underneath.
#ifndef TRELLIS_TESTS_INTEGRATION_INTEGRATION_ENV_H_
#define TRELLIS_TESTS_INTEGRATION_INTEGRATION_ENV_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/facts/device_probe.h"
#include "agent/facts/system_source.h"
#include "agent/state/agent_state.h"
#include "common/exec/command_runner.h"
#include "gtest/gtest.h"
#include "server/trellis_server.h"
#include "tests/testing/temp_dir.h"
#include "trellis/v1/admin_service.grpc.pb.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::testing {

// A machine whose files, directories, commands and uname are whatever the
// test says, seen through the real Linux collectors.
class FakeSystemSource : public agent::SystemSource {
 public:
  FakeSystemSource(std::string hostname, std::string serial);
  absl::StatusOr<std::string> ReadFile(const std::string& path) override;
  absl::StatusOr<agent::UnameInfo> Uname() override;
  absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) override;
  std::map<std::string, std::string> files;
  agent::UnameInfo uname;
};

struct FakeMachine {
  FakeMachine(std::string hostname, std::string serial, const Clock* clock);
  FakeSystemSource system;
  FakeCommandRunner runner;
  agent::DeviceProbe probe;
};

// One unary call of `method` ("/pkg.Service/Method") with `bytes` as the
// request, as they are: for requests the generated stubs would not send
// (not a message, or text that is not UTF-8). A server-streaming method
// answers with its status alone when it refuses the request.
grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& bytes);

struct CtlResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class IntegrationTest : public ::testing::Test {
 protected:
  IntegrationTest();
  ~IntegrationTest() override;

  // Defaults: fresh state dir, 127.0.0.1:0, fake clock, generous limits.
  server::ServerConfig BaseConfig();
  void StartServer(server::ServerConfig config);
  void StartServer() { StartServer(BaseConfig()); }
  void StopServer();
  std::string address() const { return server_->advertised_address(); }

  // Writes an operator credentials file; returns its path.
  std::string CreateOperator(const std::string& name, const std::string& role);
  // trellisctl with no terminal (destructive commands need --yes).
  CtlResult Ctl(const std::string& credentials, std::vector<std::string> args);
  // trellisctl at a terminal where the operator types `answer`.
  CtlResult CtlAnswering(const std::string& credentials,
                         std::vector<std::string> args,
                         const std::string& answer);
  // Creates a token as the default admin; fails the test on error.
  std::string CreateToken(const std::string& group = "staff",
                          const std::string& ownership = "corporate",
                          int uses = 1, const std::string& ttl = "1h");

  // Enrols an agent state dir named `name`; returns the state.
  absl::StatusOr<agent::AgentState> Enroll(const std::string& token,
                                           const std::string& name,
                                           const std::string& serial = "");
  absl::StatusOr<v1::CheckInResponse> CheckIn(const agent::AgentState& state);

  // Stubs that speak to the server with the given TLS identity.
  std::unique_ptr<v1::DeviceService::Stub> DeviceStub(
      const std::string& cert_pem = "", const std::string& key_pem = "",
      const std::string& ca_pem = "");
  std::string CaPem() const { return server_->pki().ca.certificate_pem(); }
  // The admin API as the operator in `credentials` (a file path), without
  // trellisctl's own checks: for what the server refuses by itself.
  std::unique_ptr<v1::AdminService::Stub> AdminStub(
      const std::string& credentials);

  TempDir dir_;
  FakeClock clock_{absl::Now()};
  std::unique_ptr<server::TrellisServer> server_;
  std::string admin_credentials_;
  // The fake machine behind agent `name`, created on first use.
  FakeMachine& Machine(const std::string& name, const std::string& serial = "");
  std::map<std::string, std::unique_ptr<FakeMachine>> machines_;
};

}  // namespace trellis::testing

#endif  // TRELLIS_TESTS_INTEGRATION_INTEGRATION_ENV_H_
