// listening_ports: TCP sockets in LISTEN and bound, unconnected UDP sockets,
// from /proc/net/{tcp,tcp6,udp,udp6}.
#ifndef TRELLIS_AGENT_FACTS_LINUX_LISTENING_PORTS_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_LISTENING_PORTS_COLLECTOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct ListeningSocket {
  std::string protocol;  // tcp, tcp6, udp, udp6
  std::string address;
  int64_t port = 0;
  bool loopback_only = false;

  bool operator==(const ListeningSocket& o) const {
    return protocol == o.protocol && address == o.address && port == o.port &&
           loopback_only == o.loopback_only;
  }
  bool operator<(const ListeningSocket& o) const;
};

// The address part of a /proc/net address ("0100007F" or 32 hex digits),
// as text ("127.0.0.1", "::1"). The kernel prints each 32-bit word in host
// byte order; this decodes little-endian, the order of every architecture
// the agent ships for (x86_64, arm64). nullopt when not 8 or 32 hex digits.
std::optional<std::string> DecodeProcNetAddress(absl::string_view hex);

// True for 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8.
bool IsLoopbackAddress(absl::string_view address);

// The listening sockets in one /proc/net file. `protocol` is the file's
// name (tcp, tcp6, udp, udp6) and decides what "listening" means: TCP state
// 0A (LISTEN); UDP state 07 with an all-zero remote address (bound, not
// connected). The header and malformed or truncated lines are skipped.
std::vector<ListeningSocket> ParseProcNet(absl::string_view text,
                                          absl::string_view protocol);

// One row per distinct socket, in first-seen order (SO_REUSEPORT and
// per-CPU listeners show up many times).
v1::FactTable ListeningPortsTable(const std::vector<ListeningSocket>& sockets);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_LISTENING_PORTS_COLLECTOR_H_
