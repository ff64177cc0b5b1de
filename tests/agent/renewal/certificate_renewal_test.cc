#include "agent/renewal/certificate_renewal.h"

#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

crypto::CertificateInfo CertValid(absl::Time not_before, absl::Time not_after) {
  crypto::CertificateInfo info;
  info.not_before = not_before;
  info.not_after = not_after;
  return info;
}

TEST(RenewalDueTest, FalseBeforeMidpoint) {
  const absl::Time start = absl::FromUnixSeconds(1767225600);
  const auto cert = CertValid(start, start + absl::Hours(24));
  EXPECT_FALSE(RenewalDue(cert, start));
  EXPECT_FALSE(RenewalDue(cert, start + absl::Hours(6)));
  EXPECT_FALSE(RenewalDue(cert, start + absl::Hours(12) - absl::Seconds(1)));
  EXPECT_FALSE(
      RenewalDue(cert, start + absl::Hours(12) - absl::Microseconds(1)));
}

TEST(RenewalDueTest, TrueAtAndAfterMidpoint) {
  const absl::Time start = absl::FromUnixSeconds(1767225600);
  const auto cert = CertValid(start, start + absl::Hours(24));
  EXPECT_TRUE(RenewalDue(cert, start + absl::Hours(12)));
  EXPECT_TRUE(RenewalDue(cert, start + absl::Hours(12) + absl::Seconds(1)));
  EXPECT_TRUE(RenewalDue(cert, start + absl::Hours(24)));
  EXPECT_TRUE(RenewalDue(cert, start + absl::Hours(48)));
}

TEST(RenewalDueTest, MidpointFollowsTheCertificatesOwnLifetime) {
  const absl::Time start = absl::FromUnixSeconds(1767225600);
  // A backdated one-hour certificate: midpoint 25 minutes after `start`.
  const auto cert =
      CertValid(start - absl::Minutes(5), start + absl::Minutes(55));
  EXPECT_FALSE(RenewalDue(cert, start + absl::Minutes(24)));
  EXPECT_TRUE(RenewalDue(cert, start + absl::Minutes(25)));
}

}  // namespace
}  // namespace trellis::agent
