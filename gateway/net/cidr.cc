#include "gateway/net/cidr.h"

#include <arpa/inet.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace trellis::gateway {
namespace {

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not an IP prefix: ", why));
}

}  // namespace

std::string Cidr::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(is_ipv4() ? AF_INET : AF_INET6, address.data(), buf, sizeof(buf));
  return absl::StrCat(buf, "/", prefix_length);
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
  if (text.empty()) return Invalid(text, "empty");
  absl::string_view host = text;
  absl::string_view length_text;
  size_t slash = text.find('/');
  if (slash != absl::string_view::npos) {
    host = text.substr(0, slash);
    length_text = text.substr(slash + 1);
  }
  Cidr cidr;
  // inet_pton needs a NUL-terminated string.
  std::string host_str(host);
  int max_length = 32;
  if (::inet_pton(AF_INET, host_str.c_str(), cidr.address.data()) == 1) {
    cidr.family = Cidr::Family::kIpv4;
  } else if (::inet_pton(AF_INET6, host_str.c_str(), cidr.address.data()) ==
             1) {
    cidr.family = Cidr::Family::kIpv6;
    max_length = 128;
  } else {
    return Invalid(text, "bad address");
  }
  cidr.prefix_length = max_length;
  if (slash != absl::string_view::npos) {
    int length = -1;
    // SimpleAtoi accepts a sign and spaces; a prefix length is bare digits.
    bool digits = !length_text.empty() && length_text.size() <= 3;
    for (char c : length_text) digits = digits && c >= '0' && c <= '9';
    if (!digits || !absl::SimpleAtoi(length_text, &length) ||
        length > max_length) {
      return Invalid(text,
                     absl::StrCat("prefix length must be 0 to ", max_length));
    }
    cidr.prefix_length = length;
  }
  // Clear host bits.
  int bytes = max_length / 8;
  for (int i = 0; i < bytes; ++i) {
    int bit = i * 8;
    if (bit >= cidr.prefix_length) {
      cidr.address[i] = 0;
    } else if (bit + 8 > cidr.prefix_length) {
      cidr.address[i] &=
          static_cast<uint8_t>(0xff << (8 - (cidr.prefix_length - bit)));
    }
  }
  return cidr;
}

}  // namespace trellis::gateway
