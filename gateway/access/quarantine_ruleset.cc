#include "gateway/access/quarantine_ruleset.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"

namespace trellis::gateway {
namespace {

struct FamilyElements {
  std::vector<std::string> sources;
  // Source prefix -> the destinations it may reach.
  std::map<std::string, std::vector<net::Cidr>> permitted;
  std::vector<std::string> pairs;  // "SRC . DST"
};

// nft refuses overlapping intervals in a concatenated set. Pairs with the
// same source overlap only when one destination contains the other, and then
// the wider one already says everything, so the narrower pair is dropped.
// Identical pairs (two peers claiming one address) collapse to one.
std::vector<std::string> DisjointPairs(
    const std::map<std::string, std::vector<net::Cidr>>& permitted) {
  std::vector<std::string> out;
  for (const auto& [source, destinations] : permitted) {
    for (size_t i = 0; i < destinations.size(); ++i) {
      bool covered = false;
      for (size_t j = 0; j < destinations.size() && !covered; ++j) {
        if (i == j) continue;
        bool contains = destinations[j].Contains(destinations[i]);
        bool equal = contains && destinations[i].Contains(destinations[j]);
        // Of two equal destinations the first one stays.
        covered = contains && (!equal || j < i);
      }
      if (!covered) {
        out.push_back(absl::StrCat(source, " . ", destinations[i].ToString()));
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Collect(const QuarantineSet& peers, FamilyElements* v4,
             FamilyElements* v6) {
  for (const QuarantinedPeer& peer : peers) {
    for (const std::string& source_text : peer.sources) {
      absl::StatusOr<net::Cidr> source = net::ParseHostOrNetwork(source_text);
      if (!source.ok()) continue;  // DesiredPeer already checked these
      FamilyElements* family = source->is_ipv4() ? v4 : v6;
      std::string source_key = source->ToString();
      family->sources.push_back(source_key);
      std::vector<net::Cidr>& permitted = family->permitted[source_key];
      for (const std::string& destination_text : peer.destinations) {
        absl::StatusOr<net::Cidr> destination =
            net::ParseHostOrNetwork(destination_text);
        // A packet's source and destination are of one family, so an IPv6
        // destination means nothing for an IPv4 tunnel address.
        if (!destination.ok() || destination->family != source->family) {
          continue;
        }
        permitted.push_back(*destination);
      }
    }
  }
  for (FamilyElements* family : {v4, v6}) {
    std::sort(family->sources.begin(), family->sources.end());
    family->sources.erase(
        std::unique(family->sources.begin(), family->sources.end()),
        family->sources.end());
    family->pairs = DisjointPairs(family->permitted);
  }
}

std::string RenderElements(const std::vector<std::string>& elements) {
  if (elements.empty()) return "";
  std::string out = "\t\telements = {\n";
  for (const std::string& element : elements) {
    absl::StrAppend(&out, "\t\t\t", element, ",\n");
  }
  absl::StrAppend(&out, "\t\t}\n");
  return out;
}

std::string RenderSet(absl::string_view name, absl::string_view type,
                      bool auto_merge,
                      const std::vector<std::string>& elements) {
  // auto-merge lets overlapping source prefixes coexist; nft does not
  // support it for concatenations, hence DisjointPairs.
  return absl::StrCat(
      "\tset ", name, " {\n", "\t\ttype ", type, "\n", "\t\tflags interval\n",
      auto_merge ? "\t\tauto-merge\n" : "", RenderElements(elements), "\t}\n");
}

std::string RenderHookChain(absl::string_view hook,
                            absl::string_view interface_name) {
  return absl::StrCat(
      "\tchain ", hook, " {\n", "\t\ttype filter hook ", hook,
      " priority filter; policy accept;\n", "\t\tiifname \"", interface_name,
      "\" ip saddr @quarantined_v4 goto quarantine\n", "\t\tiifname \"",
      interface_name, "\" ip6 saddr @quarantined_v6 goto quarantine\n",
      "\t}\n");
}

std::string TableReset(absl::string_view table) {
  // "table" alone creates the table when missing, so the delete that
  // follows always has something to delete.
  return absl::StrCat("table inet ", table, "\n", "delete table inet ", table,
                      "\n");
}

}  // namespace

QuarantineSet QuarantinedPeers(const PeerSet& peers) {
  QuarantineSet out;
  for (const auto& [key, peer] : peers) {
    if (!peer.quarantined()) continue;
    out.push_back({key, peer.allowed_ips, peer.permitted_destinations});
  }
  return out;
}

std::string NftTableName(absl::string_view interface_name) {
  std::string name = absl::StrCat("trellis_", interface_name);
  for (char& c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::string RenderQuarantineRuleset(absl::string_view interface_name,
                                    const QuarantineSet& peers) {
  FamilyElements v4, v6;
  Collect(peers, &v4, &v6);
  std::string table = NftTableName(interface_name);
  return absl::StrCat(
      "# Quarantine for WireGuard interface ", interface_name,
      ", written by trellis-gateway.\n", "# Quarantined peers: ", peers.size(),
      ". Replaced whole on every change.\n", TableReset(table), "table inet ",
      table, " {\n", RenderSet("quarantined_v4", "ipv4_addr", true, v4.sources),
      RenderSet("quarantined_v6", "ipv6_addr", true, v6.sources),
      RenderSet("permitted_v4", "ipv4_addr . ipv4_addr", false, v4.pairs),
      RenderSet("permitted_v6", "ipv6_addr . ipv6_addr", false, v6.pairs),
      "\tchain quarantine {\n",
      "\t\tip saddr . ip daddr @permitted_v4 accept\n",
      "\t\tip6 saddr . ip6 daddr @permitted_v6 accept\n", "\t\tdrop\n", "\t}\n",
      RenderHookChain("forward", interface_name),
      RenderHookChain("input", interface_name), "}\n");
}

std::string RenderTableRemoval(absl::string_view interface_name) {
  return absl::StrCat("# No quarantined peers on ", interface_name,
                      ": trellis-gateway removes its table.\n",
                      TableReset(NftTableName(interface_name)));
}

}  // namespace trellis::gateway
