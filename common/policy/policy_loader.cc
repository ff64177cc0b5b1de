#include "common/policy/policy_loader.h"

#include <dirent.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/policy/fact_database.h"
#include "common/policy/policy_reader.h"
#include "common/policy/vpn_profile_reader.h"
#include "common/policy/vpn_profile_validation.h"
#include "common/policy/yaml_reader.h"
#include "common/util/files.h"
#include "yaml-cpp/yaml.h"

namespace trellis::policy {
namespace {

// One file's content, and where its id is written so that a clash with
// another file points at it.
struct Document {
  std::optional<v1::Policy> policy;
  std::optional<v1::VpnProfile> profile;
  YAML::Mark id_mark = YAML::Mark::null_mark();
};

YAML::Mark MarkOf(const YAML::Node& map, const char* key) {
  if (!map.IsMap() || !map[key]) return YAML::Mark::null_mark();
  return map[key].Mark();
}

// Tells the two kinds of file apart by the `vpn_profile` key, so a typo in
// a profile is reported as a profile's error rather than as a policy with
// every key missing.
Document ReadDocument(absl::string_view yaml, YamlReader& reader,
                      FactDatabase* sql) {
  Document doc;
  ReadYamlDocument(yaml, reader, [&](const YAML::Node& root) {
    if (IsVpnProfileDocument(root)) {
      doc.profile = ReadVpnProfile(root, reader);
      doc.id_mark = MarkOf(root[kVpnProfileKey], "id");
    } else {
      doc.policy = ReadPolicy(root, reader, sql);
      doc.id_mark = MarkOf(root, "id");
    }
  });
  return doc;
}

absl::StatusOr<std::unique_ptr<FactDatabase>> SchemaDatabase() {
  return FactDatabase::Create();
}

// The .yaml/.yml files of a directory sorted by name, or `path` itself.
absl::StatusOr<std::vector<std::string>> YamlFiles(const std::string& path) {
  std::vector<std::string> files;
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return std::vector<std::string>{path};
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
  return files;
}

// The text of each file, within the limits, before any is parsed. A file
// that cannot be read is recorded in `errors`; a directory over its total
// is refused outright.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ReadPolicyFiles(const std::string& path, const std::vector<std::string>& files,
                std::vector<std::string>& errors) {
  std::vector<std::pair<std::string, std::string>> texts;
  size_t total_bytes = 0;
  for (const std::string& file : files) {
    auto text = ReadFile(file, kMaxPolicyFileBytes);
    if (!text.ok()) {
      errors.push_back(std::string(text.status().message()));
      continue;
    }
    total_bytes += text->size();
    if (total_bytes > kMaxPolicyDirectoryBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": the policy files add up to more than ",
          kMaxPolicyDirectoryBytes, " bytes, the limit for a directory"));
    }
    texts.emplace_back(file, *std::move(text));
  }
  return texts;
}

// Remembers which file first used an id; records a clash at `mark`.
bool ClaimId(std::map<std::string, std::string>& owners, const std::string& id,
             const std::string& file, const YAML::Mark& mark, const char* what,
             YamlReader& reader) {
  auto [it, inserted] = owners.emplace(id, file);
  if (!inserted) {
    reader.ErrorAt(mark, absl::StrCat(what, " id '", id,
                                      "' is already used by ", it->second));
  }
  return inserted;
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
  auto sql = SchemaDatabase();
  if (!sql.ok()) return sql.status();
  YamlReader reader(file_name);
  Document doc = ReadDocument(yaml, reader, sql->get());
  if (doc.profile.has_value()) {
    reader.ErrorAt(YAML::Mark::null_mark(),
                   "this is a VPN profile (vpn_profile:), not a policy");
  }
  if (!reader.errors().empty()) return reader.Status();
  return *std::move(doc.policy);
}

absl::StatusOr<v1::VpnProfile> ParseVpnProfileYaml(
    absl::string_view yaml, absl::string_view file_name) {
  YamlReader reader(file_name);
  Document doc = ReadDocument(yaml, reader, /*sql=*/nullptr);
  if (doc.policy.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": not a VPN profile: the file needs the ",
                     "top-level key 'vpn_profile'"));
  }
  if (!reader.errors().empty()) return reader.Status();
  return *std::move(doc.profile);
}

absl::StatusOr<PolicySet> LoadPolicySet(const std::string& path) {
  auto files = YamlFiles(path);
  if (!files.ok()) return files.status();
  auto sql = SchemaDatabase();
  if (!sql.ok()) return sql.status();
  PolicySet set;
  std::vector<std::string> errors;
  std::map<std::string, std::string> policy_files;
  std::map<std::string, std::string> profile_files;
  auto texts = ReadPolicyFiles(path, *files, errors);
  if (!texts.ok()) return texts.status();
  for (const auto& [file, text] : *texts) {
    YamlReader reader(file);
    Document doc = ReadDocument(text, reader, sql->get());
    if (reader.errors().empty()) {
      if (doc.policy.has_value() &&
          ClaimId(policy_files, doc.policy->id(), file, doc.id_mark, "policy",
                  reader)) {
        set.policies.push_back(*std::move(doc.policy));
      }
      if (doc.profile.has_value() &&
          ClaimId(profile_files, doc.profile->id(), file, doc.id_mark,
                  "vpn profile", reader)) {
        set.vpn_profiles.push_back(*std::move(doc.profile));
      }
    }
    errors.insert(errors.end(), reader.errors().begin(), reader.errors().end());
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  // The reader checks each value where it is written; this is the check the
  // server makes, so what loads here is what the server accepts.
  absl::Status profiles = ValidateVpnProfiles(set.vpn_profiles);
  if (!profiles.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", profiles.message()));
  }
  return set;
}

absl::StatusOr<std::vector<v1::Policy>> LoadPolicies(const std::string& path) {
  auto set = LoadPolicySet(path);
  if (!set.ok()) return set.status();
  return std::move(set->policies);
}

}  // namespace trellis::policy
