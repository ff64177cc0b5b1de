// Fakes and a harness for diagnostics tests: a runner environment over a
// temporary state directory and system root, recorded command output, and
// fake network, filesystem and server clock.
#ifndef TRELLIS_TESTS_AGENT_DIAGNOSTICS_DIAGNOSTICS_TEST_UTIL_H_
#define TRELLIS_TESTS_AGENT_DIAGNOSTICS_DIAGNOSTICS_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/diagnostics/probes.h"
#include "agent/diagnostics/runner.h"
#include "agent/facts/system_source.h"
#include "agent/state/agent_state.h"
#include "common/exec/command_runner.h"
#include "common/util/clock.h"
#include "common/util/files.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent::diagnostics::testing {

// Every call takes `step` of fake time, so timings are known.
class FakeNetworkProbe : public NetworkProbe {
 public:
  explicit FakeNetworkProbe(FakeClock& clock) : clock_(clock) {}
  absl::StatusOr<std::vector<std::string>> Resolve(
      const std::string& host, absl::Duration timeout,
      const std::atomic<bool>&) override {
    clock_.Advance(step);
    resolved.push_back(host);
    auto it = names.find(host);
    if (it == names.end()) {
      return absl::UnavailableError(
          "cannot resolve: Name or service not known");
    }
    return it->second;
  }
  absl::Status TcpConnect(const std::string& address, int port, absl::Duration,
                          const std::atomic<bool>&) override {
    clock_.Advance(step);
    connected.push_back(absl::StrCat(address, ":", port));
    auto it = connect_errors.find(address);
    return it == connect_errors.end() ? absl::OkStatus() : it->second;
  }
  absl::Status TlsHandshake(const std::string& host_port,
                            absl::Duration) override {
    clock_.Advance(step);
    handshakes.push_back(host_port);
    return tls;
  }

  std::map<std::string, std::vector<std::string>> names;
  std::map<std::string, absl::Status> connect_errors;
  absl::Status tls;
  absl::Duration step = absl::Milliseconds(5);
  std::vector<std::string> resolved, connected, handshakes;

 private:
  FakeClock& clock_;
};

class FakeFilesystemStats : public FilesystemStats {
 public:
  absl::StatusOr<FilesystemUsage> Usage(const std::string& path) override {
    auto it = usage.find(path);
    if (it == usage.end()) return absl::NotFoundError("no such filesystem");
    return it->second;
  }
  std::map<std::string, FilesystemUsage> usage;
};

class FakeServerClock : public ServerClock {
 public:
  explicit FakeServerClock(FakeClock& clock) : clock_(clock) {}
  absl::StatusOr<absl::Time> ServerNow(absl::Duration) override {
    clock_.Advance(round_trip / 2);
    absl::Time at = clock_.Now() + offset;
    clock_.Advance(round_trip / 2);
    return at;
  }
  absl::Duration offset;
  absl::Duration round_trip = absl::Milliseconds(40);

 private:
  FakeClock& clock_;
};

struct RunOutput {
  RunResult result;
  std::string output;
  std::vector<std::string> chunks;
};

// An enrolled device (corporate unless said otherwise) in a temp state
// directory, a temp system root, and fakes for everything else.
class DiagnosticsHarness {
 public:
  DiagnosticsHarness()
      : state(state_dir.path()),
        system(root.path()),
        network(clock),
        server_clock(clock) {
    env.runner = &commands;
    env.system = &system;
    env.clock = &clock;
    env.state = &state;
    env.network = &network;
    env.filesystems = &filesystems;
  }

  void Enrol(const std::string& ownership,
             const std::string& server = "trellis.example.org:8443") {
    AgentRecord record;
    record.server_address = server;
    record.device_id = "dev-1";
    record.group = "staff";
    record.ownership = ownership;
    record.enrolled_at = clock.Now() - absl::Hours(24);
    ASSERT_TRUE(state.SaveRecord(record).ok());
  }

  // Writes `content` at `path` under the fake system root.
  void SystemFile(const std::string& path, const std::string& content) {
    const std::string full = root.path() + path;
    ASSERT_TRUE(MakeDirs(full.substr(0, full.rfind('/')), 0755).ok());
    ASSERT_TRUE(WriteFileAtomic(full, content, 0644).ok());
  }

  void Command(const std::string& line, const std::string& out,
               int exit_code = 0, const std::string& err = "") {
    CommandResult r;
    r.stdout_text = out;
    r.stderr_text = err;
    r.exit_code = exit_code;
    commands.Set(line, r);
  }

  RunOutput Run(const std::string& name,
                std::vector<std::pair<std::string, std::string>> params = {},
                const std::vector<DiagnosticSpec>* catalogue = nullptr) {
    DiagnosticRunner runner(env, catalogue);
    DiagnosticRequest request;
    request.name = name;
    request.params = std::move(params);
    RunOutput out;
    out.result = runner.Run(request, [&](absl::string_view chunk) {
      out.chunks.emplace_back(chunk);
      out.output.append(chunk.data(), chunk.size());
    });
    return out;
  }

  trellis::testing::TempDir state_dir;
  trellis::testing::TempDir root;
  FakeClock clock;
  AgentState state;
  RealSystemSource system;
  FakeCommandRunner commands;
  FakeNetworkProbe network;
  FakeFilesystemStats filesystems;
  FakeServerClock server_clock;
  DiagnosticEnvironment env;
};

}  // namespace trellis::agent::diagnostics::testing

#endif  // TRELLIS_TESTS_AGENT_DIAGNOSTICS_DIAGNOSTICS_TEST_UTIL_H_
