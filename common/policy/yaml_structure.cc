#include "common/policy/yaml_structure.h"

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/util/utf8.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/mark.h"

namespace trellis::policy {
namespace {

// Records the first byte that does not start a well-formed UTF-8 sequence,
// at its line and (byte) column, as yaml-cpp counts them. One error is
// enough: the rest of the file is not read.
bool CheckUtf8(absl::string_view yaml, YamlReader& reader) {
  YAML::Mark mark;
  mark.pos = mark.line = mark.column = 0;
  for (size_t i = 0; i < yaml.size();) {
    size_t n = Utf8SequenceLength(yaml, i);
    if (n == 0) {
      reader.ErrorAt(mark,
                     absl::StrCat("not valid UTF-8 (byte 0x",
                                  absl::Hex(static_cast<unsigned char>(yaml[i]),
                                            absl::kZeroPad2),
                                  "); policy files must be UTF-8 text"));
      return false;
    }
    if (yaml[i] == '\n') {
      ++mark.line;
      mark.column = 0;
    } else {
      mark.column += static_cast<int>(n);
    }
    i += n;
  }
  return true;
}

// Follows the parser's events, keeping for each open mapping the keys seen
// so far (by their text) and whether the next node is a key or a value.
class StructureChecker : public YAML::EventHandler {
 public:
  explicit StructureChecker(YamlReader& reader) : reader_(reader) {}

  bool ok() const { return ok_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2) {
      Fail(mark,
           "a second YAML document (after '---'); a policy file holds one "
           "document, and everything after the first would be ignored");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    Node(mark, std::string("~"));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchored_scalars_.find(anchor);
    Node(mark, it == anchored_scalars_.end()
                   ? std::nullopt
                   : std::optional<std::string>(it->second));
  }
  void OnScalar(const YAML::Mark& mark, const std::string&,
                YAML::anchor_t anchor, const std::string& value) override {
    // Escapes ("\x..", "\u....") are decoded by the parser, after the
    // byte check; the decoded text must be UTF-8 too.
    if (!IsValidUtf8(value)) Fail(mark, "text that is not valid UTF-8");
    if (anchor != YAML::NullAnchor) anchored_scalars_[anchor] = value;
    Node(mark, value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&,
                       YAML::anchor_t, YAML::EmitterStyle::value) override {
    Node(mark, std::nullopt);
    frames_.push_back(Frame{/*is_map=*/false});
  }
  void OnSequenceEnd() override { frames_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(mark, std::nullopt);
    frames_.push_back(Frame{/*is_map=*/true});
  }
  void OnMapEnd() override { frames_.pop_back(); }

 private:
  struct Frame {
    bool is_map = false;
    bool next_is_key = true;
    std::map<std::string, YAML::Mark> keys;
  };

  void Fail(const YAML::Mark& mark, absl::string_view why) {
    reader_.ErrorAt(mark, why);
    ok_ = false;
  }

  // A node starts at `mark`; `text` is its key text when it is a scalar
  // (or an alias of one), for comparing keys.
  void Node(const YAML::Mark& mark, const std::optional<std::string>& text) {
    if (frames_.empty() || !frames_.back().is_map) return;
    Frame& map = frames_.back();
    bool is_key = map.next_is_key;
    map.next_is_key = !map.next_is_key;
    if (!is_key || !text.has_value()) return;
    auto [it, inserted] = map.keys.emplace(*text, mark);
    if (!inserted) {
      Fail(mark, absl::StrCat("key '", text->substr(0, 64),
                              "' is repeated in this mapping (first at line ",
                              it->second.line + 1,
                              "); YAML would keep only one of them"));
    }
  }

  YamlReader& reader_;
  bool ok_ = true;
  int documents_ = 0;
  std::vector<Frame> frames_;
  std::map<YAML::anchor_t, std::string> anchored_scalars_;
};

}  // namespace

bool CheckYamlStructure(absl::string_view yaml, YamlReader& reader) {
  if (!CheckUtf8(yaml, reader)) return false;
  std::istringstream in{std::string(yaml)};
  StructureChecker checker(reader);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(checker)) {
    }
  } catch (const YAML::Exception& e) {
    reader.ErrorAt(e.mark, absl::StrCat("YAML syntax: ", e.msg));
    return false;
  }
  return checker.ok();
}

}  // namespace trellis::policy
