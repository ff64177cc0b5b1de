#include "agent/vpn/vpn_status_file.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/util/files.h"
#include "common/util/time_format.h"

namespace trellis::agent {
namespace {

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

std::string FormatVpnStatus(const VpnStatusRecord& r) {
  std::string out = absl::StrCat(
      "# trellis-agent VPN status; written by the agent\n",
      "tunnel: ", OneLine(r.tunnel), "\n", "reason: ", OneLine(r.reason), "\n",
      "trusted_network: ", OneLine(r.trusted_network), "\n",
      "trusted_detail: ", OneLine(r.trusted_detail), "\n",
      "controller: ", OneLine(r.controller), "\n", "error: ", OneLine(r.error),
      "\n", "notes: ", OneLine(r.notes), "\n");
  if (r.updated_at) {
    absl::StrAppend(&out, "updated_at: ", Rfc3339(*r.updated_at), "\n");
  }
  return out;
}

VpnStatusRecord ParseVpnStatus(const std::string& text) {
  VpnStatusRecord r;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    absl::string_view key = line.substr(0, colon);
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    if (key == "tunnel") {
      r.tunnel = value;
    } else if (key == "reason") {
      r.reason = value;
    } else if (key == "trusted_network") {
      r.trusted_network = value;
    } else if (key == "trusted_detail") {
      r.trusted_detail = value;
    } else if (key == "controller") {
      r.controller = value;
    } else if (key == "error") {
      r.error = value;
    } else if (key == "notes") {
      r.notes = value;
    } else if (key == "updated_at") {
      absl::Time t;
      std::string err;
      if (absl::ParseTime(absl::RFC3339_full, value, &t, &err)) {
        r.updated_at = t;
      }
    }
  }
  return r;
}

std::string VpnStatusPath(const AgentState& state) {
  return state.VpnDir() + "/status";
}

absl::Status SaveVpnStatus(const AgentState& state,
                           const VpnStatusRecord& record) {
  absl::Status s = MakeDirs(state.VpnDir(), 0700);
  if (!s.ok()) return s;
  return WriteFileAtomic(VpnStatusPath(state), FormatVpnStatus(record), 0600);
}

absl::StatusOr<VpnStatusRecord> LoadVpnStatus(const AgentState& state) {
  const std::string path = VpnStatusPath(state);
  if (!FileExists(path)) {
    return absl::NotFoundError("the agent has not applied a tunnel yet");
  }
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseVpnStatus(*text);
}

}  // namespace trellis::agent
