#include "agent/checkin/backoff.h"

#include <vector>

#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

LoopTiming Timing() {
  LoopTiming t;
  t.interval = absl::Minutes(5);
  t.jitter_fraction = 0.1;
  t.initial_backoff = absl::Seconds(2);
  t.max_backoff = absl::Minutes(5);
  return t;
}

std::function<double()> Always(double v) {
  return [v] { return v; };
}

TEST(BackoffTest, FailureDelaysDoubleWithMidpointRandom) {
  Backoff b(Timing(), Always(0.5));
  // Equal jitter with u = 0.5: three quarters of the ceiling.
  const std::vector<absl::Duration> expected = {
      absl::Milliseconds(1500), absl::Seconds(3),  absl::Seconds(6),
      absl::Seconds(12),        absl::Seconds(24), absl::Seconds(48),
      absl::Seconds(96),        absl::Seconds(192)};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(b.AfterFailure(), expected[i]) << "failure " << i + 1;
    EXPECT_EQ(b.consecutive_failures(), static_cast<int>(i) + 1);
  }
  // The ceiling is now capped at 5 minutes: 0.75 * 300s.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(b.AfterFailure(), absl::Seconds(225));
  }
}

TEST(BackoffTest, FailureDelaysWithZeroRandomAreHalfTheCeiling) {
  Backoff b(Timing(), Always(0.0));
  EXPECT_EQ(b.AfterFailure(), absl::Seconds(1));
  EXPECT_EQ(b.AfterFailure(), absl::Seconds(2));
  EXPECT_EQ(b.AfterFailure(), absl::Seconds(4));
  EXPECT_EQ(b.AfterFailure(), absl::Seconds(8));
  for (int i = 0; i < 10; ++i) b.AfterFailure();
  EXPECT_EQ(b.AfterFailure(), absl::Seconds(150));
}

TEST(BackoffTest, FailureDelaysNeverExceedMaxBackoff) {
  Backoff b(Timing(), Always(0.999));
  absl::Duration previous = absl::ZeroDuration();
  for (int i = 0; i < 100; ++i) {
    absl::Duration d = b.AfterFailure();
    EXPECT_LE(d, absl::Minutes(5)) << "failure " << i + 1;
    EXPECT_GE(d, previous) << "failure " << i + 1;
    previous = d;
  }
  // Close to the cap, not merely under it.
  EXPECT_GT(previous, absl::Seconds(299));
  EXPECT_EQ(b.consecutive_failures(), 100);
}

TEST(BackoffTest, CapAppliesWhenMaxIsNotAPowerOfTwoMultiple) {
  LoopTiming t = Timing();
  t.initial_backoff = absl::Seconds(3);
  t.max_backoff = absl::Seconds(10);
  Backoff b(t, Always(0.5));
  EXPECT_EQ(b.AfterFailure(), absl::Milliseconds(2250));  // ceiling 3s
  EXPECT_EQ(b.AfterFailure(), absl::Milliseconds(4500));  // ceiling 6s
  EXPECT_EQ(b.AfterFailure(), absl::Milliseconds(7500));  // ceiling 10s
  EXPECT_EQ(b.AfterFailure(), absl::Milliseconds(7500));
}

TEST(BackoffTest, AfterSuccessResetsFailures) {
  Backoff b(Timing(), Always(0.5));
  b.AfterFailure();
  b.AfterFailure();
  b.AfterFailure();
  ASSERT_EQ(b.consecutive_failures(), 3);
  EXPECT_EQ(b.AfterSuccess(), absl::Minutes(5));
  EXPECT_EQ(b.consecutive_failures(), 0);
  // The back-off starts over from the initial delay.
  EXPECT_EQ(b.AfterFailure(), absl::Milliseconds(1500));
}

TEST(BackoffTest, AfterSuccessJitterStaysWithinFraction) {
  const absl::Duration interval = absl::Minutes(5);
  {
    Backoff b(Timing(), Always(0.0));
    EXPECT_EQ(b.AfterSuccess(), absl::Seconds(270));  // interval * 0.9
  }
  {
    Backoff b(Timing(), Always(0.5));
    EXPECT_EQ(b.AfterSuccess(), interval);
  }
  {
    Backoff b(Timing(), Always(0.999));
    absl::Duration d = b.AfterSuccess();
    EXPECT_LT(d, interval * 1.1);
    EXPECT_GT(d, interval * 1.099);
  }
  for (double u = 0.0; u < 1.0; u += 0.05) {
    Backoff b(Timing(), Always(u));
    absl::Duration d = b.AfterSuccess();
    EXPECT_GE(d, interval * 0.9) << u;
    EXPECT_LE(d, interval * 1.1) << u;
  }
}

TEST(BackoffTest, ZeroJitterGivesExactInterval) {
  LoopTiming t = Timing();
  t.jitter_fraction = 0;
  Backoff b(t, Always(0.999));
  EXPECT_EQ(b.AfterSuccess(), absl::Minutes(5));
}

}  // namespace
}  // namespace trellis::agent
