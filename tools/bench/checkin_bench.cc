// Check-in throughput of a real trellis-server (in-process, TLS on
// 127.0.0.1, SQLite file in a temp dir) with many devices at once, and the
// store's group commit on its own.
//
//   build/tools/bench/trellis-bench-checkin [--benchmark_repetitions=5]
//
// Counters: checkins/s, and commits_per_write (1.0 = no grouping; lower
// means more writes shared one commit).
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/rpc/channel.h"
#include "benchmark/benchmark.h"
#include "common/crypto/pki.h"
#include "common/enrollment/token.h"
#include "server/audit/audit_log.h"
#include "server/store/sqlite_store.h"
#include "server/trellis_server.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis {
namespace {

std::string MakeTempDir() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "trellis-bench-XXXXXX")
          .string();
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

// A server with `devices` enrolled devices, each with its own TLS channel.
class Fleet {
 public:
  explicit Fleet(int devices) : dir_(MakeTempDir()) {
    server::ServerConfig config;
    config.state_dir = dir_ + "/server";
    config.listen_address = "127.0.0.1:0";
    auto server = server::TrellisServer::Start(config);
    if (!server.ok()) std::abort();
    server_ = *std::move(server);
    std::string ca = server_->pki().ca.certificate_pem();

    enrollment::EnrollmentToken token = enrollment::NewToken(
        server_->pki().ca_fingerprint_sha256, server_->advertised_address());
    server::TokenRecord record;
    record.token_id = token.token_id;
    record.secret_hash = enrollment::HashSecret(token.secret);
    record.group = "bench";
    record.ownership = v1::OWNERSHIP_CORPORATE;
    record.max_uses = devices;
    record.created_at = absl::Now();
    record.expires_at = absl::Now() + absl::Hours(1);
    record.created_by = "bench";
    if (!server_->store()
             .WriteSync(
                 [&](server::StoreWriter& w) { return w.InsertToken(record); })
             .ok()) {
      std::abort();
    }
    auto anonymous = v1::DeviceService::NewStub(agent::MakeChannel(
        server_->advertised_address(), agent::ChannelIdentity{ca, "", ""}));
    for (int i = 0; i < devices; ++i) {
      auto keys = crypto::GenerateKeyPair();
      v1::EnrollRequest request;
      request.set_enrollment_token(enrollment::FormatToken(token));
      request.set_csr_pem(*crypto::MakeCsr(keys->private_key_pem, "bench"));
      request.mutable_description()->set_hostname(absl::StrCat("bench-", i));
      request.mutable_description()->set_platform(v1::PLATFORM_LINUX);
      v1::EnrollResponse response;
      grpc::ClientContext context;
      if (!anonymous->Enroll(&context, request, &response).ok()) std::abort();
      stubs_.push_back(v1::DeviceService::NewStub(agent::MakeChannel(
          server_->advertised_address(),
          agent::ChannelIdentity{ca, response.certificate_pem(),
                                 keys->private_key_pem})));
      sequences_.push_back(std::make_unique<std::atomic<uint64_t>>(0));
    }
  }
  ~Fleet() {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // One check-in from device `i`. `changed` alters a fact every time.
  bool CheckIn(int i, bool changed) {
    uint64_t seq = ++*sequences_[i];
    v1::CheckInRequest request;
    request.set_sequence(seq);
    v1::PostureReport* report = request.mutable_report();
    report->set_platform(v1::PLATFORM_LINUX);
    v1::FactTable* t = report->add_tables();
    t->set_name("os_version");
    t->set_status(v1::FactTable::STATUS_OK);
    for (const char* c : {"name", "version_id", "kernel_release"}) {
      t->add_columns(c);
    }
    v1::FactRow* row = t->add_rows();
    row->add_values()->set_text_value("Debian GNU/Linux");
    row->add_values()->set_text_value("12");
    row->add_values()->set_text_value(changed ? absl::StrCat("6.1.0-", seq)
                                              : std::string("6.1.0"));
    v1::CheckInResponse response;
    grpc::ClientContext context;
    grpc::Status s = stubs_[i]->CheckIn(&context, request, &response);
    if (!s.ok())
      std::fprintf(stderr, "check-in: %s\n", s.error_message().c_str());
    return s.ok();
  }

  uint64_t commits() {
    return static_cast<server::SqliteStore&>(server_->store()).commit_count();
  }

 private:
  std::string dir_;
  std::unique_ptr<server::TrellisServer> server_;
  std::vector<std::unique_ptr<v1::DeviceService::Stub>> stubs_;
  std::vector<std::unique_ptr<std::atomic<uint64_t>>> sequences_;
};

constexpr int kDevices = 64;
Fleet* fleet = nullptr;
std::once_flag fleet_once;

void CheckIns(benchmark::State& state, bool changed) {
  std::call_once(fleet_once, [] { fleet = new Fleet(kDevices); });
  uint64_t commits_before = fleet->commits();
  int device = state.thread_index() % kDevices;
  int64_t done = 0;
  for (auto _ : state) {
    if (!fleet->CheckIn(device, changed)) {
      state.SkipWithError("check-in failed");
      break;
    }
    ++done;
  }
  state.counters["checkins/s"] = benchmark::Counter(
      static_cast<double>(done), benchmark::Counter::kIsRate);
  if (state.thread_index() == 0) {
    // Approximate with concurrent threads: commits over all threads' writes.
    state.counters["commits_per_write"] = benchmark::Counter(
        static_cast<double>(fleet->commits() - commits_before) /
        static_cast<double>(std::max<int64_t>(1, done * state.threads())));
  }
}

void BM_CheckInChangedFacts(benchmark::State& state) { CheckIns(state, true); }
void BM_CheckInUnchangedFacts(benchmark::State& state) {
  CheckIns(state, false);
}
BENCHMARK(BM_CheckInChangedFacts)->ThreadRange(1, 32)->UseRealTime();
BENCHMARK(BM_CheckInUnchangedFacts)->ThreadRange(1, 32)->UseRealTime();

// The store alone: concurrent small writes, to show group commit.
void BM_StoreConcurrentWrites(benchmark::State& state) {
  static server::SqliteStore* store = [] {
    std::string dir = MakeTempDir();
    return server::SqliteStore::Open({dir + "/bench.db"})->release();
  }();
  static std::atomic<int64_t> next{0};
  uint64_t commits_before = store->commit_count();
  for (auto _ : state) {
    int64_t n = ++next;
    absl::Status s = store->WriteSync([n](server::StoreWriter& w) {
      server::AuditRecord a;
      a.time = absl::Now();
      a.actor = "bench";
      a.action = "bench.write";
      a.target = absl::StrCat(n);
      a.details_json = "{}";
      return AppendAudit(w, a).status();
    });
    if (!s.ok()) state.SkipWithError("write failed");
  }
  if (state.thread_index() == 0) {
    state.counters["commits_per_write"] = benchmark::Counter(
        static_cast<double>(store->commit_count() - commits_before) /
        static_cast<double>(state.iterations() * state.threads()));
  }
}
BENCHMARK(BM_StoreConcurrentWrites)->ThreadRange(1, 32)->UseRealTime();

}  // namespace
}  // namespace trellis

BENCHMARK_MAIN();
