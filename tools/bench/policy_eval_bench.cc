// Evaluating every shipped policy pack against one device's facts, as the
// server does for each check-in and the agent does for `check`.
// Target: at most 1 ms per device on one core.
//
// Then the budgets, measured with the real clock: the most hostile checks
// we know (each alone; target: stopped near the 50 ms statement limit) and
// a 500-check bundle of them (target: stopped near the 2 s evaluation
// budget). Prints one summary line of medians; exits 1 when a budget does
// not hold.
//
//   build/tools/bench/trellis-bench-policy [--benchmark_repetitions=5]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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

// A 260,000-byte string (near the 256 KiB value limit), and an endless
// supply of rows to repeat work on it until the check is stopped.
constexpr char kBig[] = "(SELECT replace(hex(zeroblob(130000)), '0', 'a'))";
constexpr char kForever[] =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) ";

struct Hostile {
  const char* name;
  std::string query;
};

std::vector<Hostile> HostileChecks() {
  const std::string big = kBig;
  const std::string forever = kForever;
  const std::string glob_class =
      " GLOB '*[bcdefghijklmnopqrstuvwxyz0123456789BCDEFGHIJ]'";
  const std::string glob6 =
      absl::StrCat(big, glob_class, " AND ", big, glob_class, " AND ", big,
                   glob_class, " AND ", big, glob_class, " AND ", big,
                   glob_class, " AND ", big, glob_class);
  return {
      {"recursive-cte", forever + "SELECT 1 FROM n WHERE i < 0"},
      {"glob-class-x6",
       forever + "SELECT 1 FROM n WHERE i < 0 OR (" + glob6 + ")"},
      {"like-many-%", forever + "SELECT 1 FROM n WHERE " + big +
                          " LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b'"},
      {"glob-many-*", forever + "SELECT 1 FROM n WHERE " + big +
                          " GLOB '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'"},
      {"instr-huge", forever + "SELECT 1 FROM n WHERE instr(" + big +
                         ", substr(" + big + ", 1, 129999) || 'b') > 0"},
      {"replace-huge", forever + "SELECT 1 FROM n WHERE length(replace(" + big +
                           ", substr(" + big +
                           ", 1, 129999) || 'b', 'x')) < 0"},
      {"replace-nested",
       forever + "SELECT 1 FROM n WHERE length(replace(replace(replace(" +
           "substr(" + big + ", 1, 60000), 'a', 'aa'), 'a', 'aa'), 'a', " +
           "'aa')) < 0"},
      {"trim-big-set", forever + "SELECT 1 FROM n WHERE length(trim(" + big +
                           ", substr(replace(hex(zeroblob(60000)), '0', "
                           "'b'), 1, 100000) || 'a')) < 0"},
      {"substr-huge",
       forever + "SELECT 1 FROM n WHERE substr(" + big + ", 200000, 10) = 'b'"},
      {"string-doubling",
       "WITH RECURSIVE r(s) AS (SELECT 'a' UNION ALL SELECT s || s FROM r) "
       "SELECT 1 FROM r WHERE length(s) < 0"},
      {"zeroblob-group-concat",
       forever + "SELECT 1 FROM (SELECT group_concat(hex(zeroblob(100000))) "
                 "AS g FROM n) WHERE length(g) < 0"},
      {"cross-join-like",
       "SELECT 1 FROM packages a, packages b, processes c WHERE a.name || "
       "b.name || c.name LIKE '%zz%'"},
      {"cross-join-sort",
       "SELECT 1 FROM (SELECT a.name || b.name AS k FROM packages a, "
       "packages b ORDER BY k) WHERE k = ''"},
      {"distinct-cross-join",
       "SELECT 1 FROM (SELECT COUNT(DISTINCT a.version || b.name || "
       "c.name) AS k FROM packages a, packages b, processes c) WHERE k < 0"},
      {"json-extract-big",
       forever + "SELECT 1 FROM n WHERE json_extract('[' || substr(replace(" +
           big + ", 'aa', '1,'), 1, 200000) || '1]', '$[#-1]') < 0"},
  };
}

absl::Duration Median(std::vector<absl::Duration> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

absl::Duration ThreadCpuTime() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return absl::DurationFromTimespec(t);
}

struct Timing {
  absl::Duration wall;  // all checks (facts loading excluded, as the budget)
  absl::Duration cpu;   // this thread's CPU time for the whole evaluation
};

// Medians of `runs` evaluations. On a loaded machine wall time includes
// waiting for a core; CPU time shows the work itself.
Timing MedianEvaluation(policy::Evaluator& e, const v1::PostureReport& report,
                        int runs) {
  policy::DeviceContext device{v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE,
                               "staff"};
  std::vector<absl::Duration> wall;
  std::vector<absl::Duration> cpu;
  for (int i = 0; i < runs; ++i) {
    policy::EvaluationCost cost;
    absl::Duration cpu_start = ThreadCpuTime();
    e.Evaluate(device, report, &cost);
    cpu.push_back(ThreadCpuTime() - cpu_start);
    wall.push_back(cost.total);
  }
  return {Median(wall), Median(cpu)};
}

v1::PolicyBundle HostileBundle(const std::vector<Hostile>& checks, int count) {
  v1::PolicyBundle b;
  b.set_version(1);
  v1::Policy* p = b.add_policies();
  p->set_id("hostile");
  p->set_title("hostile");
  p->set_enforcement(v1::ENFORCEMENT_RESTRICT);
  for (int i = 0; i < count; ++i) {
    const Hostile& h = checks[i % checks.size()];
    v1::Check* c = p->add_checks();
    c->set_id(absl::StrCat(h.name, "-", i));
    c->set_title(h.name);
    c->set_query(h.query);
  }
  return b;
}

int CheckBudgets() {
  const policy::SandboxLimits limits;
  const v1::PostureReport report = LaptopReport();
  const std::vector<Hostile> hostile = HostileChecks();
  std::string worst_check;
  Timing worst{absl::ZeroDuration(), absl::ZeroDuration()};
  for (const Hostile& h : hostile) {
    auto e = policy::Evaluator::Compile(HostileBundle({h}, 1), limits);
    if (!e.ok()) {
      std::fprintf(stderr, "%s: %s\n", h.name,
                   std::string(e.status().message()).c_str());
      return 1;
    }
    Timing t = MedianEvaluation(**e, report, 5);
    std::printf("  %-22s median %7.1f ms wall, %7.1f ms CPU\n", h.name,
                absl::ToDoubleMilliseconds(t.wall),
                absl::ToDoubleMilliseconds(t.cpu));
    if (t.wall > worst.wall) {
      worst = t;
      worst_check = h.name;
    }
  }
  constexpr int kBundleChecks = 500;
  auto bundle =
      policy::Evaluator::Compile(HostileBundle(hostile, kBundleChecks), limits);
  if (!bundle.ok()) return 1;
  Timing bundle_time = MedianEvaluation(**bundle, report, 3);
  // A check may overrun its limit by the work between two looks at the
  // clock (100 VM steps, or 65,536 units inside a string function): well
  // under a millisecond, plus whatever the machine's other load adds.
  const absl::Duration check_bound = limits.statement_time * 3 / 2;
  const absl::Duration bundle_bound =
      limits.evaluation_time + limits.statement_time;
  bool ok = worst.wall <= check_bound && bundle_time.wall <= bundle_bound;
  std::printf(
      "policy budgets: worst check %s median %.1f ms wall (%.1f ms CPU; "
      "limit %s, bound %s); worst bundle of %d checks median %.1f ms wall "
      "(%.1f ms CPU; budget %s, bound %s): %s\n",
      worst_check.c_str(), absl::ToDoubleMilliseconds(worst.wall),
      absl::ToDoubleMilliseconds(worst.cpu),
      absl::FormatDuration(limits.statement_time).c_str(),
      absl::FormatDuration(check_bound).c_str(), kBundleChecks,
      absl::ToDoubleMilliseconds(bundle_time.wall),
      absl::ToDoubleMilliseconds(bundle_time.cpu),
      absl::FormatDuration(limits.evaluation_time).c_str(),
      absl::FormatDuration(bundle_bound).c_str(), ok ? "held" : "EXCEEDED");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace trellis

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return trellis::CheckBudgets();
}
