#include "server/enrollment/failure_limiter.h"

#include <string>

#include "absl/status/status.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

constexpr char kPeer[] = "ipv4:192.0.2.1";
constexpr char kOtherPeer[] = "ipv4:192.0.2.2";

TEST(FailureLimiterTest, UnknownPeerIsAllowed) {
  FakeClock clock;
  FailureLimiter limiter(&clock, 3, absl::Minutes(1));
  EXPECT_TRUE(limiter.Check(kPeer).ok());
}

TEST(FailureLimiterTest, BelowTheLimitIsAllowed) {
  FakeClock clock;
  FailureLimiter limiter(&clock, 3, absl::Minutes(1));
  limiter.RecordFailure(kPeer);
  limiter.RecordFailure(kPeer);
  EXPECT_TRUE(limiter.Check(kPeer).ok());
}

TEST(FailureLimiterTest, LimitReachedIsResourceExhaustedWithRetryTime) {
  FakeClock clock;
  FailureLimiter limiter(&clock, 3, absl::Minutes(1));
  limiter.RecordFailure(kPeer);
  clock.Advance(absl::Seconds(10));
  limiter.RecordFailure(kPeer);
  limiter.RecordFailure(kPeer);
  clock.Advance(absl::Seconds(5));
  absl::Status s = limiter.Check(kPeer);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_THAT(s.message(), HasSubstr("retry in"));
  // The oldest failure leaves the window 60 - 15 = 45 seconds from now.
  EXPECT_THAT(s.message(), HasSubstr("retry in 45s"));
}

TEST(FailureLimiterTest, OtherPeerIsUnaffected) {
  FakeClock clock;
  FailureLimiter limiter(&clock, 3, absl::Minutes(1));
  for (int i = 0; i < 3; ++i) limiter.RecordFailure(kPeer);
  EXPECT_EQ(limiter.Check(kPeer).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(limiter.Check(kOtherPeer).ok());
  limiter.RecordFailure(kOtherPeer);
  EXPECT_TRUE(limiter.Check(kOtherPeer).ok());
}

TEST(FailureLimiterTest, AllowedAgainAfterTheWindow) {
  FakeClock clock;
  FailureLimiter limiter(&clock, 3, absl::Minutes(1));
  for (int i = 0; i < 3; ++i) limiter.RecordFailure(kPeer);
  clock.Advance(absl::Seconds(59));
  EXPECT_EQ(limiter.Check(kPeer).code(), absl::StatusCode::kResourceExhausted);
  clock.Advance(absl::Seconds(2));
  EXPECT_TRUE(limiter.Check(kPeer).ok());
}

TEST(FailureLimiterTest, WindowSlides) {
  FakeClock clock;
  FailureLimiter limiter(&clock, 3, absl::Minutes(1));
  limiter.RecordFailure(kPeer);  // t=0
  clock.Advance(absl::Seconds(30));
  limiter.RecordFailure(kPeer);      // t=30
  limiter.RecordFailure(kPeer);      // t=30
  clock.Advance(absl::Seconds(31));  // t=61: the first one expired
  EXPECT_TRUE(limiter.Check(kPeer).ok());
  limiter.RecordFailure(kPeer);  // t=61: three in the window again
  absl::Status s = limiter.Check(kPeer);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("retry in 29s"));
  clock.Advance(absl::Seconds(30));  // t=91: both t=30 ones expired
  EXPECT_TRUE(limiter.Check(kPeer).ok());
}

TEST(FailureLimiterTest, RetryTimeRoundsUp) {
  FakeClock clock;
  FailureLimiter limiter(&clock, 1, absl::Minutes(1));
  limiter.RecordFailure(kPeer);
  clock.Advance(absl::Milliseconds(59500));
  absl::Status s = limiter.Check(kPeer);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("retry in 1s"));
}

}  // namespace
}  // namespace trellis::server
