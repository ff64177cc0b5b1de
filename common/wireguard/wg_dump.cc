#include "common/wireguard/wg_dump.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/crypto/wireguard_key.h"
#include "common/net/ip_address.h"

namespace trellis::wireguard {
namespace {

constexpr absl::string_view kNone = "(none)";
constexpr absl::string_view kOff = "off";

// Carries the line number so every error names where it happened.
class LineParser {
 public:
  LineParser(int line_number, std::vector<absl::string_view> fields)
      : line_number_(line_number), fields_(std::move(fields)) {}

  absl::Status Error(absl::string_view field, absl::string_view why) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "wg show dump line ", line_number_, ": field ", field, ": ", why));
  }

  absl::Status CheckCount(size_t expected, absl::string_view what) const {
    if (fields_.size() == expected) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "wg show dump line ", line_number_, ": expected ", expected,
        " tab-separated fields for ", what, ", got ", fields_.size()));
  }

  absl::string_view Field(size_t i) const { return fields_[i]; }

  // A key, or "" for "(none)" when `optional`.
  absl::StatusOr<std::string> Key(size_t i, absl::string_view name,
                                  bool optional) const {
    if (fields_[i] == kNone) {
      if (optional) return std::string();
      return Error(name, "missing (\"(none)\")");
    }
    absl::Status valid = crypto::ValidateWireGuardKey(fields_[i]);
    // The message of ValidateWireGuardKey never quotes the key, which
    // matters for the private-key field.
    if (!valid.ok()) return Error(name, valid.message());
    return std::string(fields_[i]);
  }

  // Bare decimal digits (SimpleAtoi alone would take a sign or spaces), at
  // most `max`; 0 for "off" when `off_is_zero`.
  template <typename Int>
  absl::StatusOr<Int> Number(size_t i, absl::string_view name, bool off_is_zero,
                             Int max) const {
    if (off_is_zero && fields_[i] == kOff) return Int{0};
    Int value{};
    bool digits = !fields_[i].empty();
    for (char c : fields_[i]) digits = digits && absl::ascii_isdigit(c);
    if (!digits || !absl::SimpleAtoi(fields_[i], &value)) {
      return Error(name, absl::StrCat("'", fields_[i], "' is not a number"));
    }
    if (value > max) return Error(name, "out of range");
    return value;
  }

 private:
  int line_number_;
  std::vector<absl::string_view> fields_;
};

// wg prints a set fwmark in hex ("0xca6c"), an unset one as "off".
absl::StatusOr<uint32_t> Fwmark(const LineParser& line, size_t i) {
  absl::string_view text = line.Field(i);
  if (text == kOff) return 0u;
  uint32_t mark = 0;
  bool hex =
      absl::ConsumePrefix(&text, "0x") && !text.empty() && text.size() <= 8;
  for (char c : text) hex = hex && absl::ascii_isxdigit(c);
  if (!hex || !absl::SimpleHexAtoi(text, &mark)) {
    return line.Error(
        "fwmark", absl::StrCat("'", line.Field(i), "' is not off or 0xHEX"));
  }
  return mark;
}

absl::StatusOr<WgInterfaceInfo> ParseInterfaceLine(const LineParser& line) {
  absl::Status count = line.CheckCount(4, "the interface");
  if (!count.ok()) return count;
  WgInterfaceInfo info;
  absl::StatusOr<std::string> private_key = line.Key(0, "private-key", true);
  if (!private_key.ok()) return private_key.status();
  absl::StatusOr<std::string> public_key = line.Key(1, "public-key", true);
  if (!public_key.ok()) return public_key.status();
  info.public_key = *public_key;
  absl::StatusOr<int> port = line.Number<int>(2, "listen-port", false, 65535);
  if (!port.ok()) return port.status();
  info.listen_port = *port;
  absl::StatusOr<uint32_t> fwmark = Fwmark(line, 3);
  if (!fwmark.ok()) return fwmark.status();
  info.fwmark = *fwmark;
  return info;
}

absl::StatusOr<WgPeerState> ParsePeerLine(const LineParser& line) {
  absl::Status count = line.CheckCount(8, "a peer");
  if (!count.ok()) return count;
  WgPeerState peer;
  absl::StatusOr<std::string> key = line.Key(0, "public-key", false);
  if (!key.ok()) return key.status();
  peer.public_key = *key;
  if (line.Field(1) != kNone) {
    absl::StatusOr<std::string> psk = line.Key(1, "preshared-key", false);
    if (!psk.ok()) return psk.status();
    peer.has_preshared_key = true;
  }
  if (line.Field(2).empty()) {
    return line.Error("endpoint", "empty (expected \"(none)\" or host:port)");
  }
  if (line.Field(2) != kNone) peer.endpoint = std::string(line.Field(2));
  if (line.Field(3).empty()) {
    return line.Error("allowed-ips", "empty (expected \"(none)\" or CIDRs)");
  }
  if (line.Field(3) != kNone) {
    for (absl::string_view ip : absl::StrSplit(line.Field(3), ',')) {
      absl::StatusOr<net::Cidr> cidr = net::ParseHostOrNetwork(ip);
      if (!cidr.ok()) return line.Error("allowed-ips", cidr.status().message());
      peer.allowed_ips.push_back(cidr->ToString());
    }
  }
  absl::StatusOr<int64_t> handshake = line.Number<int64_t>(
      4, "latest-handshake", false, std::numeric_limits<int64_t>::max());
  if (!handshake.ok()) return handshake.status();
  peer.latest_handshake_unix = *handshake;
  absl::StatusOr<uint64_t> rx = line.Number<uint64_t>(
      5, "transfer-rx", false, std::numeric_limits<uint64_t>::max());
  if (!rx.ok()) return rx.status();
  peer.transfer_rx = *rx;
  absl::StatusOr<uint64_t> tx = line.Number<uint64_t>(
      6, "transfer-tx", false, std::numeric_limits<uint64_t>::max());
  if (!tx.ok()) return tx.status();
  peer.transfer_tx = *tx;
  absl::StatusOr<int> keepalive =
      line.Number<int>(7, "persistent-keepalive", true, 65535);
  if (!keepalive.ok()) return keepalive.status();
  peer.persistent_keepalive_seconds = *keepalive;
  return peer;
}

}  // namespace

absl::StatusOr<WgDump> ParseWgDump(absl::string_view text) {
  WgDump dump;
  int line_number = 0;
  bool seen_interface = false;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::string_view line_text = absl::StripSuffix(raw, "\r");
    if (line_text.empty()) continue;
    LineParser line(line_number, absl::StrSplit(line_text, '\t'));
    if (!seen_interface) {
      absl::StatusOr<WgInterfaceInfo> info = ParseInterfaceLine(line);
      if (!info.ok()) return info.status();
      dump.interface = *info;
      seen_interface = true;
      continue;
    }
    absl::StatusOr<WgPeerState> peer = ParsePeerLine(line);
    if (!peer.ok()) return peer.status();
    dump.peers.push_back(std::move(*peer));
  }
  if (!seen_interface) {
    return absl::InvalidArgumentError(
        "wg show dump line 1: empty output (no interface line)");
  }
  return dump;
}

}  // namespace trellis::wireguard
