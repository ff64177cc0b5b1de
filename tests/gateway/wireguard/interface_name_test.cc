#include "gateway/wireguard/interface_name.h"

#include "gtest/gtest.h"

namespace trellis::gateway {
namespace {

TEST(InterfaceNameTest, AcceptsPlainNames) {
  for (const char* name :
       {"wg0", "trellis-vpn", "wg_corp.1", "abcdefghijklmno"}) {
    EXPECT_TRUE(ValidateInterfaceName(name).ok()) << name;
  }
}

TEST(InterfaceNameTest, RejectsNamesThatCouldInjectOrOverflow) {
  for (const char* name : {"", "abcdefghijklmnop", "-wg0", ".wg", "wg 0",
                           "wg\"0", "wg/0", "wg;0", "wg\n0"}) {
    EXPECT_FALSE(ValidateInterfaceName(name).ok()) << name;
  }
}

}  // namespace
}  // namespace trellis::gateway
