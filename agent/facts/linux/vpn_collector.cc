#include "agent/facts/linux/vpn_collector.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "vpn";

class VpnCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    auto interfaces = ReadInterfaces(ctx);
    if (!interfaces.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot list interfaces: ",
                               interfaces.status().message()));
    }
    // An interface whose kind could not be read might be a tunnel: saying
    // "no VPN" would then be a guess.
    for (const InterfaceInfo& i : *interfaces) {
      if (!i.type) {
        return facts::TableBuilder::Unknown(
            kTable, absl::StrCat("cannot tell the kind of interface ", i.name));
      }
    }
    return VpnTable(*interfaces);
  }
};

}  // namespace

bool IsTrellisTunnel(absl::string_view name) {
  return absl::StartsWith(name, "trellis");
}

v1::FactTable VpnTable(const std::vector<InterfaceInfo>& interfaces) {
  facts::TableBuilder b(kTable);
  for (const InterfaceInfo& i : interfaces) {
    if (i.type != "wireguard" && i.type != "tun") continue;
    b.Row()
        .Text("name", i.name)
        .Text("type", i.type)
        .Bool("up", i.up)
        .Bool("managed_by_trellis", IsTrellisTunnel(i.name));
  }
  return b.Build();
}

std::unique_ptr<Collector> NewVpnCollector() {
  return std::make_unique<VpnCollector>();
}

}  // namespace trellis::agent::linux_facts
