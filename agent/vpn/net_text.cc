#include "agent/vpn/net_text.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace trellis::agent {
namespace {

// Parses an address into `bytes` (4 or 16 of them); false when it is not one.
bool ParseAddress(absl::string_view text, bool* ipv6, unsigned char bytes[16]) {
  std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), bytes) == 1) {
    *ipv6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), bytes) == 1) {
    *ipv6 = true;
    return true;
  }
  return false;
}

std::string FormatAddress(bool ipv6, const unsigned char bytes[16]) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes, buf, sizeof(buf));
  return buf;
}

}  // namespace

std::string Cidr::ToString() const {
  return absl::StrCat(address, "/", prefix_length);
}

absl::StatusOr<Cidr> ParseCidr(absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('/', 1));
  if (text.find('/') == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a CIDR (address/prefix)"));
  }
  Cidr cidr;
  unsigned char bytes[16] = {};
  if (!ParseAddress(parts.first, &cidr.ipv6, bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a CIDR: bad address"));
  }
  int max = cidr.ipv6 ? 128 : 32;
  bool digits = !parts.second.empty() && parts.second.size() <= 3 &&
                std::all_of(parts.second.begin(), parts.second.end(),
                            [](char c) { return absl::ascii_isdigit(c); });
  if (!digits || !absl::SimpleAtoi(parts.second, &cidr.prefix_length) ||
      cidr.prefix_length > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not a CIDR: prefix length must be 0..", max));
  }
  cidr.address = FormatAddress(cidr.ipv6, bytes);
  return cidr;
}

absl::StatusOr<Cidr> ParseNetwork(absl::string_view text) {
  auto cidr = ParseCidr(text);
  if (!cidr.ok()) return cidr.status();
  unsigned char bytes[16] = {};
  bool ipv6 = false;
  ParseAddress(cidr->address, &ipv6, bytes);
  int total_bits = ipv6 ? 128 : 32;
  for (int bit = cidr->prefix_length; bit < total_bits; ++bit) {
    bytes[bit / 8] &= static_cast<unsigned char>(~(0x80 >> (bit % 8)));
  }
  cidr->address = FormatAddress(ipv6, bytes);
  return cidr;
}

bool IsIpAddress(absl::string_view text) {
  bool ipv6 = false;
  unsigned char bytes[16] = {};
  return ParseAddress(text, &ipv6, bytes);
}

bool IsDnsName(absl::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return false;
  for (absl::string_view label : absl::StrSplit(text, '.')) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(c) && c != '-') return false;
    }
  }
  return true;
}

absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not host:port: ", why));
  };
  Endpoint endpoint;
  absl::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == absl::string_view::npos) return bad("no closing ']'");
    endpoint.host = std::string(text.substr(1, close - 1));
    absl::string_view rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return bad("no port");
    port_text = rest.substr(1);
    bool ipv6 = false;
    unsigned char bytes[16] = {};
    if (!ParseAddress(endpoint.host, &ipv6, bytes) || !ipv6) {
      return bad("bad IPv6 address in brackets");
    }
    endpoint.host_is_ip = true;
  } else {
    size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) return bad("no port");
    endpoint.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (endpoint.host.find(':') != std::string::npos) {
      return bad("an IPv6 address needs [brackets]");
    }
    endpoint.host_is_ip = IsIpAddress(endpoint.host);
    if (!endpoint.host_is_ip && !IsDnsName(endpoint.host)) {
      return bad("bad host name");
    }
  }
  bool digits = !port_text.empty() && port_text.size() <= 5 &&
                std::all_of(port_text.begin(), port_text.end(),
                            [](char c) { return absl::ascii_isdigit(c); });
  if (!digits || !absl::SimpleAtoi(port_text, &endpoint.port) ||
      endpoint.port < 1 || endpoint.port > 65535) {
    return bad("port must be 1..65535");
  }
  return endpoint;
}

}  // namespace trellis::agent
