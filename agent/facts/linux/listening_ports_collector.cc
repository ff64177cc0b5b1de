#include "agent/facts/linux/listening_ports_collector.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <memory>
#include <set>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "listening_ports";

std::optional<uint32_t> Hex32(absl::string_view hex) {
  if (hex.empty() || hex.size() > 8) return std::nullopt;
  uint32_t v = 0;
  for (char c : hex) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    int d = absl::ascii_isdigit(static_cast<unsigned char>(c))
                ? c - '0'
                : absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    v = (v << 4) | static_cast<uint32_t>(d);
  }
  return v;
}

bool AllZeroHex(absl::string_view hex) {
  for (char c : hex) {
    if (c != '0') return false;
  }
  return !hex.empty();
}

class ListeningPortsCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    std::vector<ListeningSocket> all;
    for (const char* protocol : {"tcp", "tcp6", "udp", "udp6"}) {
      std::string path = absl::StrCat("/proc/net/", protocol);
      auto text = ctx.system->ReadFile(path);
      // A kernel without IPv6 has no tcp6/udp6: no IPv6 sockets, not an
      // unknown. tcp and udp exist on every Linux with /proc.
      bool v6 = absl::EndsWith(protocol, "6");
      if (v6 && absl::IsNotFound(text.status())) continue;
      if (!text.ok()) {
        return facts::TableBuilder::Unknown(
            kTable,
            absl::StrCat("cannot read ", path, ": ", text.status().message()));
      }
      if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(*text), "sl")) {
        // Not the table the kernel writes (it always has its header).
        return facts::TableBuilder::Unknown(
            kTable, absl::StrCat(path, " is not a socket table"));
      }
      std::vector<ListeningSocket> found = ParseProcNet(*text, protocol);
      all.insert(all.end(), found.begin(), found.end());
    }
    return ListeningPortsTable(all);
  }
};

}  // namespace

bool ListeningSocket::operator<(const ListeningSocket& o) const {
  return std::tie(protocol, address, port, loopback_only) <
         std::tie(o.protocol, o.address, o.port, o.loopback_only);
}

std::optional<std::string> DecodeProcNetAddress(absl::string_view hex) {
  if (hex.size() != 8 && hex.size() != 32) return std::nullopt;
  unsigned char bytes[16];
  for (size_t w = 0; w < hex.size() / 8; ++w) {
    std::optional<uint32_t> word = Hex32(hex.substr(w * 8, 8));
    if (!word) return std::nullopt;
    for (int b = 0; b < 4; ++b) {
      bytes[w * 4 + b] = static_cast<unsigned char>((*word >> (8 * b)) & 0xff);
    }
  }
  char buf[INET6_ADDRSTRLEN];
  int family = hex.size() == 8 ? AF_INET : AF_INET6;
  if (::inet_ntop(family, bytes, buf, sizeof(buf)) == nullptr) {
    return std::nullopt;
  }
  return std::string(buf);
}

bool IsLoopbackAddress(absl::string_view address) {
  if (address == "::1") return true;
  absl::string_view v4 = address;
  if (absl::StartsWithIgnoreCase(v4, "::ffff:")) v4.remove_prefix(7);
  return absl::StartsWith(v4, "127.") &&
         v4.find(':') == absl::string_view::npos;
}

std::vector<ListeningSocket> ParseProcNet(absl::string_view text,
                                          absl::string_view protocol) {
  const bool tcp = absl::StartsWith(protocol, "tcp");
  const size_t hex_len = absl::EndsWith(protocol, "6") ? 32 : 8;
  std::vector<ListeningSocket> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<absl::string_view> f =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    // sl local remote st tx:rx tr:when retrnsmt uid timeout inode: a line
    // short of these was cut off and is not trusted.
    if (f.size() < 10 || !absl::EndsWith(f[0], ":")) continue;
    std::vector<absl::string_view> local = absl::StrSplit(f[1], ':');
    std::vector<absl::string_view> remote = absl::StrSplit(f[2], ':');
    if (local.size() != 2 || remote.size() != 2) continue;
    if (local[0].size() != hex_len || local[1].size() != 4) continue;
    std::optional<uint32_t> state = Hex32(f[3]);
    std::optional<uint32_t> port = Hex32(local[1]);
    if (!state || !port || f[3].size() != 2) continue;
    if (tcp) {
      if (*state != 0x0A) continue;  // TCP_LISTEN
    } else {
      // TCP_CLOSE with no peer: bound and receiving from anyone. A
      // connected UDP socket (state 01) only talks to its peer.
      if (*state != 0x07 || !AllZeroHex(remote[0])) continue;
    }
    std::optional<std::string> address = DecodeProcNetAddress(local[0]);
    if (!address) continue;
    ListeningSocket s;
    s.protocol = std::string(protocol);
    s.loopback_only = IsLoopbackAddress(*address);
    s.address = *std::move(address);
    s.port = *port;
    out.push_back(std::move(s));
  }
  return out;
}

v1::FactTable ListeningPortsTable(const std::vector<ListeningSocket>& sockets) {
  facts::TableBuilder b(kTable);
  std::set<ListeningSocket> seen;
  for (const ListeningSocket& s : sockets) {
    if (!seen.insert(s).second) continue;
    b.Row()
        .Text("protocol", s.protocol)
        .Text("address", s.address)
        .Integer("port", s.port)
        .Bool("loopback_only", s.loopback_only);
  }
  return b.Build();
}

std::unique_ptr<Collector> NewListeningPortsCollector() {
  return std::make_unique<ListeningPortsCollector>();
}

}  // namespace trellis::agent::linux_facts
