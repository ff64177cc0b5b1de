// interfaces: one row per interface address, with the interface's MAC,
// administrative state and kind. Interfaces come from /sys/class/net;
// addresses from `ip -j addr show`. The kind logic is shared with the vpn
// collector, which reports the wireguard and tun interfaces found here.
#ifndef TRELLIS_AGENT_FACTS_LINUX_INTERFACES_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_INTERFACES_COLLECTOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/facts/collector.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

// Everything that says what kind of interface something is.
struct InterfaceEvidence {
  std::optional<int64_t> arphrd_type;  // /sys/class/net/IF/type
  bool wireless = false;   // a wireless/ or phy80211/ entry in its sysfs dir
  bool tun_flags = false;  // a tun_flags entry (tun and tap devices)
  std::string uevent;      // /sys/class/net/IF/uevent
  std::optional<std::string> link_kind;  // `ip -d` linkinfo.info_kind
  bool wireguard_go_socket = false;      // /var/run/wireguard/IF.sock
};

// ether, wireless, loopback, wireguard, tun or other; nullopt when nothing
// is known (the type file unreadable and no other evidence). WireGuard is
// checked before tun because wireguard-go runs on a tun device.
std::optional<std::string> ClassifyInterface(const InterfaceEvidence& e);

struct InterfaceInfo {
  std::string name;
  std::optional<std::string> mac;
  std::optional<bool> up;
  std::optional<std::string> type;
};

// IFF_UP (0x1) of a sysfs flags file ("0x1003\n").
std::optional<bool> ParseInterfaceFlagsUp(absl::string_view flags);
// The ARPHRD_* number in a sysfs type file.
std::optional<int64_t> ParseArphrdType(absl::string_view text);
// A sysfs address file; nullopt when empty (tun and wireguard have none).
std::optional<std::string> ParseMacAddress(absl::string_view text);

// `ip -j addr show`: interface name -> "address/prefixlen" in ip's order.
// Every interface ip lists is a key, with no addresses if it has none.
absl::StatusOr<std::map<std::string, std::vector<std::string>>> ParseIpAddrJson(
    absl::string_view json);

// `ip -j -d link show`: interface name -> linkinfo.info_kind, for the
// interfaces that have one.
absl::StatusOr<std::map<std::string, std::string>> ParseIpLinkKinds(
    absl::string_view json);

// Interface names with a wireguard-go control socket, from the entries of
// /var/run/wireguard ("wg0.sock" -> "wg0").
std::set<std::string> WireguardGoInterfaces(
    const std::vector<std::string>& entries);

// One row per address; one row with a NULL address for an interface with
// none. `addresses` is nullopt when they could not be read: every row's
// address is then NULL.
v1::FactTable InterfacesTable(
    const std::vector<InterfaceInfo>& interfaces,
    const std::optional<std::map<std::string, std::vector<std::string>>>&
        addresses);

// Reads every interface in /sys/class/net with its kind (using `ip -j -d
// link show` and /var/run/wireguard when available). Fails only when
// /sys/class/net cannot be listed.
absl::StatusOr<std::vector<InterfaceInfo>> ReadInterfaces(CollectContext& ctx);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_INTERFACES_COLLECTOR_H_
