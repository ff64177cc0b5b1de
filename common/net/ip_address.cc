#include "common/net/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
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

// 1 to `max_digits` decimal digits and nothing else (SimpleAtoi alone also
// takes a sign and surrounding spaces).
bool IsDigits(absl::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<Cidr> ParseAddressAndPrefix(absl::string_view text,
                                           bool prefix_required) {
  size_t slash = text.find('/');
  if (slash == absl::string_view::npos && prefix_required) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " is not a CIDR (address/prefix)"));
  }
  absl::string_view host = text.substr(0, slash);
  Cidr cidr;
  int max_length = 32;
  if (Pton(AF_INET, host, cidr.address.data())) {
    cidr.family = Cidr::Family::kIpv4;
  } else if (Pton(AF_INET6, host, cidr.address.data())) {
    cidr.family = Cidr::Family::kIpv6;
    max_length = 128;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " is not a CIDR: bad address"));
  }
  cidr.prefix_length = max_length;
  if (slash != absl::string_view::npos) {
    absl::string_view length_text = text.substr(slash + 1);
    if (!IsDigits(length_text, 3) ||
        !absl::SimpleAtoi(length_text, &cidr.prefix_length) ||
        cidr.prefix_length > max_length) {
      return absl::InvalidArgumentError(absl::StrCat(
          Quoted(text), " is not a CIDR: prefix length must be 0..",
          max_length));
    }
  }
  return cidr;
}

void ClearHostBits(Cidr& cidr) {
  const int total_bits = cidr.is_ipv4() ? 32 : 128;
  for (int bit = cidr.prefix_length; bit < total_bits; ++bit) {
    cidr.address[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
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
  if (!IsDigits(parts.second, 2) || !absl::SimpleAtoi(parts.second, &prefix) ||
      prefix < 0 || prefix > 32) {
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
  absl::StatusOr<Cidr> cidr = ParseCidr(text);
  if (!cidr.ok()) return cidr.status();
  absl::StatusOr<Cidr> network = ParseNetwork(text);
  if (network->address != cidr->address) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(text), " has host bits set; did you mean ",
                     network->ToString(), "?"));
  }
  return absl::OkStatus();
}

std::string Cidr::AddressText() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_ipv4() ? AF_INET : AF_INET6, address.data(), buf, sizeof(buf));
  return buf;
}

std::string Cidr::ToString() const {
  return absl::StrCat(AddressText(), "/", prefix_length);
}

bool Cidr::Contains(const Cidr& other) const {
  if (family != other.family || prefix_length > other.prefix_length) {
    return false;
  }
  int full_bytes = prefix_length / 8;
  for (int i = 0; i < full_bytes; ++i) {
    if (address[i] != other.address[i]) return false;
  }
  int rest = prefix_length % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (address[full_bytes] & mask) == (other.address[full_bytes] & mask);
}

absl::StatusOr<Cidr> ParseCidr(absl::string_view text) {
  return ParseAddressAndPrefix(text, /*prefix_required=*/true);
}

absl::StatusOr<Cidr> ParseNetwork(absl::string_view text) {
  absl::StatusOr<Cidr> cidr = ParseCidr(text);
  if (cidr.ok()) ClearHostBits(*cidr);
  return cidr;
}

absl::StatusOr<Cidr> ParseHostOrNetwork(absl::string_view text) {
  absl::StatusOr<Cidr> cidr =
      ParseAddressAndPrefix(text, /*prefix_required=*/false);
  if (cidr.ok()) ClearHostBits(*cidr);
  return cidr;
}

bool IsDnsName(absl::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  if (name.back() == '.') name.remove_suffix(1);
  // No top-level label is all digits (RFC 3696 section 2), so a mistyped
  // IPv4 address such as 999.1.1.1 is not taken for a name; resolvers
  // would read some of them as addresses (inet_aton takes "1234").
  absl::string_view top = name.substr(name.rfind('.') + 1);
  if (!top.empty() && std::all_of(top.begin(), top.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return false;
  }
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      // '_' is not valid in host names, but resolvers accept it and
      // container service names use it, so a server reached by one works.
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
          c != '_') {
        return false;
      }
    }
  }
  return true;
}

absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view host_port) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(host_port), " is not host:port: ", why));
  };
  Endpoint endpoint;
  absl::string_view port_text;
  if (!host_port.empty() && host_port.front() == '[') {
    size_t close = host_port.find(']');
    if (close == absl::string_view::npos) return bad("no closing ']'");
    absl::string_view rest = host_port.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return bad("no port");
    port_text = rest.substr(1);
    endpoint.host = std::string(host_port.substr(1, close - 1));
    unsigned char buf[16];
    if (!Pton(AF_INET6, endpoint.host, buf)) {
      return bad("the bracketed host is not an IPv6 address");
    }
    endpoint.host_is_ip = true;
  } else {
    size_t colon = host_port.rfind(':');
    if (colon == absl::string_view::npos) return bad("no port");
    absl::string_view host = host_port.substr(0, colon);
    port_text = host_port.substr(colon + 1);
    if (host.find(':') != absl::string_view::npos) {
      return bad("write an IPv6 host in brackets, e.g. [2001:db8::1]:51820");
    }
    endpoint.host = std::string(host);
    endpoint.host_is_ip = ParseIpv4(host).ok();
    if (!endpoint.host_is_ip && !IsDnsName(host)) {
      return bad("the host is neither an IP address nor a DNS name");
    }
  }
  if (!IsDigits(port_text, 5) || !absl::SimpleAtoi(port_text, &endpoint.port) ||
      endpoint.port < 1 || endpoint.port > 65535) {
    return bad("the port must be 1-65535");
  }
  return endpoint;
}

absl::Status ValidateEndpoint(absl::string_view host_port) {
  return ParseEndpoint(host_port).status();
}

}  // namespace trellis::net
