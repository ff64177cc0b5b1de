#include "common/net/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace trellis::net {
namespace {

// inet_pton wants a NUL-terminated string; anything longer than an IPv6
// address is not one.
bool Pton(int family, absl::string_view text, void* out) {
  if (text.empty() || text.size() > 45) return false;
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  return inet_pton(family, buf, out) == 1;
}

std::string Quoted(absl::string_view text) {
  return absl::StrCat("'", text.substr(0, 64), text.size() > 64 ? "...'" : "'");
}

}  // namespace

absl::StatusOr<uint32_t> ParseIpv4(absl::string_view text) {
  in_addr a;
  if (!Pton(AF_INET, text, &a)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " is not an IPv4 address"));
  }
  return ntohl(a.s_addr);
}

std::string FormatIpv4(uint32_t address) {
  return absl::StrCat(address >> 24, ".", (address >> 16) & 0xff, ".",
                      (address >> 8) & 0xff, ".", address & 0xff);
}

absl::StatusOr<Ipv4Block> ParseIpv4Block(absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('/', 1));
  int prefix = -1;
  if (parts.second.empty() || parts.second.size() > 2 ||
      !absl::SimpleAtoi(parts.second, &prefix) || prefix < 0 || prefix > 32) {
    return absl::InvalidArgumentError(absl::StrCat(
        Quoted(text), " is not an IPv4 block: expected a.b.c.d/0-32"));
  }
  absl::StatusOr<uint32_t> address = ParseIpv4(parts.first);
  if (!address.ok()) return address.status();
  uint32_t mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
  if ((*address & ~mask) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " has host bits set; did you mean ",
                     FormatIpv4(*address & mask), "/", prefix, "?"));
  }
  return Ipv4Block{*address, prefix};
}

absl::Status ValidateIpAddress(absl::string_view text) {
  unsigned char buf[16];
  if (Pton(AF_INET, text, buf) || Pton(AF_INET6, text, buf)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(Quoted(text), " is not an IP address"));
}

absl::Status ValidateCidr(absl::string_view text) {
  if (text.find(':') == absl::string_view::npos) {
    return ParseIpv4Block(text).status();
  }
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('/', 1));
  unsigned char addr[16];
  int prefix = -1;
  if (!Pton(AF_INET6, parts.first, addr) || parts.second.empty() ||
      parts.second.size() > 3 || !absl::SimpleAtoi(parts.second, &prefix) ||
      prefix < 0 || prefix > 128) {
    return absl::InvalidArgumentError(absl::StrCat(
        Quoted(text), " is not an IPv6 block: expected address/0-128"));
  }
  for (int bit = prefix; bit < 128; ++bit) {
    if (addr[bit / 8] & (0x80 >> (bit % 8))) {
      return absl::InvalidArgumentError(
          absl::StrCat(Quoted(text), " has host bits set"));
    }
  }
  return absl::OkStatus();
}

bool IsDnsName(absl::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  if (name.back() == '.') name.remove_suffix(1);
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
        return false;
      }
    }
  }
  return true;
}

absl::Status ValidateEndpoint(absl::string_view host_port) {
  size_t colon = host_port.rfind(':');
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(host_port), " is not host:port: ", why));
  };
  if (colon == absl::string_view::npos) return bad("no port");
  absl::string_view host = host_port.substr(0, colon);
  absl::string_view port_text = host_port.substr(colon + 1);
  int port = 0;
  if (port_text.empty() || port_text.size() > 5 ||
      !absl::SimpleAtoi(port_text, &port) || port < 1 || port > 65535) {
    return bad("the port must be 1-65535");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    unsigned char buf[16];
    if (!Pton(AF_INET6, host.substr(1, host.size() - 2), buf)) {
      return bad("the bracketed host is not an IPv6 address");
    }
    return absl::OkStatus();
  }
  if (host.find(':') != absl::string_view::npos) {
    return bad("write an IPv6 host in brackets, e.g. [2001:db8::1]:51820");
  }
  if (ParseIpv4(host).ok() || IsDnsName(host)) return absl::OkStatus();
  return bad("the host is neither an IP address nor a DNS name");
}

}  // namespace trellis::net
