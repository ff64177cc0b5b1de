// Slow tables are collected on their own schedule: reused within their
// interval, collected again after it or as soon as the package manager's
// stamps move, and never cached when collection failed.
#include "agent/facts/fact_cache.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "agent/facts/collection_schedule.h"
#include "agent/facts/device_probe.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/exec/command_runner.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

constexpr char kAptSim[] = "apt-get -s -o Debug::NoLocking=1 dist-upgrade";
constexpr char kStamp[] = "/var/lib/apt/periodic/update-success-stamp";

// Files and their modification times.
class StampedSystem : public SystemSource {
 public:
  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    auto it = files.find(path);
    if (it == files.end()) return absl::NotFoundError(path);
    return it->second;
  }
  absl::StatusOr<UnameInfo> Uname() override { return UnameInfo{}; }
  absl::StatusOr<absl::Time> ModifiedTime(const std::string& path) override {
    auto it = mtimes.find(path);
    if (it == mtimes.end()) return absl::NotFoundError(path);
    return it->second;
  }
  std::map<std::string, std::string> files;
  std::map<std::string, absl::Time> mtimes;
};

// A table collected at every check-in, counting its collections.
class CountingCollector : public Collector {
 public:
  explicit CountingCollector(int* count) : count_(count) {}
  std::string table() const override { return "firewall"; }
  v1::FactTable Collect(CollectContext&) override {
    ++*count_;
    v1::FactTable t;
    t.set_name("firewall");
    t.set_status(v1::FactTable::STATUS_OK);
    return t;
  }

 private:
  int* count_;
};

CommandResult AptSays(int pending) {
  CommandResult r;
  for (int i = 0; i < pending; ++i) {
    r.stdout_text += "Inst libfoo" + std::to_string(i) +
                     " [1.0] (1.1 Debian:12/stable [amd64])\n";
  }
  r.stdout_text += std::to_string(pending) +
                   " upgraded, 0 newly installed, 0 to remove and 0 not "
                   "upgraded.\n";
  return r;
}

class FactCacheTest : public ::testing::Test {
 protected:
  FactCacheTest() {
    std::vector<std::unique_ptr<Collector>> collectors;
    collectors.push_back(linux_facts::NewOsUpdatesCollector());
    collectors.push_back(std::make_unique<CountingCollector>(&fast_));
    probe_ = std::make_unique<DeviceProbe>(
        &system_, &runner_, &clock_, std::move(collectors), v1::PLATFORM_LINUX);
    runner_.Set(kAptSim, AptSays(3));
    system_.mtimes[kStamp] = absl::FromUnixSeconds(1767225600);
  }

  int AptRuns() const {
    return static_cast<int>(std::count(
        runner_.calls().begin(), runner_.calls().end(), std::string(kAptSim)));
  }

  int64_t Pending(const v1::PostureReport& report) {
    for (const v1::FactTable& t : report.tables()) {
      if (t.name() != "os_updates") continue;
      if (t.status() != v1::FactTable::STATUS_OK) return -1;
      return t.rows(0).values(1).integer_value();
    }
    return -2;
  }

  v1::PostureReport Collect() {
    AgentFacts agent;
    agent.device_id = "dx";
    agent.ownership = "corporate";
    return probe_->Collect(agent);
  }

  FakeClock clock_{absl::FromUnixSeconds(1767229200)};
  StampedSystem system_;
  FakeCommandRunner runner_;
  int fast_ = 0;
  std::unique_ptr<DeviceProbe> probe_;
};

TEST_F(FactCacheTest, OsUpdatesAndPackagesAreScheduledHourly) {
  ASSERT_NE(ScheduleFor("os_updates"), nullptr);
  EXPECT_EQ(ScheduleFor("os_updates")->max_age, absl::Hours(1));
  ASSERT_NE(ScheduleFor("packages"), nullptr);
  EXPECT_EQ(ScheduleFor("packages")->max_age, absl::Hours(1));
  EXPECT_EQ(ScheduleFor("firewall"), nullptr);
}

TEST_F(FactCacheTest, SecondCycleWithinTheIntervalDoesNotRunApt) {
  const absl::Time first_at = clock_.Now();
  EXPECT_EQ(Pending(Collect()), 3);
  EXPECT_EQ(AptRuns(), 1);
  EXPECT_TRUE(probe_->fact_cache().reused().empty());

  clock_.Advance(absl::Minutes(5));
  runner_.Set(kAptSim, AptSays(7));  // would be seen if apt ran
  EXPECT_EQ(Pending(Collect()), 3);
  EXPECT_EQ(AptRuns(), 1);
  // Fast tables are collected every time.
  EXPECT_EQ(fast_, 2);
  // Which table was reused, and from when.
  ASSERT_EQ(probe_->fact_cache().reused().size(), 1u);
  EXPECT_EQ(probe_->fact_cache().reused()[0].table, "os_updates");
  EXPECT_EQ(probe_->fact_cache().reused()[0].collected_at, first_at);
  EXPECT_THAT(DescribeReused(probe_->fact_cache().reused()),
              HasSubstr("os_updates as collected at 2026-01-01 01:00:00 UTC"));

  // Past the interval: collected again.
  clock_.Advance(absl::Minutes(56));
  EXPECT_EQ(Pending(Collect()), 7);
  EXPECT_EQ(AptRuns(), 2);
  EXPECT_TRUE(probe_->fact_cache().reused().empty());
}

TEST_F(FactCacheTest, ChangedAptStampTriggersRecollection) {
  EXPECT_EQ(Pending(Collect()), 3);
  clock_.Advance(absl::Minutes(5));
  runner_.Set(kAptSim, AptSays(0));
  system_.mtimes[kStamp] += absl::Minutes(4);  // `apt update` ran
  EXPECT_EQ(Pending(Collect()), 0);
  EXPECT_EQ(AptRuns(), 2);

  // So does the appearance of a stamp that was missing (dpkg's database).
  clock_.Advance(absl::Minutes(1));
  system_.mtimes["/var/lib/dpkg/status"] = clock_.Now();
  Collect();
  EXPECT_EQ(AptRuns(), 3);
  clock_.Advance(absl::Minutes(1));
  Collect();
  EXPECT_EQ(AptRuns(), 3);
}

TEST_F(FactCacheTest, FailedCollectionIsNotReused) {
  runner_.Set(kAptSim, CommandResult{100, "", "E: could not lock"});
  EXPECT_EQ(Pending(Collect()), -1);
  clock_.Advance(absl::Minutes(5));
  runner_.Set(kAptSim, AptSays(2));
  EXPECT_EQ(Pending(Collect()), 2);
  EXPECT_EQ(AptRuns(), 2);
}

TEST_F(FactCacheTest, ClockGoingBackCollectsAgain) {
  Collect();
  clock_.Advance(-absl::Minutes(10));
  Collect();
  EXPECT_EQ(AptRuns(), 2);
}

}  // namespace
}  // namespace trellis::agent
