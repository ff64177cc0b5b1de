#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/checkin/checkin_handler.h"

namespace trellis::server {
namespace {

v1::Verdict Verdict(std::vector<v1::CheckState> states) {
  v1::Verdict v;
  int i = 0;
  for (auto s : states) {
    v1::CheckResult* r = v.add_results();
    r->set_policy_id("p");
    r->set_check_id("c" + std::to_string(i++));
    r->set_state(s);
  }
  return v;
}

TEST(NextCheckStatesTest, SinceMovesOnlyWhenStateChanges) {
  absl::Time t0 = absl::FromUnixSeconds(1000);
  absl::Time t1 = absl::FromUnixSeconds(2000);
  bool changed = false;
  auto first = NextCheckStates(
      "d", Verdict({v1::CHECK_STATE_PASS, v1::CHECK_STATE_FAIL}), {}, t0,
      &changed);
  EXPECT_TRUE(changed);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].since, t0);

  auto same = NextCheckStates(
      "d", Verdict({v1::CHECK_STATE_PASS, v1::CHECK_STATE_FAIL}), first, t1,
      &changed);
  EXPECT_FALSE(changed);
  EXPECT_EQ(same[0].since, t0);
  EXPECT_EQ(same[1].since, t0);

  auto flipped = NextCheckStates(
      "d", Verdict({v1::CHECK_STATE_PASS, v1::CHECK_STATE_PASS}), first, t1,
      &changed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(flipped[0].since, t0);
  EXPECT_EQ(flipped[1].since, t1);
}

}  // namespace
}  // namespace trellis::server
