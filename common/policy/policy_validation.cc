#include "common/policy/policy_validation.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace trellis::policy {
namespace {

constexpr int kMaxPolicies = 200;
constexpr int kMaxChecksPerPolicy = 500;
constexpr size_t kMaxText = kMaxPolicyText;
constexpr size_t kMaxQuery = kMaxPolicyQuery;

absl::Status Bad(const std::string& where, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", why));
}

}  // namespace

bool IsPolicyId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_')) {
      return false;
    }
  }
  return s[0] != '-' && s[0] != '_';
}

absl::Status ValidateAppliesTo(const v1::AppliesTo& applies_to) {
  for (int platform : applies_to.platforms()) {
    if (platform == v1::PLATFORM_UNSPECIFIED ||
        !v1::Platform_IsValid(platform)) {
      return absl::InvalidArgumentError(
          "applies_to.platforms has an unknown platform");
    }
  }
  for (int o : applies_to.ownership()) {
    if (o == v1::OWNERSHIP_UNSPECIFIED || !v1::Ownership_IsValid(o)) {
      return absl::InvalidArgumentError(
          "applies_to.ownership has an unknown value");
    }
  }
  for (const std::string& g : applies_to.groups()) {
    if (g.empty() || g.size() > 64) {
      return absl::InvalidArgumentError(
          "applies_to.groups has a name that is empty or over 64 bytes");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePolicySet(const std::vector<v1::Policy>& policies) {
  if (policies.empty()) return absl::InvalidArgumentError("no policies given");
  if (static_cast<int>(policies.size()) > kMaxPolicies) {
    return absl::InvalidArgumentError(
        absl::StrCat(policies.size(), " policies; at most ", kMaxPolicies,
                     " may be published"));
  }
  std::set<std::string> policy_ids;
  for (const v1::Policy& p : policies) {
    std::string where = absl::StrCat("policy '", p.id().substr(0, 64), "'");
    if (!IsPolicyId(p.id())) return Bad(where, "id must be [a-z0-9_-], 1-64");
    if (!policy_ids.insert(p.id()).second) return Bad(where, "duplicate id");
    if (p.title().empty() || p.title().size() > kMaxText) {
      return Bad(where, "title is required (at most 4096 bytes)");
    }
    if (p.description().size() > kMaxText)
      return Bad(where, "description too long");
    if (p.enforcement() == v1::ENFORCEMENT_UNSPECIFIED ||
        !v1::Enforcement_IsValid(p.enforcement())) {
      return Bad(where,
                 "enforcement must be report, warn, restrict or quarantine");
    }
    absl::Status applies = ValidateAppliesTo(p.applies_to());
    if (!applies.ok()) return Bad(where, applies.message());
    if (p.checks().empty() || p.checks_size() > kMaxChecksPerPolicy) {
      return Bad(where, absl::StrCat("has ", p.checks_size(),
                                     " checks; a policy needs 1 to ",
                                     kMaxChecksPerPolicy));
    }
    std::set<std::string> check_ids;
    for (const v1::Check& c : p.checks()) {
      std::string cw =
          absl::StrCat(where, " check '", c.id().substr(0, 64), "'");
      if (!IsPolicyId(c.id())) return Bad(cw, "id must be [a-z0-9_-], 1-64");
      if (!check_ids.insert(c.id()).second) return Bad(cw, "duplicate id");
      if (c.title().empty() || c.title().size() > kMaxText) {
        return Bad(cw, "title is required (at most 4096 bytes)");
      }
      if (c.query().empty() || c.query().size() > kMaxQuery ||
          c.detail_query().size() > kMaxQuery) {
        return Bad(cw, "query is required (at most 20000 bytes)");
      }
      if (!v1::Severity_IsValid(c.severity()))
        return Bad(cw, "unknown severity");
      if (c.grace_period_seconds() < 0 ||
          c.grace_period_seconds() > 365LL * 86400) {
        return Bad(cw, "grace_period_seconds must be 0..31536000");
      }
      if (c.remediation().text().size() > kMaxText)
        return Bad(cw, "remediation too long");
      for (const auto& [platform, text] : c.remediation().by_platform()) {
        if (text.size() > kMaxText || platform.size() > 16) {
          return Bad(cw, "remediation entry too long");
        }
      }
      for (int platform : c.platforms()) {
        if (platform == v1::PLATFORM_UNSPECIFIED ||
            !v1::Platform_IsValid(platform)) {
          return Bad(cw, "platforms has an unknown platform");
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace trellis::policy
