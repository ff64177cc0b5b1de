// Evaluating every shipped policy pack against one device's facts, as the
// server does for each check-in and the agent does for `check`.
// Target: at most 1 ms per device on one core.
//
//   build/tools/bench/trellis-bench-policy [--benchmark_repetitions=5]
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/facts/table_builder.h"
#include "common/policy/evaluator.h"
#include "common/policy/policy_loader.h"

namespace trellis {
namespace {

// A busy corporate laptop: every table filled, inventory included.
v1::PostureReport LaptopReport() {
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  using facts::TableBuilder;
  *r.add_tables() = TableBuilder("os_version")
                        .Row()
                        .Text("name", "Debian GNU/Linux")
                        .Text("version", "12 (bookworm)")
                        .Text("version_id", "12")
                        .Text("id", "debian")
                        .Text("pretty_name", "Debian GNU/Linux 12 (bookworm)")
                        .Text("kernel_release", "6.1.0-27-amd64")
                        .Text("arch", "x86_64")
                        .Build();
  TableBuilder disks("disk_encryption");
  for (int i = 0; i < 4; ++i) {
    disks.Row()
        .Text("mount_point", i == 0 ? "/" : absl::StrCat("/data", i))
        .Text("device", absl::StrCat("/dev/mapper/vol", i))
        .Bool("encrypted", true)
        .Text("method", "luks")
        .Bool("is_system", i == 0);
  }
  *r.add_tables() = disks.Build();
  *r.add_tables() = TableBuilder("firewall")
                        .Row()
                        .Text("backend", "nftables")
                        .Text("profile", "default")
                        .Bool("enabled", true)
                        .Text("default_inbound_policy", "drop")
                        .Build();
  *r.add_tables() = TableBuilder("screen_lock")
                        .Row()
                        .Bool("enabled", true)
                        .Integer("idle_delay_seconds", 300)
                        .Integer("lock_delay_seconds", 0)
                        .Text("source", "gnome")
                        .Build();
  *r.add_tables() = TableBuilder("os_updates")
                        .Row()
                        .Text("manager", "apt")
                        .Integer("pending", 3)
                        .Integer("pending_security", 1)
                        .Integer("days_since_last_update", 2)
                        .Bool("automatic_updates", true)
                        .Build();
  *r.add_tables() = TableBuilder("secure_boot")
                        .Row()
                        .Bool("supported", true)
                        .Bool("enabled", true)
                        .Text("source", "efivars")
                        .Build();
  *r.add_tables() = TableBuilder("antimalware")
                        .Row()
                        .Text("product", "clamav")
                        .Bool("installed", true)
                        .Bool("running", true)
                        .Bool("real_time_protection", false)
                        .Integer("signature_age_days", 1)
                        .Build();
  TableBuilder users("users");
  for (int i = 0; i < 40; ++i) {
    users.Row()
        .Text("username", absl::StrCat("user", i))
        .Integer("uid", i < 30 ? i : 1000 + i)
        .Bool("is_admin", i == 31)
        .Bool("has_password", i >= 30)
        .Bool("locked", i < 30)
        .Bool("is_system", i < 30)
        .Text("shell", i < 30 ? "/usr/sbin/nologin" : "/bin/bash");
  }
  *r.add_tables() = users.Build();
  *r.add_tables() = TableBuilder("ssh_server")
                        .Row()
                        .Bool("installed", true)
                        .Bool("running", true)
                        .Text("permit_root_login", "no")
                        .Bool("password_authentication", false)
                        .Build();
  *r.add_tables() = TableBuilder("vpn")
                        .Row()
                        .Text("name", "trellis0")
                        .Text("type", "wireguard")
                        .Bool("up", true)
                        .Bool("managed_by_trellis", true)
                        .Build();
  TableBuilder packages("packages");
  for (int i = 0; i < 2500; ++i) {
    packages.Row()
        .Text("name", absl::StrCat("package-", i))
        .Text("version", "1.2.3-4")
        .Text("source", "deb");
  }
  *r.add_tables() = packages.Build();
  TableBuilder processes("processes");
  for (int i = 0; i < 300; ++i) {
    processes.Row()
        .Integer("pid", 100 + i)
        .Text("name", absl::StrCat("proc", i))
        .Text("user", "root");
  }
  *r.add_tables() = processes.Build();
  return r;
}

void BM_EvaluateShippedPacks(benchmark::State& state) {
  auto policies =
      policy::LoadPolicies(std::string(TRELLIS_SOURCE_DIR) + "/policies");
  if (!policies.ok()) {
    state.SkipWithError(std::string(policies.status().message()).c_str());
    return;
  }
  v1::PolicyBundle bundle;
  bundle.set_version(1);
  int checks = 0;
  for (const auto& p : *policies) {
    *bundle.add_policies() = p;
    checks += p.checks_size();
  }
  auto evaluator = policy::Evaluator::Compile(bundle);
  if (!evaluator.ok()) {
    state.SkipWithError(std::string(evaluator.status().message()).c_str());
    return;
  }
  v1::PostureReport report = LaptopReport();
  policy::DeviceContext device{v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE,
                               "staff"};
  int failing = 0;
  for (auto _ : state) {
    v1::Verdict v = (*evaluator)->Evaluate(device, report);
    failing = 0;
    for (const auto& r : v.results()) {
      failing += r.state() == v1::CHECK_STATE_FAIL ||
                 r.state() == v1::CHECK_STATE_ERROR;
    }
    benchmark::DoNotOptimize(v);
  }
  state.counters["checks"] = checks;
  state.counters["failing"] = failing;
}
BENCHMARK(BM_EvaluateShippedPacks)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace trellis

BENCHMARK_MAIN();
