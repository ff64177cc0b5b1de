#include "agent/facts/linux/interfaces_collector.h"

#include <cmath>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "interfaces";
constexpr char kSysNet[] = "/sys/class/net";

// ARPHRD_* values from <linux/if_arp.h>.
constexpr int64_t kArphrdEther = 1;
constexpr int64_t kArphrdLoopback = 772;

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

// ip prints a JSON array; protobuf parses objects, so wrap it in one.
absl::StatusOr<ListValue> ParseJsonArray(absl::string_view json,
                                         absl::string_view what) {
  Struct wrapper;
  auto st = google::protobuf::util::JsonStringToMessage(
      absl::StrCat("{\"list\":", json, "}"), &wrapper);
  if (!st.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not valid JSON: ", st.ToString()));
  }
  auto it = wrapper.fields().find("list");
  if (it == wrapper.fields().end() || !it->second.has_list_value()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is not a list"));
  }
  return it->second.list_value();
}

const Value* Field(const Value& v, const std::string& name) {
  if (!v.has_struct_value()) return nullptr;
  auto it = v.struct_value().fields().find(name);
  return it == v.struct_value().fields().end() ? nullptr : &it->second;
}

std::optional<std::string> StringField(const Value& v,
                                       const std::string& name) {
  const Value* f = Field(v, name);
  if (f == nullptr || f->kind_case() != Value::kStringValue) {
    return std::nullopt;
  }
  return f->string_value();
}

std::optional<std::string> Trimmed(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (t.empty()) return std::nullopt;
  return std::string(t);
}

// The output of an ip command, or nullopt when ip is missing, slow or
// fails: callers then go without what it would have added.
std::optional<std::string> RunIp(CollectContext& ctx,
                                 const std::vector<std::string>& argv) {
  auto result = ctx.runner->Run(argv, ctx.command_timeout);
  if (!result.ok() || result->exit_code != 0) return std::nullopt;
  return result->stdout_text;
}

class InterfacesCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    auto interfaces = ReadInterfaces(ctx);
    if (!interfaces.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot list interfaces: ",
                               interfaces.status().message()));
    }
    // Without ip (minimal containers) the interfaces are still known from
    // sysfs; only their addresses are not.
    std::optional<std::map<std::string, std::vector<std::string>>> addresses;
    if (auto json = RunIp(ctx, {"ip", "-j", "addr", "show"})) {
      auto parsed = ParseIpAddrJson(*json);
      if (parsed.ok()) addresses = *std::move(parsed);
    }
    return InterfacesTable(*interfaces, addresses);
  }
};

}  // namespace

std::optional<std::string> ClassifyInterface(const InterfaceEvidence& e) {
  if (e.wireguard_go_socket || e.link_kind == "wireguard" ||
      absl::StrContains(e.uevent, "DEVTYPE=wireguard")) {
    return "wireguard";
  }
  if (e.tun_flags || e.link_kind == "tun") return "tun";
  // Wi-Fi devices are ARPHRD_ETHER too; the wireless entries tell them apart.
  if (e.wireless || absl::StrContains(e.uevent, "DEVTYPE=wlan")) {
    return "wireless";
  }
  if (!e.arphrd_type) return std::nullopt;
  if (*e.arphrd_type == kArphrdLoopback) return "loopback";
  if (*e.arphrd_type == kArphrdEther) return "ether";
  return "other";
}

std::optional<bool> ParseInterfaceFlagsUp(absl::string_view flags) {
  absl::string_view t = absl::StripAsciiWhitespace(flags);
  if (!absl::ConsumePrefix(&t, "0x") || t.empty() || t.size() > 8) {
    return std::nullopt;
  }
  for (char c : t) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  uint32_t v = 0;
  if (!absl::SimpleHexAtoi(t, &v)) return std::nullopt;
  return (v & 0x1) != 0;  // IFF_UP
}

std::optional<int64_t> ParseArphrdType(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (t.empty()) return std::nullopt;
  for (char c : t) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  int64_t v = 0;
  if (!absl::SimpleAtoi(t, &v)) return std::nullopt;
  return v;
}

std::optional<std::string> ParseMacAddress(absl::string_view text) {
  return Trimmed(text);
}

absl::StatusOr<std::map<std::string, std::vector<std::string>>> ParseIpAddrJson(
    absl::string_view json) {
  auto list = ParseJsonArray(json, "ip -j addr show output");
  if (!list.ok()) return list.status();
  std::map<std::string, std::vector<std::string>> out;
  for (const Value& link : list->values()) {
    std::optional<std::string> name = StringField(link, "ifname");
    if (!name) continue;
    std::vector<std::string>& addrs = out[*name];
    const Value* infos = Field(link, "addr_info");
    if (infos == nullptr || !infos->has_list_value()) continue;
    for (const Value& info : infos->list_value().values()) {
      std::optional<std::string> local = StringField(info, "local");
      const Value* prefix = Field(info, "prefixlen");
      if (!local || prefix == nullptr ||
          prefix->kind_case() != Value::kNumberValue) {
        continue;
      }
      double p = prefix->number_value();
      if (p < 0 || p > 128 || std::floor(p) != p) continue;
      addrs.push_back(absl::StrCat(*local, "/", static_cast<int>(p)));
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> ParseIpLinkKinds(
    absl::string_view json) {
  auto list = ParseJsonArray(json, "ip -j -d link show output");
  if (!list.ok()) return list.status();
  std::map<std::string, std::string> out;
  for (const Value& link : list->values()) {
    std::optional<std::string> name = StringField(link, "ifname");
    const Value* info = Field(link, "linkinfo");
    if (!name || info == nullptr) continue;
    std::optional<std::string> kind = StringField(*info, "info_kind");
    if (kind) out[*name] = *kind;
  }
  return out;
}

std::set<std::string> WireguardGoInterfaces(
    const std::vector<std::string>& entries) {
  std::set<std::string> out;
  for (absl::string_view e : entries) {
    if (absl::ConsumeSuffix(&e, ".sock") && !e.empty()) out.emplace(e);
  }
  return out;
}

v1::FactTable InterfacesTable(
    const std::vector<InterfaceInfo>& interfaces,
    const std::optional<std::map<std::string, std::vector<std::string>>>&
        addresses) {
  facts::TableBuilder b(kTable);
  auto row = [&](const InterfaceInfo& i, std::optional<std::string> address) {
    b.Row()
        .Text("name", i.name)
        .Text("mac", i.mac)
        .Text("address", std::move(address))
        .Bool("up", i.up)
        .Text("type", i.type);
  };
  for (const InterfaceInfo& i : interfaces) {
    const std::vector<std::string>* addrs = nullptr;
    if (addresses) {
      auto it = addresses->find(i.name);
      if (it != addresses->end()) addrs = &it->second;
    }
    if (addrs == nullptr || addrs->empty()) {
      row(i, std::nullopt);
      continue;
    }
    for (const std::string& a : *addrs) row(i, a);
  }
  return b.Build();
}

absl::StatusOr<std::vector<InterfaceInfo>> ReadInterfaces(CollectContext& ctx) {
  SystemSource& sys = *ctx.system;
  auto names = sys.ListDirectory(kSysNet);
  if (!names.ok()) return names.status();

  std::map<std::string, std::string> kinds;
  if (auto json = RunIp(ctx, {"ip", "-j", "-d", "link", "show"})) {
    auto parsed = ParseIpLinkKinds(*json);
    if (parsed.ok()) kinds = *std::move(parsed);
  }
  std::set<std::string> wg_go;
  if (auto sockets = sys.ListDirectory("/var/run/wireguard"); sockets.ok()) {
    wg_go = WireguardGoInterfaces(*sockets);
  }

  std::vector<InterfaceInfo> out;
  for (const std::string& name : *names) {
    std::string dir = absl::StrCat(kSysNet, "/", name);
    // Not a directory (bonding_masters) or gone since the listing.
    auto entries = sys.ListDirectory(dir);
    if (!entries.ok()) continue;
    InterfaceEvidence e;
    for (const std::string& entry : *entries) {
      if (entry == "wireless" || entry == "phy80211") e.wireless = true;
      if (entry == "tun_flags") e.tun_flags = true;
    }
    auto read = [&](const char* file) -> std::optional<std::string> {
      auto text = sys.ReadFile(absl::StrCat(dir, "/", file));
      if (!text.ok()) return std::nullopt;
      return *std::move(text);
    };
    if (auto t = read("type")) e.arphrd_type = ParseArphrdType(*t);
    if (auto u = read("uevent")) e.uevent = *u;
    if (auto it = kinds.find(name); it != kinds.end()) e.link_kind = it->second;
    e.wireguard_go_socket = wg_go.count(name) > 0;

    InterfaceInfo info;
    info.name = name;
    if (auto a = read("address")) info.mac = ParseMacAddress(*a);
    if (auto f = read("flags")) info.up = ParseInterfaceFlagsUp(*f);
    if (!info.up) {
      // operstate "up" implies administratively up; "down" may only mean
      // no carrier, so it says nothing about the administrative state.
      if (auto o = read("operstate"); o && Trimmed(*o) == "up") info.up = true;
    }
    info.type = ClassifyInterface(e);
    out.push_back(std::move(info));
  }
  return out;
}

std::unique_ptr<Collector> NewInterfacesCollector() {
  return std::make_unique<InterfacesCollector>();
}

}  // namespace trellis::agent::linux_facts
