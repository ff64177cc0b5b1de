#include "tests/integration/integration_env.h"

#include <future>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "agent/checkin/checkin_client.h"
#include "agent/enroll/device_enrollment.h"
#include "agent/facts/linux/linux_collectors.h"
#include "agent/rpc/channel.h"
#include "common/identity/operator_credentials.h"
#include "common/rpc/tls_channel.h"
#include "common/util/files.h"
#include "grpcpp/generic/generic_stub.h"
#include "server/operators/operator_provisioning.h"
#include "tools/trellisctl/ctl_main.h"

namespace trellis::testing {

FakeSystemSource::FakeSystemSource(std::string hostname, std::string serial) {
  files["/etc/os-release"] =
      "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
      "VERSION=\"12 (bookworm)\"\nID=debian\n"
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
  files["/sys/class/dmi/id/sys_vendor"] = "Framework\n";
  files["/sys/class/dmi/id/product_name"] = "Laptop 13\n";
  if (!serial.empty()) files["/sys/class/dmi/id/product_serial"] = serial;
  uname = {"Linux", hostname, "6.1.0-test", "x86_64"};
}

absl::StatusOr<std::string> FakeSystemSource::ReadFile(
    const std::string& path) {
  auto it = files.find(path);
  if (it == files.end()) return absl::NotFoundError(path);
  return it->second;
}

absl::StatusOr<agent::UnameInfo> FakeSystemSource::Uname() { return uname; }

absl::StatusOr<std::vector<std::string>> FakeSystemSource::ListDirectory(
    const std::string& path) {
  std::string prefix = path.back() == '/' ? path : path + "/";
  std::set<std::string> names;
  for (const auto& [file, content] : files) {
    if (file.rfind(prefix, 0) != 0) continue;
    std::string rest = file.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('/')));
  }
  if (names.empty()) return absl::NotFoundError(path);
  return std::vector<std::string>(names.begin(), names.end());
}

FakeMachine::FakeMachine(std::string hostname, std::string serial,
                         const Clock* clock)
    : system(std::move(hostname), std::move(serial)),
      probe(&system, &runner, clock, agent::linux_facts::AllLinuxCollectors(),
            v1::PLATFORM_LINUX) {}

FakeMachine& IntegrationTest::Machine(const std::string& name,
                                      const std::string& serial) {
  auto& machine = machines_[name];
  if (!machine) machine = std::make_unique<FakeMachine>(name, serial, &clock_);
  return *machine;
}

IntegrationTest::IntegrationTest() = default;

IntegrationTest::~IntegrationTest() { StopServer(); }

server::ServerConfig IntegrationTest::BaseConfig() {
  server::ServerConfig config;
  config.state_dir = dir_.File("server");
  config.listen_address = "127.0.0.1:0";
  config.clock = &clock_;
  config.enroll_failure_limit = 1000;
  config.checkin_interval_seconds = 60;
  // Tests fire compliance timers themselves (SweepOnce) on the fake clock.
  config.sweep_period = absl::ZeroDuration();
  return config;
}

void IntegrationTest::StartServer(server::ServerConfig config) {
  auto server = server::TrellisServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  if (admin_credentials_.empty()) {
    admin_credentials_ = CreateOperator("root-admin", "admin");
  }
}

void IntegrationTest::StopServer() { server_.reset(); }

std::string IntegrationTest::CreateOperator(const std::string& name,
                                            const std::string& role) {
  server::OperatorRequest request;
  request.name = name;
  request.role = role;
  request.server_address = address();
  auto creds = server::CreateOperator(dir_.File("server"), server_->store(),
                                      request, clock_);
  EXPECT_TRUE(creds.ok()) << creds.status();
  std::string path = dir_.File(name + ".creds");
  EXPECT_TRUE(WriteFileAtomic(path, creds.ok() ? *creds : "", 0600).ok());
  return path;
}

namespace {

CtlResult RunCtlAs(const std::string& credentials,
                   std::vector<std::string> args, const std::string& answer,
                   bool interactive) {
  args.insert(args.begin(), {"--credentials", credentials});
  std::istringstream in(answer);
  std::ostringstream out, err;
  CtlResult result;
  result.exit_code = ctl::RunCtl(args, ctl::CtlIo{in, out, err, interactive});
  result.out = out.str();
  result.err = err.str();
  return result;
}

}  // namespace

CtlResult IntegrationTest::Ctl(const std::string& credentials,
                               std::vector<std::string> args) {
  return RunCtlAs(credentials, std::move(args), "", /*interactive=*/false);
}

CtlResult IntegrationTest::CtlAnswering(const std::string& credentials,
                                        std::vector<std::string> args,
                                        const std::string& answer) {
  return RunCtlAs(credentials, std::move(args), answer, /*interactive=*/true);
}

std::string IntegrationTest::CreateToken(const std::string& group,
                                         const std::string& ownership, int uses,
                                         const std::string& ttl) {
  CtlResult r =
      Ctl(admin_credentials_,
          {"token", "create", "--group", group, "--ownership", ownership,
           "--uses", absl::StrCat(uses), "--ttl", ttl, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  std::regex token_re("\"token\": \"(trellis1\\.[^\"]+)\"");
  EXPECT_TRUE(std::regex_search(r.out, m, token_re)) << r.out;
  return m.size() > 1 ? m[1].str() : "";
}

absl::StatusOr<agent::AgentState> IntegrationTest::Enroll(
    const std::string& token, const std::string& name,
    const std::string& serial) {
  FakeMachine& machine = Machine(name, serial);
  agent::AgentState state(dir_.File("agent-" + name));
  agent::EnrollOptions options;
  options.token = token;
  options.timeout = absl::Seconds(10);
  auto response = agent::EnrollDevice(state, options, machine.probe);
  if (!response.ok()) return response.status();
  return state;
}

absl::StatusOr<v1::CheckInResponse> IntegrationTest::CheckIn(
    const agent::AgentState& state) {
  std::string name = state.dir().substr(state.dir().rfind("agent-") + 6);
  return agent::CheckInOnce(state, Machine(name).probe, absl::Seconds(10));
}

grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& bytes) {
  grpc::GenericStub stub(channel);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

std::unique_ptr<v1::DeviceService::Stub> IntegrationTest::DeviceStub(
    const std::string& cert_pem, const std::string& key_pem,
    const std::string& ca_pem) {
  return v1::DeviceService::NewStub(agent::MakeChannel(
      address(), agent::ChannelIdentity{ca_pem.empty() ? CaPem() : ca_pem,
                                        cert_pem, key_pem}));
}

std::unique_ptr<v1::AdminService::Stub> IntegrationTest::AdminStub(
    const std::string& credentials) {
  auto text = ReadFile(credentials);
  EXPECT_TRUE(text.ok()) << text.status();
  auto creds = identity::ParseOperatorCredentials(text.ok() ? *text : "");
  EXPECT_TRUE(creds.ok()) << creds.status();
  if (!creds.ok()) return nullptr;
  return v1::AdminService::NewStub(rpc::MakeTlsChannel(
      address(), rpc::OperatorTlsIdentity(*creds), grpc::ChannelArguments()));
}

}  // namespace trellis::testing
