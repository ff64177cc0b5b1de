#include "agent/vpn/linux/wg_dump.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace trellis::agent::linux_vpn {
namespace {

absl::Status Bad(int line, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("wg show dump line ", line, ": ", why));
}

std::string OrEmpty(absl::string_view value) {
  return value == "(none)" ? std::string() : std::string(value);
}

template <typename Int>
bool ParseNumber(absl::string_view text, Int* out) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  return absl::SimpleAtoi(text, out);
}

absl::Status ParseInterface(absl::string_view line, WgInterfaceDump* out) {
  std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
  if (f.size() != 4) {
    return Bad(1, absl::StrCat("interface line needs 4 tab-separated fields, "
                               "got ",
                               f.size()));
  }
  out->private_key = OrEmpty(f[0]);
  out->public_key = OrEmpty(f[1]);
  if (!ParseNumber(f[2], &out->listen_port) || out->listen_port > 65535) {
    return Bad(1, absl::StrCat("listen-port '", f[2], "' is not a port"));
  }
  if (f[3] == "off") {
    out->fwmark = 0;
  } else {
    absl::string_view hex = f[3];
    if (!absl::ConsumePrefix(&hex, "0x") || hex.empty() || hex.size() > 8 ||
        !absl::SimpleHexAtoi(hex, &out->fwmark)) {
      return Bad(1, absl::StrCat("fwmark '", f[3], "' is not off or 0xHEX"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParsePeer(int line_no, absl::string_view line, WgPeerDump* out) {
  std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
  if (f.size() != 8) {
    return Bad(line_no, absl::StrCat("peer line needs 8 tab-separated fields, "
                                     "got ",
                                     f.size()));
  }
  if (f[0].empty() || f[0] == "(none)") {
    return Bad(line_no, "peer has no public key");
  }
  out->public_key = std::string(f[0]);
  out->has_preshared_key = f[1] != "(none)";
  out->endpoint = OrEmpty(f[2]);
  if (f[3] != "(none)") {
    for (absl::string_view ip : absl::StrSplit(f[3], ',', absl::SkipEmpty())) {
      out->allowed_ips.emplace_back(ip);
    }
  }
  if (!ParseNumber(f[4], &out->latest_handshake)) {
    return Bad(line_no,
               absl::StrCat("latest-handshake '", f[4], "' is not a number"));
  }
  if (!ParseNumber(f[5], &out->transfer_rx) ||
      !ParseNumber(f[6], &out->transfer_tx)) {
    return Bad(line_no, "transfer counters are not numbers");
  }
  if (f[7] != "off" && (!ParseNumber(f[7], &out->persistent_keepalive) ||
                        out->persistent_keepalive > 65535)) {
    return Bad(line_no, absl::StrCat("persistent-keepalive '", f[7],
                                     "' is not off or a number"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<WgDump> ParseWgDump(absl::string_view text) {
  std::vector<absl::string_view> lines =
      absl::StrSplit(text, '\n', absl::SkipEmpty());
  if (lines.empty()) return Bad(1, "empty output, no interface line");
  WgDump dump;
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::string_view line = absl::StripSuffix(lines[i], "\r");
    absl::Status s;
    if (i == 0) {
      s = ParseInterface(line, &dump.interface);
    } else {
      WgPeerDump peer;
      s = ParsePeer(static_cast<int>(i) + 1, line, &peer);
      dump.peers.push_back(std::move(peer));
    }
    if (!s.ok()) return s;
  }
  return dump;
}

}  // namespace trellis::agent::linux_vpn
