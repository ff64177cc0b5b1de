#include "agent/facts/windows/firewall_parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "agent/facts/windows/powershell.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {

absl::StatusOr<std::vector<FirewallProfile>> ParseNetFirewallProfiles(
    absl::string_view json) {
  absl::StatusOr<std::vector<google::protobuf::Struct>> objects =
      ParsePowerShellObjects(json);
  if (!objects.ok()) return objects.status();
  if (objects->empty()) {
    return absl::InvalidArgumentError("no firewall profiles listed");
  }
  std::vector<FirewallProfile> profiles;
  for (const google::protobuf::Struct& o : *objects) {
    std::optional<std::string> name = GetString(o, "Name");
    if (!name || name->empty()) {
      return absl::InvalidArgumentError("a profile has no Name");
    }
    FirewallProfile p;
    p.profile = absl::AsciiStrToLower(*name);
    // GpoBoolean; a JSON boolean is accepted too.
    std::optional<int64_t> enabled = GetEnum(
        o, "Enabled", {{"False", 0}, {"True", 1}, {"NotConfigured", 2}});
    if (!enabled) {
      if (std::optional<bool> b = GetBool(o, "Enabled")) enabled = *b ? 1 : 0;
    }
    if (enabled == 0) p.enabled = false;
    if (enabled == 1 || enabled == 2) p.enabled = true;
    std::optional<int64_t> action =
        GetEnum(o, "DefaultInboundAction",
                {{"NotConfigured", 0}, {"Allow", 2}, {"Block", 4}});
    if (action == 0 || action == 4) {
      p.default_inbound_policy = "drop";
    } else if (action == 2) {
      p.default_inbound_policy = "accept";
    } else {
      p.default_inbound_policy = "unknown";
    }
    profiles.push_back(std::move(p));
  }
  return profiles;
}

v1::FactTable BuildFirewallTable(const std::vector<FirewallProfile>& profiles) {
  facts::TableBuilder table("firewall");
  for (const FirewallProfile& p : profiles) {
    table.Row()
        .Text("backend", "windows")
        .Text("profile", p.profile)
        .Bool("enabled", p.enabled)
        .Text("default_inbound_policy", p.default_inbound_policy);
  }
  return table.Build();
}

}  // namespace trellis::agent::windows_facts
