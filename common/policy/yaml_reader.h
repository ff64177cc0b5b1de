// The YAML walking shared by the readers of files in the policies
// directory (policies and VPN profiles): typed access to keys that records
// every problem with its position instead of stopping at the first, so an
// admin fixes a file in one round. Errors read "file:line:col: reason"
// (1-based), or "file: reason" when yaml-cpp has no position.
#ifndef TRELLIS_COMMON_POLICY_YAML_READER_H_
#define TRELLIS_COMMON_POLICY_YAML_READER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "trellis/v1/policy.pb.h"
#include "yaml-cpp/yaml.h"

namespace trellis::policy {

class YamlReader {
 public:
  // Says what is wrong with one value (its message goes into the error).
  using ValueCheck = absl::Status (*)(absl::string_view);

  explicit YamlReader(absl::string_view file) : file_(file) {}

  void Error(const YAML::Node& node, absl::string_view why);
  void ErrorAt(const YAML::Mark& mark, absl::string_view why);

  // Flags every key of `map` that is not in `allowed`.
  void Keys(const YAML::Node& map, const std::set<std::string>& allowed);

  // The text under `key` ("" when absent or wrong; the error is recorded).
  std::string Text(const YAML::Node& map, const char* key, bool required,
                   size_t max);

  // Text() that must also pass `check`, whose message is reported at the
  // value; "" when it does not.
  std::string CheckedText(const YAML::Node& map, const char* key, bool required,
                          size_t max, ValueCheck check);

  // A required id (IsPolicyId); `what` names it in errors ("policy id").
  std::string RequiredId(const YAML::Node& map, const char* key,
                         const char* what);

  // A list of scalars of at most `max_entries` entries, each 1..`max_size`
  // bytes. `check` (may be null) says what is wrong with one entry; its
  // message is reported at that entry.
  std::vector<std::string> TextList(const YAML::Node& node, const char* key,
                                    size_t max_entries, size_t max_size,
                                    ValueCheck check);

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

  // One word from `allowed`; `fallback` when the word is wrong (the error is
  // recorded). The caller decides what absence means.
  template <typename E>
  E Word(const YAML::Node& node, const char* key,
         const std::map<std::string, E>& allowed, E fallback) {
    auto it = node.IsScalar() ? allowed.find(node.Scalar()) : allowed.end();
    if (it != allowed.end()) return it->second;
    std::vector<std::string> names;
    for (const auto& [name, value] : allowed) names.push_back(name);
    Error(node, absl::StrCat("'", key,
                             "' must be one of: ", absl::StrJoin(names, ", ")));
    return fallback;
  }

  // A duration like 90s, 30m, 12h, 14d or plain seconds, at most `max`;
  // false (error recorded) otherwise. The error reads "'key' must be a
  // duration like <hint>", so each key suggests values that suit it.
  bool Duration(const YAML::Node& node, const char* key, absl::Duration max,
                absl::string_view hint, int64_t* seconds);

  // applies_to: {platforms, ownership, groups}, every part optional.
  void AppliesTo(const YAML::Node& node, v1::AppliesTo* applies);

  // Platform names as written in YAML.
  static const std::map<std::string, v1::Platform>& Platforms();

  const std::vector<std::string>& errors() const { return errors_; }
  // InvalidArgument listing every error, one a line.
  absl::Status Status() const;

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

// Parses `yaml` and hands the root to `read`, unless the text is not UTF-8,
// repeats a key in a mapping, holds more than one document
// (CheckYamlStructure) or has a syntax error (which yaml-cpp reports by
// exception, so it is the only error); those are recorded with their
// position and `read` is not called.
void ReadYamlDocument(absl::string_view yaml, YamlReader& reader,
                      const std::function<void(const YAML::Node&)>& read);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_YAML_READER_H_
