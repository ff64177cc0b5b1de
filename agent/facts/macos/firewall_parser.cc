#include "agent/facts/macos/firewall_parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/facts/command_text.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

// The N in "(State = N)", if the line has one.
std::optional<int> StateNumber(absl::string_view line) {
  size_t at = line.find("State =");
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = line.substr(at + 7);
  rest = absl::StripLeadingAsciiWhitespace(rest);
  size_t end = 0;
  while (end < rest.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(rest[end]))) {
    ++end;
  }
  int n = 0;
  if (end == 0 || !absl::SimpleAtoi(rest.substr(0, end), &n)) {
    return std::nullopt;
  }
  return n;
}

}  // namespace

absl::StatusOr<AppFirewallState> ParseSocketFilterFwGlobalState(
    absl::string_view text) {
  std::optional<int> from_sentence;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!absl::StartsWith(line, "Firewall is ")) continue;
    if (std::optional<int> n = StateNumber(line)) {
      if (*n < 0 || *n > 2) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown firewall state ", *n));
      }
      return AppFirewallState{*n};
    }
    if (absl::StartsWith(line, "Firewall is disabled")) {
      from_sentence = 0;
    } else if (absl::StartsWith(line, "Firewall is blocking all")) {
      from_sentence = 2;
    } else if (absl::StartsWith(line, "Firewall is enabled")) {
      from_sentence = 1;
    }
  }
  if (from_sentence) return AppFirewallState{*from_sentence};
  std::string first = FirstLine(text);
  if (first.empty()) return absl::InvalidArgumentError("empty output");
  return absl::InvalidArgumentError(
      absl::StrCat("no firewall state in output: '", first, "'"));
}

std::string DefaultInboundPolicy(const AppFirewallState& state) {
  switch (state.state) {
    case 0:
      // Nothing filters: whatever listens is reachable.
      return "accept";
    case 2:
      // Block-all turns away every incoming connection except the essential
      // services (DHCP, Bonjour, IPsec).
      return "drop";
    default:
      // Per-application filtering has no single default: signed software
      // is let in automatically, other apps are blocked until allowed.
      // Calling that 'reject' or 'accept' would claim more than the state
      // says; policies can test `enabled` instead.
      return "unknown";
  }
}

v1::FactTable BuildFirewallTable(const AppFirewallState& state) {
  facts::TableBuilder table("firewall");
  table.Row()
      .Text("backend", "socketfilterfw")
      .Text("profile", "default")
      .Bool("enabled", state.state != 0)
      .Text("default_inbound_policy", DefaultInboundPolicy(state));
  return table.Build();
}

}  // namespace trellis::agent::macos_facts
