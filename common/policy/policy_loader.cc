#include "common/policy/policy_loader.h"

#include <dirent.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/policy/fact_database.h"
#include "common/policy/policy_validation.h"
#include "common/util/args.h"
#include "common/util/files.h"
#include "yaml-cpp/yaml.h"

namespace trellis::policy {
namespace {

constexpr size_t kMaxText = kMaxPolicyText;
constexpr size_t kMaxQuery = kMaxPolicyQuery;

// Walks one YAML document, collecting every error with its position.
class PolicyReader {
 public:
  PolicyReader(absl::string_view file, FactDatabase* sql)
      : file_(file), sql_(sql) {}

  v1::Policy Read(const YAML::Node& root) {
    v1::Policy policy;
    if (!root.IsMap()) {
      Error(root, "a policy file must be a mapping of keys (id, title, ...)");
      return policy;
    }
    Keys(root,
         {"id", "title", "description", "applies_to", "enforcement", "checks"});
    policy.set_id(RequiredId(root, "id", "policy id"));
    policy.set_title(Text(root, "title", /*required=*/true));
    policy.set_description(Text(root, "description", false));
    if (root["applies_to"]) ReadAppliesTo(root["applies_to"], &policy);
    policy.set_enforcement(ReadEnforcement(root["enforcement"], root));
    const YAML::Node checks = root["checks"];
    if (!checks) {
      Error(root, "missing key 'checks'");
    } else if (!checks.IsSequence() || checks.size() == 0) {
      Error(checks, "'checks' must be a non-empty list");
    } else {
      std::set<std::string> ids;
      for (const YAML::Node& node : checks) {
        v1::Check* check = policy.add_checks();
        ReadCheck(node, check);
        if (!check->id().empty() && !ids.insert(check->id()).second) {
          Error(node["id"], absl::StrCat("duplicate check id '", check->id(),
                                         "' in this policy"));
        }
      }
    }
    return policy;
  }

  const std::vector<std::string>& errors() const { return errors_; }

  void Error(const YAML::Node& node, absl::string_view why) {
    YAML::Mark m = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
    ErrorAt(m, why);
  }
  void ErrorAt(const YAML::Mark& m, absl::string_view why) {
    if (m.is_null()) {
      errors_.push_back(absl::StrCat(file_, ": ", why));
    } else {
      errors_.push_back(
          absl::StrCat(file_, ":", m.line + 1, ":", m.column + 1, ": ", why));
    }
  }

 private:
  void Keys(const YAML::Node& map, const std::set<std::string>& allowed) {
    for (const auto& kv : map) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (!allowed.count(key)) {
        Error(kv.first,
              absl::StrCat("unknown key '", key, "'; expected one of: ",
                           absl::StrJoin(allowed, ", ")));
      }
    }
  }

  std::string Text(const YAML::Node& map, const char* key, bool required,
                   size_t max = kMaxText) {
    const YAML::Node node = map[key];
    if (!node) {
      if (required) Error(map, absl::StrCat("missing key '", key, "'"));
      return "";
    }
    if (!node.IsScalar()) {
      Error(node, absl::StrCat("'", key, "' must be text"));
      return "";
    }
    if (node.Scalar().size() > max) {
      Error(node, absl::StrCat("'", key, "' is longer than ", max, " bytes"));
      return "";
    }
    if (required && node.Scalar().empty()) {
      Error(node, absl::StrCat("'", key, "' must not be empty"));
    }
    return node.Scalar();
  }

  std::string RequiredId(const YAML::Node& map, const char* key,
                         const char* what) {
    std::string id = Text(map, key, true, 64);
    if (!id.empty() && !IsPolicyId(id)) {
      Error(map[key], absl::StrCat(what, " '", id,
                                   "' must be lower-case letters, digits, "
                                   "'-' and '_'"));
    }
    return id;
  }

  // A list of words from `allowed`; each maps to its enum value.
  template <typename E>
  std::vector<E> Words(const YAML::Node& node, const char* key,
                       const std::map<std::string, E>& allowed) {
    std::vector<E> out;
    if (!node.IsSequence()) {
      Error(node, absl::StrCat("'", key, "' must be a list"));
      return out;
    }
    std::vector<std::string> names;
    for (const auto& [name, value] : allowed) names.push_back(name);
    for (const YAML::Node& item : node) {
      auto it = item.IsScalar() ? allowed.find(item.Scalar()) : allowed.end();
      if (it == allowed.end()) {
        Error(item, absl::StrCat("'", key, "' entries must be one of: ",
                                 absl::StrJoin(names, ", ")));
        continue;
      }
      out.push_back(it->second);
    }
    return out;
  }

  static const std::map<std::string, v1::Platform>& Platforms() {
    static const auto* m = new std::map<std::string, v1::Platform>{
        {"linux", v1::PLATFORM_LINUX},
        {"macos", v1::PLATFORM_MACOS},
        {"windows", v1::PLATFORM_WINDOWS},
        {"android", v1::PLATFORM_ANDROID},
        {"ios", v1::PLATFORM_IOS}};
    return *m;
  }

  void ReadAppliesTo(const YAML::Node& node, v1::Policy* policy) {
    if (!node.IsMap()) {
      Error(node,
            "'applies_to' must be a mapping (platforms, ownership, "
            "groups)");
      return;
    }
    Keys(node, {"platforms", "ownership", "groups"});
    v1::AppliesTo* applies = policy->mutable_applies_to();
    if (node["platforms"]) {
      for (v1::Platform p :
           Words(node["platforms"], "platforms", Platforms())) {
        applies->add_platforms(p);
      }
    }
    if (node["ownership"]) {
      static const std::map<std::string, v1::Ownership> kOwnership = {
          {"corporate", v1::OWNERSHIP_CORPORATE},
          {"personal", v1::OWNERSHIP_PERSONAL}};
      for (v1::Ownership o :
           Words(node["ownership"], "ownership", kOwnership)) {
        applies->add_ownership(o);
      }
    }
    if (node["groups"]) {
      const YAML::Node groups = node["groups"];
      if (!groups.IsSequence()) {
        Error(groups, "'groups' must be a list");
      } else {
        for (const YAML::Node& g : groups) {
          if (!g.IsScalar() || g.Scalar().empty() || g.Scalar().size() > 64) {
            Error(g, "each group must be a name of 1 to 64 characters");
          } else {
            applies->add_groups(g.Scalar());
          }
        }
      }
    }
  }

  v1::Enforcement ReadEnforcement(const YAML::Node& node,
                                  const YAML::Node& parent) {
    static const std::map<std::string, v1::Enforcement> kLevels = {
        {"report", v1::ENFORCEMENT_REPORT},
        {"warn", v1::ENFORCEMENT_WARN},
        {"restrict", v1::ENFORCEMENT_RESTRICT},
        {"quarantine", v1::ENFORCEMENT_QUARANTINE}};
    if (!node) {
      Error(parent,
            "missing key 'enforcement' (report, warn, restrict or "
            "quarantine)");
      return v1::ENFORCEMENT_UNSPECIFIED;
    }
    auto it = node.IsScalar() ? kLevels.find(node.Scalar()) : kLevels.end();
    if (it == kLevels.end()) {
      Error(node,
            "'enforcement' must be report, warn, restrict or "
            "quarantine");
      return v1::ENFORCEMENT_UNSPECIFIED;
    }
    return it->second;
  }

  void ReadCheck(const YAML::Node& node, v1::Check* check) {
    if (!node.IsMap()) {
      Error(node, "each check must be a mapping (id, title, query, ...)");
      return;
    }
    Keys(node, {"id", "title", "severity", "query", "detail_query",
                "remediation", "grace_period", "platforms"});
    check->set_id(RequiredId(node, "id", "check id"));
    check->set_title(Text(node, "title", true));
    static const std::map<std::string, v1::Severity> kSeverity = {
        {"low", v1::SEVERITY_LOW},
        {"medium", v1::SEVERITY_MEDIUM},
        {"high", v1::SEVERITY_HIGH},
        {"critical", v1::SEVERITY_CRITICAL}};
    const YAML::Node severity = node["severity"];
    if (!severity) {
      check->set_severity(v1::SEVERITY_MEDIUM);
    } else if (!severity.IsScalar() || !kSeverity.count(severity.Scalar())) {
      Error(severity, "'severity' must be low, medium, high or critical");
    } else {
      check->set_severity(kSeverity.at(severity.Scalar()));
    }
    check->set_query(Text(node, "query", true, kMaxQuery));
    CheckSql(node["query"], check->query());
    check->set_detail_query(Text(node, "detail_query", false, kMaxQuery));
    if (!check->detail_query().empty()) {
      CheckSql(node["detail_query"], check->detail_query());
    }
    if (node["grace_period"]) {
      const YAML::Node grace = node["grace_period"];
      auto d = grace.IsScalar() ? ParseHumanDuration(grace.Scalar())
                                : absl::StatusOr<absl::Duration>(
                                      absl::InvalidArgumentError("not text"));
      if (!d.ok() || *d > absl::Hours(24 * 365)) {
        Error(grace,
              "'grace_period' must be a duration like 90s, 30m, 12h "
              "or 14d (at most 365d)");
      } else {
        check->set_grace_period_seconds(absl::ToInt64Seconds(*d));
      }
    }
    if (node["platforms"]) {
      for (v1::Platform p :
           Words(node["platforms"], "platforms", Platforms())) {
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
      Error(node,
            "'remediation' must be text or a mapping of text by "
            "platform");
      return;
    }
    Keys(node, {"text", "linux", "macos", "windows", "android", "ios"});
    for (const auto& kv : node) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (!kv.second.IsScalar()) {
        Error(kv.second, absl::StrCat("remediation '", key, "' must be text"));
        continue;
      }
      if (key == "text") {
        r->set_text(kv.second.Scalar());
      } else if (Platforms().count(key)) {
        (*r->mutable_by_platform())[key] = kv.second.Scalar();
      }
    }
  }

  // Prepares the SQL against the fact schema; errors point at the query.
  void CheckSql(const YAML::Node& node, const std::string& sql) {
    if (sql_ == nullptr || sql.empty()) return;
    auto prepared = sql_->Prepare(sql);
    if (!prepared.ok()) {
      Error(node, absl::StrCat("query does not prepare against the fact "
                               "schema: ",
                               prepared.status().message()));
    }
  }

  std::string file_;
  FactDatabase* sql_;
  std::vector<std::string> errors_;
};

absl::Status Errors(const std::vector<std::string>& errors) {
  return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
}

}  // namespace

const char* PlatformName(v1::Platform platform) {
  switch (platform) {
    case v1::PLATFORM_LINUX:
      return "linux";
    case v1::PLATFORM_MACOS:
      return "macos";
    case v1::PLATFORM_WINDOWS:
      return "windows";
    case v1::PLATFORM_ANDROID:
      return "android";
    case v1::PLATFORM_IOS:
      return "ios";
    default:
      return "unknown";
  }
}

absl::StatusOr<v1::Policy> ParsePolicyYaml(absl::string_view yaml,
                                           absl::string_view file_name) {
  auto sql = FactDatabase::Create();
  if (!sql.ok()) return sql.status();
  PolicyReader reader(file_name, sql->get());
  // yaml-cpp reports syntax errors by exception; they stop here.
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    v1::Policy policy = reader.Read(root);
    if (!reader.errors().empty()) return Errors(reader.errors());
    return policy;
  } catch (const YAML::Exception& e) {
    reader.ErrorAt(e.mark, absl::StrCat("YAML syntax: ", e.msg));
    return Errors(reader.errors());
  }
}

absl::StatusOr<std::vector<v1::Policy>> LoadPolicies(const std::string& path) {
  std::vector<std::string> files;
  DIR* dir = ::opendir(path.c_str());
  if (dir != nullptr) {
    while (struct dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (absl::EndsWith(name, ".yaml") || absl::EndsWith(name, ".yml")) {
        files.push_back(absl::StrCat(path, "/", name));
      }
    }
    ::closedir(dir);
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no .yaml policy files in this directory"));
    }
  } else {
    files.push_back(path);
  }
  std::vector<v1::Policy> policies;
  std::vector<std::string> errors;
  std::map<std::string, std::string> id_to_file;
  for (const std::string& file : files) {
    auto text = ReadFile(file);
    if (!text.ok()) {
      errors.push_back(std::string(text.status().message()));
      continue;
    }
    auto policy = ParsePolicyYaml(*text, file);
    if (!policy.ok()) {
      errors.push_back(std::string(policy.status().message()));
      continue;
    }
    auto [it, inserted] = id_to_file.emplace(policy->id(), file);
    if (!inserted) {
      errors.push_back(absl::StrCat(file, ": policy id '", policy->id(),
                                    "' is already used by ", it->second));
      continue;
    }
    policies.push_back(*std::move(policy));
  }
  if (!errors.empty()) return Errors(errors);
  return policies;
}

}  // namespace trellis::policy
