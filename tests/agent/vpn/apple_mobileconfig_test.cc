#include "agent/vpn/apple_mobileconfig.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(XmlEscapeTest, EscapesMarkup) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
}

TEST(MobileconfigTest, UntrustedOnlyProfile) {
  v1::VpnAssignment a = vpn_testing::FullAssignment();
  a.mutable_profile()->set_title("Council <VPN> & co");
  a.mutable_profile()->set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
  a.mutable_profile()->mutable_trusted_networks()->add_dns_search_domains(
      "corp.example");
  TunnelPlan plan = PlanTunnel(a, TrustedNetworkResult());
  MobileconfigInput input;
  input.plan = &plan;
  input.wg_quick_config = "[Interface]\nPrivateKey = k&<>\n";
  input.device_id = "dabcdef";
  input.trusted_dns_search_domains = plan.trusted_dns_search_domains;
  EXPECT_EQ(
      RenderMobileconfig(input),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
      "<plist version=\"1.0\">\n"
      "<dict>\n"
      "\t<key>PayloadContent</key>\n"
      "\t<array>\n"
      "\t\t<dict>\n"
      "\t\t\t<key>PayloadDisplayName</key>\n"
      "\t\t\t<string>Council &lt;VPN&gt; &amp; co</string>\n"
      "\t\t\t<key>PayloadIdentifier</key>\n"
      "\t\t\t<string>org.trellis.vpn.corp.wireguard</string>\n"
      "\t\t\t<key>PayloadType</key>\n"
      "\t\t\t<string>com.apple.vpn.managed</string>\n"
      "\t\t\t<key>PayloadUUID</key>\n"
      "\t\t\t<string>B32BF191-2BB2-8DF8-BC5A-E659BC32A432</string>\n"
      "\t\t\t<key>PayloadVersion</key>\n"
      "\t\t\t<integer>1</integer>\n"
      "\t\t\t<key>UserDefinedName</key>\n"
      "\t\t\t<string>Council &lt;VPN&gt; &amp; co</string>\n"
      "\t\t\t<key>VPNType</key>\n"
      "\t\t\t<string>VPN</string>\n"
      "\t\t\t<key>VPNSubType</key>\n"
      "\t\t\t<string>com.wireguard.macos</string>\n"
      "\t\t\t<key>VendorConfig</key>\n"
      "\t\t\t<dict>\n"
      "\t\t\t\t<key>WgQuickConfig</key>\n"
      "\t\t\t\t<string>[Interface]\nPrivateKey = k&amp;&lt;&gt;\n</string>\n"
      "\t\t\t</dict>\n"
      "\t\t\t<key>VPN</key>\n"
      "\t\t\t<dict>\n"
      "\t\t\t\t<key>RemoteAddress</key>\n"
      "\t\t\t\t<string>vpn.council.example:51820</string>\n"
      "\t\t\t\t<key>AuthenticationMethod</key>\n"
      "\t\t\t\t<string>Password</string>\n"
      "\t\t\t\t<key>OnDemandEnabled</key>\n"
      "\t\t\t\t<integer>1</integer>\n"
      "\t\t\t\t<key>OnDemandRules</key>\n"
      "\t\t\t\t<array>\n"
      "\t\t\t\t\t<dict>\n"
      "\t\t\t\t\t\t<key>Action</key>\n"
      "\t\t\t\t\t\t<string>Disconnect</string>\n"
      "\t\t\t\t\t\t<key>DNSDomainMatch</key>\n"
      "\t\t\t\t\t\t<array>\n"
      "\t\t\t\t\t\t\t<string>corp.example</string>\n"
      "\t\t\t\t\t\t</array>\n"
      "\t\t\t\t\t</dict>\n"
      "\t\t\t\t\t<dict>\n"
      "\t\t\t\t\t\t<key>Action</key>\n"
      "\t\t\t\t\t\t<string>Connect</string>\n"
      "\t\t\t\t\t</dict>\n"
      "\t\t\t\t</array>\n"
      "\t\t\t</dict>\n"
      "\t\t</dict>\n"
      "\t</array>\n"
      "\t<key>PayloadDisplayName</key>\n"
      "\t<string>Trellis VPN: Council &lt;VPN&gt; &amp; co</string>\n"
      "\t<key>PayloadIdentifier</key>\n"
      "\t<string>org.trellis.vpn.corp</string>\n"
      "\t<key>PayloadType</key>\n"
      "\t<string>Configuration</string>\n"
      "\t<key>PayloadUUID</key>\n"
      "\t<string>2E690428-945F-8A81-8EAC-4D74F0203286</string>\n"
      "\t<key>PayloadVersion</key>\n"
      "\t<integer>1</integer>\n"
      "</dict>\n"
      "</plist>\n");
}

TEST(MobileconfigTest, AlwaysOnConnectsEverywhereAndUuidsAreStable) {
  TunnelPlan plan =
      PlanTunnel(vpn_testing::FullAssignment(), TrustedNetworkResult());
  MobileconfigInput input;
  input.plan = &plan;
  input.device_id = "dabcdef";
  input.trusted_dns_search_domains = {"corp.example"};
  std::string text = RenderMobileconfig(input);
  EXPECT_THAT(text, Not(HasSubstr("Disconnect")));
  EXPECT_THAT(text, HasSubstr("<string>Connect</string>"));
  EXPECT_EQ(text, RenderMobileconfig(input));
  input.device_id = "dother";
  EXPECT_NE(text, RenderMobileconfig(input));
}

}  // namespace
}  // namespace trellis::agent
