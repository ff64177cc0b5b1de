#include "agent/facts/os_release.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace trellis::agent {
namespace {

bool IsKey(absl::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!(absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_')) {
      return false;
    }
  }
  return true;
}

// Unquotes a shell-style value. False on bad quoting, including a closing
// quote that is escaped (the value never ends).
bool Unquote(absl::string_view value, std::string* out) {
  out->clear();
  if (value.empty()) return true;
  char quote = value[0];
  if (quote != '"' && quote != '\'') {
    out->assign(value.data(), value.size());
    return true;
  }
  for (size_t i = 1; i < value.size(); ++i) {
    char c = value[i];
    if (quote == '"' && c == '\\' && i + 1 < value.size()) {
      out->push_back(value[++i]);
    } else if (c == quote) {
      return i + 1 == value.size();  // nothing may follow the closing quote
    } else {
      out->push_back(c);
    }
  }
  return false;
}

}  // namespace

std::map<std::string, std::string> ParseOsRelease(absl::string_view text) {
  std::map<std::string, std::string> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == absl::string_view::npos) continue;
    absl::string_view key = line.substr(0, eq);
    if (!IsKey(key)) continue;
    std::string value;
    if (!Unquote(line.substr(eq + 1), &value)) continue;
    out[std::string(key)] = std::move(value);
  }
  return out;
}

}  // namespace trellis::agent
