// How policy results and VPN profiles read to people: trellisctl prints
// these, and keeping them here lets them be tested without a server.
#ifndef TRELLIS_COMMON_POLICY_POLICY_TEXT_H_
#define TRELLIS_COMMON_POLICY_POLICY_TEXT_H_

#include <string>

#include "trellis/v1/common.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// The check's state word, and for a failure or error that an admin
// exception covers, until when and why:
// "fail (excepted until 2026-12-01T00:00:00Z: new laptop on order)".
std::string CheckStateText(const v1::CheckResult& result);

// "always-on", "untrusted-only"; "-" when unset.
const char* VpnModeWord(v1::VpnMode mode);

// "none", "full", "quarantine"; "-" when unset (an older server).
const char* VpnAccessWord(v1::VpnAccess access);

// "any device", or e.g. "linux, macos; corporate; groups staff, finance".
std::string AppliesToText(const v1::AppliesTo& applies_to);

// A multi-line description of a profile, every field on its own line.
std::string DescribeVpnProfile(const v1::VpnProfile& profile);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_POLICY_TEXT_H_
