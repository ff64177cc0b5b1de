#include "agent/vpn/beacon_prober.h"

#include "absl/strings/ascii.h"
#include "common/crypto/digest.h"
#include "common/util/encoding.h"

namespace trellis::agent {

bool FingerprintMatches(absl::string_view pinned_hex,
                        absl::string_view sha256) {
  std::string digits;
  for (char c : pinned_hex) {
    if (c != ':') digits.push_back(absl::ascii_tolower(c));
  }
  if (digits.size() != 64 || sha256.size() != 32) return false;
  return crypto::ConstantTimeEquals(digits, HexEncode(sha256));
}

}  // namespace trellis::agent
