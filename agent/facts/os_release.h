// Pure parser for os-release(5): KEY=value lines, values optionally in
// single or double quotes with backslash escapes.
#ifndef TRELLIS_AGENT_FACTS_OS_RELEASE_H_
#define TRELLIS_AGENT_FACTS_OS_RELEASE_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace trellis::agent {

// Malformed lines are skipped (the file is best effort by specification).
std::map<std::string, std::string> ParseOsRelease(absl::string_view text);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_OS_RELEASE_H_
