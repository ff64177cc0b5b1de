// The server's VPN allow-list at fleet size, on a real SQLite file:
//   BM_SyncAll        re-deciding every device's gateway peer (what a policy
//                     publish costs), per fleet size
//   BM_SnapshotRead   reading the whole allow-list for a gateway snapshot
//   BM_VerdictToDelta one device's access change: the write that records it
//                     until the gateway feed hands the delta to a stream
//
//   build/tools/bench/trellis-bench-vpn [--benchmark_repetitions=5]
#include <stdlib.h>

#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "common/crypto/wireguard_key.h"
#include "server/store/sqlite_store.h"
#include "server/vpn/peer_feed.h"
#include "server/vpn/peer_sync.h"
#include "server/vpn/tunnel_address_pool.h"

namespace trellis::server {
namespace {

std::string MakeTempDir() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "trellis-bench-vpn-XXXXXX")
          .string();
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

// A store with `devices` compliant devices holding keys and peers.
class VpnFleet {
 public:
  explicit VpnFleet(int devices)
      : dir_(MakeTempDir()),
        pool_(*MakeTunnelAddressPool("10.200.0.0/16")),
        bundle_(std::make_shared<v1::PolicyBundle>()),
        sync_(&pool_, [this] {
          absl::MutexLock lock(&mu_);
          return bundle_;
        }) {
    v1::VpnProfile* p = bundle_->add_vpn_profiles();
    p->set_id("remote");
    p->set_gateway_endpoint("192.0.2.1:51820");
    p->set_gateway_public_key(crypto::GenerateWireGuardKeyPair()->public_key);
    p->add_routes("10.10.0.0/16");
    p->set_mode(v1::VPN_MODE_ALWAYS_ON);
    auto store = SqliteStore::Open({dir_ + "/trellis.db"});
    if (!store.ok()) std::abort();
    store_ = *std::move(store);
    absl::Status s = store_->WriteSync([&](StoreWriter& w) -> absl::Status {
      for (int i = 0; i < devices; ++i) {
        DeviceRecord d;
        d.device_id = absl::StrCat("dev-", i);
        d.key_hash = d.device_id;
        d.state = v1::DEVICE_STATE_ACTIVE;
        d.platform = v1::PLATFORM_LINUX;
        d.ownership = v1::OWNERSHIP_CORPORATE;
        d.compliance_state = v1::COMPLIANCE_STATE_COMPLIANT;
        d.wireguard_public_key = crypto::GenerateWireGuardKeyPair()->public_key;
        absl::Status st = w.InsertDevice(d);
        if (st.ok()) st = sync_.Sync(w, d, absl::Now()).status();
        if (!st.ok()) return st;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) std::abort();
  }
  ~VpnFleet() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Swaps the profile's routes, so every peer's decision is re-made (the
  // peers themselves stay the same: the worst case of a no-op publish).
  void Touch() {
    absl::MutexLock lock(&mu_);
    auto next = std::make_shared<v1::PolicyBundle>(*bundle_);
    next->mutable_vpn_profiles(0)->add_routes("10.11.0.0/16");
    bundle_ = next;
  }

  SqliteStore& store() { return *store_; }
  const PeerSync& sync() const { return sync_; }

 private:
  std::string dir_;
  TunnelAddressPool pool_;
  absl::Mutex mu_;
  // Read by sync_'s bundle callback, replaced by Touch().
  std::shared_ptr<v1::PolicyBundle> bundle_ ABSL_GUARDED_BY(mu_);
  PeerSync sync_;
  std::unique_ptr<SqliteStore> store_;
};

void BM_SyncAll(benchmark::State& state) {
  VpnFleet fleet(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    fleet.Touch();
    absl::Status s = fleet.store().WriteSync([&](StoreWriter& w) {
      return fleet.sync().SyncAll(w, absl::Now()).status();
    });
    if (!s.ok()) state.SkipWithError("sync failed");
  }
  state.counters["devices/s"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * state.iterations(),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SyncAll)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_SnapshotRead(benchmark::State& state) {
  VpnFleet fleet(static_cast<int>(state.range(0)));
  size_t peers = 0;
  for (auto _ : state) {
    absl::Status s = fleet.store().Read([&](StoreReader& r) -> absl::Status {
      auto list = r.ListVpnPeers();
      if (!list.ok()) return list.status();
      peers = list->size();
      return absl::OkStatus();
    });
    if (!s.ok() || peers != static_cast<size_t>(state.range(0))) {
      state.SkipWithError("snapshot read failed");
    }
  }
}
BENCHMARK(BM_SnapshotRead)->Arg(10000)->Unit(benchmark::kMillisecond);

// A stream that records when each delta reaches it and acknowledges at once
// from another thread (as the gRPC reactor's completion would).
class TimingStream : public PeerSubscriber {
 public:
  bool Send(const v1::PeerUpdate& update) override {
    absl::MutexLock lock(&mu_);
    if (update.kind() == v1::PeerUpdate::KIND_DELTA) ++deltas_;
    pending_ack_ = true;
    return true;
  }
  void End(const absl::Status&) override {}
  // Waits until `want` deltas have arrived, acknowledging every message on
  // the way (outside the lock: the feed holds its own while sending).
  void WaitForDelta(PeerFeed& feed, const std::shared_ptr<PeerFeed::Handle>& h,
                    int want) {
    while (true) {
      bool done = false;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](TimingStream* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
              return s->pending_ack_;
            },
            this));
        pending_ack_ = false;
        done = deltas_ >= want;
      }
      feed.SendDone(h, true);
      if (done) return;
    }
  }

 private:
  absl::Mutex mu_;
  bool pending_ack_ ABSL_GUARDED_BY(mu_) = false;
  int deltas_ ABSL_GUARDED_BY(mu_) = 0;
};

void BM_VerdictToDelta(benchmark::State& state) {
  VpnFleet fleet(1000);
  PeerFeed feed(&fleet.store(), absl::Seconds(5));
  fleet.store().AddCommitListener(
      [&feed](const server::CommitEvents&) { feed.Notify(); });
  feed.Start();
  TimingStream stream;
  auto handle = feed.Subscribe(&stream, "", 0);
  stream.WaitForDelta(feed, handle, 0);  // the snapshot
  DeviceRecord d;
  absl::Status read = fleet.store().Read([&](StoreReader& r) -> absl::Status {
    auto got = r.GetDevice("dev-7");
    if (!got.ok() || !got->has_value()) return absl::NotFoundError("dev-7");
    d = **got;
    return absl::OkStatus();
  });
  if (!read.ok()) std::abort();
  int deltas = 0;
  for (auto _ : state) {
    d.compliance_state = d.compliance_state == v1::COMPLIANCE_STATE_COMPLIANT
                             ? v1::COMPLIANCE_STATE_NONCOMPLIANT
                             : v1::COMPLIANCE_STATE_COMPLIANT;
    absl::Status s = fleet.store().WriteSync([&](StoreWriter& w) {
      absl::Status u = w.UpdateDevice(d);
      if (!u.ok()) return u;
      return fleet.sync().Sync(w, d, absl::Now()).status();
    });
    if (!s.ok()) state.SkipWithError("write failed");
    stream.WaitForDelta(feed, handle, ++deltas);
  }
  feed.Unsubscribe(handle);
  feed.Stop();
}
BENCHMARK(BM_VerdictToDelta)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace trellis::server

BENCHMARK_MAIN();
