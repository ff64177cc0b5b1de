#include "common/policy/policy_reader.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/policy/policy_validation.h"

namespace trellis::policy {
namespace {

class PolicyReader {
 public:
  PolicyReader(YamlReader& yaml, FactDatabase* sql) : yaml_(yaml), sql_(sql) {}

  v1::Policy Read(const YAML::Node& root) {
    v1::Policy policy;
    if (!root.IsMap()) {
      yaml_.Error(root,
                  "a policy file must be a mapping of keys (id, title, ...)");
      return policy;
    }
    yaml_.Keys(root, {"id", "title", "description", "applies_to", "enforcement",
                      "checks"});
    policy.set_id(yaml_.RequiredId(root, "id", "policy id"));
    policy.set_title(yaml_.Text(root, "title", true, kMaxPolicyText));
    policy.set_description(
        yaml_.Text(root, "description", false, kMaxPolicyText));
    if (root["applies_to"]) {
      yaml_.AppliesTo(root["applies_to"], policy.mutable_applies_to());
    }
    policy.set_enforcement(ReadEnforcement(root));
    const YAML::Node checks = root["checks"];
    if (!checks) {
      yaml_.Error(root, "missing key 'checks'");
    } else if (!checks.IsSequence() || checks.size() == 0) {
      yaml_.Error(checks, "'checks' must be a non-empty list");
    } else {
      std::set<std::string> ids;
      for (const YAML::Node& node : checks) {
        v1::Check* check = policy.add_checks();
        ReadCheck(node, check);
        if (!check->id().empty() && !ids.insert(check->id()).second) {
          yaml_.Error(node["id"],
                      absl::StrCat("duplicate check id '", check->id(),
                                   "' in this policy"));
        }
      }
    }
    return policy;
  }

 private:
  v1::Enforcement ReadEnforcement(const YAML::Node& root) {
    static const auto* kLevels = new std::map<std::string, v1::Enforcement>{
        {"report", v1::ENFORCEMENT_REPORT},
        {"warn", v1::ENFORCEMENT_WARN},
        {"restrict", v1::ENFORCEMENT_RESTRICT},
        {"quarantine", v1::ENFORCEMENT_QUARANTINE}};
    const YAML::Node node = root["enforcement"];
    if (!node) {
      yaml_.Error(root,
                  "missing key 'enforcement' (report, warn, restrict or "
                  "quarantine)");
      return v1::ENFORCEMENT_UNSPECIFIED;
    }
    auto it = node.IsScalar() ? kLevels->find(node.Scalar()) : kLevels->end();
    if (it == kLevels->end()) {
      yaml_.Error(node,
                  "'enforcement' must be report, warn, restrict or "
                  "quarantine");
      return v1::ENFORCEMENT_UNSPECIFIED;
    }
    return it->second;
  }

  void ReadCheck(const YAML::Node& node, v1::Check* check) {
    if (!node.IsMap()) {
      yaml_.Error(node, "each check must be a mapping (id, title, query, ...)");
      return;
    }
    yaml_.Keys(node, {"id", "title", "severity", "query", "detail_query",
                      "remediation", "grace_period", "platforms"});
    check->set_id(yaml_.RequiredId(node, "id", "check id"));
    check->set_title(yaml_.Text(node, "title", true, kMaxPolicyText));
    static const auto* kSeverity = new std::map<std::string, v1::Severity>{
        {"low", v1::SEVERITY_LOW},
        {"medium", v1::SEVERITY_MEDIUM},
        {"high", v1::SEVERITY_HIGH},
        {"critical", v1::SEVERITY_CRITICAL}};
    const YAML::Node severity = node["severity"];
    if (!severity) {
      check->set_severity(v1::SEVERITY_MEDIUM);
    } else if (!severity.IsScalar() || !kSeverity->count(severity.Scalar())) {
      yaml_.Error(severity, "'severity' must be low, medium, high or critical");
    } else {
      check->set_severity(kSeverity->at(severity.Scalar()));
    }
    check->set_query(yaml_.Text(node, "query", true, kMaxPolicyQuery));
    CheckSql(node["query"], check->query());
    check->set_detail_query(
        yaml_.Text(node, "detail_query", false, kMaxPolicyQuery));
    if (!check->detail_query().empty()) {
      CheckSql(node["detail_query"], check->detail_query());
    }
    if (node["grace_period"]) {
      int64_t seconds = 0;
      if (yaml_.Duration(node["grace_period"], "grace_period",
                         absl::Hours(24 * 365),
                         "90s, 30m, 12h or 14d (at most 365d)", &seconds)) {
        check->set_grace_period_seconds(seconds);
      }
    }
    if (node["platforms"]) {
      for (v1::Platform p : yaml_.Words(node["platforms"], "platforms",
                                        YamlReader::Platforms())) {
        check->add_platforms(p);
      }
    }
    if (node["remediation"]) ReadRemediation(node["remediation"], check);
  }

  void ReadRemediation(const YAML::Node& node, v1::Check* check) {
    v1::Remediation* r = check->mutable_remediation();
    if (node.IsScalar()) {
      r->set_text(node.Scalar());
      return;
    }
    if (!node.IsMap()) {
      yaml_.Error(node,
                  "'remediation' must be text or a mapping of text by "
                  "platform");
      return;
    }
    yaml_.Keys(node, {"text", "linux", "macos", "windows", "android", "ios"});
    for (const auto& kv : node) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (!kv.second.IsScalar()) {
        yaml_.Error(kv.second,
                    absl::StrCat("remediation '", key, "' must be text"));
        continue;
      }
      if (key == "text") {
        r->set_text(kv.second.Scalar());
      } else if (YamlReader::Platforms().count(key)) {
        (*r->mutable_by_platform())[key] = kv.second.Scalar();
      }
    }
  }

  // Prepares the SQL against the fact schema; errors point at the query.
  void CheckSql(const YAML::Node& node, const std::string& sql) {
    if (sql_ == nullptr || sql.empty()) return;
    auto prepared = sql_->Prepare(sql);
    if (!prepared.ok()) {
      yaml_.Error(node, absl::StrCat("query does not prepare against the fact "
                                     "schema: ",
                                     prepared.status().message()));
    }
  }

  YamlReader& yaml_;
  FactDatabase* sql_;
};

}  // namespace

v1::Policy ReadPolicy(const YAML::Node& root, YamlReader& reader,
                      FactDatabase* sql) {
  return PolicyReader(reader, sql).Read(root);
}

}  // namespace trellis::policy
