#include "common/policy/yaml_reader.h"

#include "common/policy/policy_validation.h"
#include "common/policy/yaml_structure.h"
#include "common/util/args.h"

namespace trellis::policy {

void YamlReader::Error(const YAML::Node& node, absl::string_view why) {
  YAML::Mark m = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  ErrorAt(m, why);
}

void YamlReader::ErrorAt(const YAML::Mark& m, absl::string_view why) {
  if (m.is_null()) {
    errors_.push_back(absl::StrCat(file_, ": ", why));
  } else {
    errors_.push_back(
        absl::StrCat(file_, ":", m.line + 1, ":", m.column + 1, ": ", why));
  }
}

void YamlReader::Keys(const YAML::Node& map,
                      const std::set<std::string>& allowed) {
  for (const auto& kv : map) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    if (!allowed.count(key)) {
      Error(kv.first, absl::StrCat("unknown key '", key, "'; expected one of: ",
                                   absl::StrJoin(allowed, ", ")));
    }
  }
}

std::string YamlReader::Text(const YAML::Node& map, const char* key,
                             bool required, size_t max) {
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

std::string YamlReader::CheckedText(const YAML::Node& map, const char* key,
                                    bool required, size_t max,
                                    ValueCheck check) {
  std::string value = Text(map, key, required, max);
  if (value.empty()) return value;
  absl::Status valid = check(value);
  if (!valid.ok()) {
    Error(map[key], absl::StrCat("'", key, "': ", valid.message()));
    return "";
  }
  return value;
}

std::string YamlReader::RequiredId(const YAML::Node& map, const char* key,
                                   const char* what) {
  std::string id = Text(map, key, true, 64);
  if (!id.empty() && !IsPolicyId(id)) {
    Error(map[key], absl::StrCat(what, " '", id,
                                 "' must be lower-case letters, digits, "
                                 "'-' and '_'"));
  }
  return id;
}

std::vector<std::string> YamlReader::TextList(const YAML::Node& node,
                                              const char* key,
                                              size_t max_entries,
                                              size_t max_size,
                                              ValueCheck check) {
  std::vector<std::string> out;
  if (!node.IsSequence()) {
    Error(node, absl::StrCat("'", key, "' must be a list"));
    return out;
  }
  if (node.size() > max_entries) {
    Error(node, absl::StrCat("'", key, "' has ", node.size(),
                             " entries; at most ", max_entries));
    return out;
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar() || item.Scalar().empty() ||
        item.Scalar().size() > max_size) {
      Error(item, absl::StrCat("'", key, "' entries must be text of 1 to ",
                               max_size, " bytes"));
      continue;
    }
    if (check != nullptr) {
      absl::Status valid = check(item.Scalar());
      if (!valid.ok()) {
        Error(item, absl::StrCat("'", key, "': ", valid.message()));
        continue;
      }
    }
    out.push_back(item.Scalar());
  }
  return out;
}

bool YamlReader::Duration(const YAML::Node& node, const char* key,
                          absl::Duration max, absl::string_view hint,
                          int64_t* seconds) {
  auto d = node.IsScalar() ? ParseHumanDuration(node.Scalar())
                           : absl::StatusOr<absl::Duration>(
                                 absl::InvalidArgumentError("not text"));
  if (!d.ok() || *d > max) {
    Error(node, absl::StrCat("'", key, "' must be a duration like ", hint));
    return false;
  }
  *seconds = absl::ToInt64Seconds(*d);
  return true;
}

const std::map<std::string, v1::Platform>& YamlReader::Platforms() {
  static const auto* m =
      new std::map<std::string, v1::Platform>{{"linux", v1::PLATFORM_LINUX},
                                              {"macos", v1::PLATFORM_MACOS},
                                              {"windows", v1::PLATFORM_WINDOWS},
                                              {"android", v1::PLATFORM_ANDROID},
                                              {"ios", v1::PLATFORM_IOS}};
  return *m;
}

void YamlReader::AppliesTo(const YAML::Node& node, v1::AppliesTo* applies) {
  if (!node.IsMap()) {
    Error(node,
          "'applies_to' must be a mapping (platforms, ownership, groups)");
    return;
  }
  Keys(node, {"platforms", "ownership", "groups"});
  if (node["platforms"]) {
    for (v1::Platform p : Words(node["platforms"], "platforms", Platforms())) {
      applies->add_platforms(p);
    }
  }
  if (node["ownership"]) {
    static const auto* kOwnership = new std::map<std::string, v1::Ownership>{
        {"corporate", v1::OWNERSHIP_CORPORATE},
        {"personal", v1::OWNERSHIP_PERSONAL}};
    for (v1::Ownership o : Words(node["ownership"], "ownership", *kOwnership)) {
      applies->add_ownership(o);
    }
  }
  if (node["groups"]) {
    const YAML::Node groups = node["groups"];
    if (!groups.IsSequence()) {
      Error(groups, "'groups' must be a list");
      return;
    }
    for (const YAML::Node& g : groups) {
      if (!g.IsScalar() || g.Scalar().empty() || g.Scalar().size() > 64) {
        Error(g, "each group must be a name of 1 to 64 characters");
      } else {
        applies->add_groups(g.Scalar());
      }
    }
  }
}

void ReadYamlDocument(absl::string_view yaml, YamlReader& reader,
                      const std::function<void(const YAML::Node&)>& read) {
  if (!CheckYamlStructure(yaml, reader)) return;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    read(root);
  } catch (const YAML::Exception& e) {
    reader.ErrorAt(e.mark, absl::StrCat("YAML syntax: ", e.msg));
  }
}

absl::Status YamlReader::Status() const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
}

}  // namespace trellis::policy
