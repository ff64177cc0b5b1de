#include "agent/vpn/resolv_conf.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace trellis::agent {

std::vector<std::string> ParseResolvConfSearchDomains(absl::string_view text) {
  std::vector<std::string> domains;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    size_t comment = line.find_first_of("#;");
    if (comment != absl::string_view::npos) line = line.substr(0, comment);
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.size() < 2 || (words[0] != "search" && words[0] != "domain")) {
      continue;
    }
    for (size_t i = 1; i < words.size(); ++i) {
      absl::string_view word = words[i];
      absl::ConsumeSuffix(&word, ".");
      if (word.empty()) continue;
      std::string domain = absl::AsciiStrToLower(word);
      if (std::find(domains.begin(), domains.end(), domain) == domains.end()) {
        domains.push_back(std::move(domain));
      }
    }
  }
  return domains;
}

}  // namespace trellis::agent
