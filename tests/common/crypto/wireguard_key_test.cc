#include "common/crypto/wireguard_key.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace trellis::crypto {
namespace {

std::string FromHex(const char* hex) {
  return absl::Base64Escape(absl::HexStringToBytes(hex));
}

TEST(WireGuardKeyTest, PublicKeyMatchesRfc7748Vector) {
  // RFC 7748 section 6.1, Alice.
  auto pub = WireGuardPublicKey(FromHex(
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(*pub, FromHex("8520f0098930a754748b7ddcb43ef75a"
                          "0dbf3a0d26381af4eba4a98eaa9b4e6a"));
}

TEST(WireGuardKeyTest, GeneratedPairsAreConsistentAndDistinct) {
  auto a = GenerateWireGuardKeyPair();
  auto b = GenerateWireGuardKeyPair();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(ValidateWireGuardKey(a->public_key).ok());
  EXPECT_TRUE(ValidateWireGuardKey(a->private_key).ok());
  EXPECT_NE(a->private_key, b->private_key);
  EXPECT_EQ(*WireGuardPublicKey(a->private_key), a->public_key);
}

TEST(WireGuardKeyTest, RejectsMalformedKeys) {
  std::string good = GenerateWireGuardKeyPair()->public_key;
  EXPECT_FALSE(ValidateWireGuardKey("").ok());
  EXPECT_FALSE(ValidateWireGuardKey(good.substr(0, 43)).ok());
  EXPECT_FALSE(ValidateWireGuardKey(good + "A").ok());
  std::string bad_char = good;
  bad_char[3] = '*';
  EXPECT_FALSE(ValidateWireGuardKey(bad_char).ok());
  // Non-canonical: the last character before '=' carries unused bits.
  std::string raw(32, '\0');
  std::string canonical = absl::Base64Escape(raw);
  std::string noncanonical = canonical;
  noncanonical[42] = 'B';
  EXPECT_TRUE(ValidateWireGuardKey(canonical).ok());
  EXPECT_FALSE(ValidateWireGuardKey(noncanonical).ok());
  EXPECT_FALSE(WireGuardPublicKey("not a key").ok());
}

// All zeros and the other low-order points give every handshake the
// all-zero shared secret; as a peer's public key they are refused, with or
// without the top bit X25519 ignores.
TEST(WireGuardKeyTest, PublicKeyRefusesLowOrderPoints) {
  EXPECT_EQ(absl::Base64Escape(std::string(32, '\0')),
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  for (const char* hex :
       {"0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}) {
    std::string raw = absl::HexStringToBytes(hex);
    for (bool top_bit : {false, true}) {
      if (top_bit) raw[31] = static_cast<char>(raw[31] | 0x80);
      std::string key = absl::Base64Escape(raw);
      absl::Status s = ValidateWireGuardPublicKey(key);
      EXPECT_FALSE(s.ok()) << hex << " top bit " << top_bit;
      EXPECT_NE(s.message().find("low-order point"), absl::string_view::npos)
          << s;
      // Still 32 bytes of base64: a private key may be anything.
      EXPECT_TRUE(ValidateWireGuardKey(key).ok()) << hex;
    }
  }
  EXPECT_TRUE(
      ValidateWireGuardPublicKey(GenerateWireGuardKeyPair()->public_key).ok());
  EXPECT_TRUE(
      ValidateWireGuardPublicKey(FromHex("0900000000000000000000000000000000000"
                                         "000000000000000000000000000"))
          .ok());  // the base point
  EXPECT_FALSE(ValidateWireGuardPublicKey("not a key").ok());
}

}  // namespace
}  // namespace trellis::crypto
