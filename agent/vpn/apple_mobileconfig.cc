#include "agent/vpn/apple_mobileconfig.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/digest.h"
#include "common/util/encoding.h"

namespace trellis::agent {
namespace {

constexpr char kIdentifierPrefix[] = "org.trellis.vpn";

// A UUID made from a name (SHA-256, version 8 "custom" layout), stable for
// the same device and profile.
std::string NameUuid(absl::string_view name) {
  std::string hash = crypto::Sha256(name).substr(0, 16);
  hash[6] = static_cast<char>((hash[6] & 0x0f) | 0x80);
  hash[8] = static_cast<char>((hash[8] & 0x3f) | 0x80);
  std::string hex = absl::AsciiStrToUpper(HexEncode(hash));
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-",
                      hex.substr(12, 4), "-", hex.substr(16, 4), "-",
                      hex.substr(20));
}

std::string Key(absl::string_view indent, absl::string_view key) {
  return absl::StrCat(indent, "<key>", XmlEscape(key), "</key>\n");
}

std::string String(absl::string_view indent, absl::string_view key,
                   absl::string_view value) {
  return absl::StrCat(Key(indent, key), indent, "<string>", XmlEscape(value),
                      "</string>\n");
}

std::string Integer(absl::string_view indent, absl::string_view key,
                    int value) {
  return absl::StrCat(Key(indent, key), indent, "<integer>", value,
                      "</integer>\n");
}

// Inside the VPN dictionary, at `indent`: in untrusted-only mode first
// disconnect on the trusted search domains, then always connect.
std::string OnDemandRules(const MobileconfigInput& input,
                          const std::string& indent) {
  const std::string rule = indent + "\t";
  const std::string field = rule + "\t";
  std::string out =
      absl::StrCat(Key(indent, "OnDemandRules"), indent, "<array>\n");
  if (input.plan->mode == v1::VPN_MODE_UNTRUSTED_ONLY &&
      !input.trusted_dns_search_domains.empty()) {
    absl::StrAppend(&out, rule, "<dict>\n",
                    String(field, "Action", "Disconnect"),
                    Key(field, "DNSDomainMatch"), field, "<array>\n");
    for (const std::string& domain : input.trusted_dns_search_domains) {
      absl::StrAppend(&out, field, "\t<string>", XmlEscape(domain),
                      "</string>\n");
    }
    absl::StrAppend(&out, field, "</array>\n", rule, "</dict>\n");
  }
  absl::StrAppend(&out, rule, "<dict>\n", String(field, "Action", "Connect"),
                  rule, "</dict>\n", indent, "</array>\n");
  return out;
}

}  // namespace

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderMobileconfig(const MobileconfigInput& input) {
  const TunnelPlan& plan = *input.plan;
  const std::string name =
      plan.profile_title.empty() ? plan.profile_id : plan.profile_title;
  const std::string seed = absl::StrCat(input.device_id, "/", plan.profile_id);
  const std::string identifier =
      absl::StrCat(kIdentifierPrefix, ".", plan.profile_id);
  std::string vpn = absl::StrCat(
      "\t\t<dict>\n", String("\t\t\t", "PayloadDisplayName", name),
      String("\t\t\t", "PayloadIdentifier", identifier + ".wireguard"),
      String("\t\t\t", "PayloadType", "com.apple.vpn.managed"),
      String("\t\t\t", "PayloadUUID", NameUuid(seed + "/payload")),
      Integer("\t\t\t", "PayloadVersion", 1),
      String("\t\t\t", "UserDefinedName", name),
      String("\t\t\t", "VPNType", "VPN"),
      String("\t\t\t", "VPNSubType", "com.wireguard.macos"),
      Key("\t\t\t", "VendorConfig"), "\t\t\t<dict>\n",
      String("\t\t\t\t", "WgQuickConfig", input.wg_quick_config),
      "\t\t\t</dict>\n", Key("\t\t\t", "VPN"), "\t\t\t<dict>\n",
      String("\t\t\t\t", "RemoteAddress", plan.endpoint),
      String("\t\t\t\t", "AuthenticationMethod", "Password"),
      Integer("\t\t\t\t", "OnDemandEnabled", 1),
      OnDemandRules(input, "\t\t\t\t"), "\t\t\t</dict>\n\t\t</dict>\n");
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n",
      "<plist version=\"1.0\">\n<dict>\n", Key("\t", "PayloadContent"),
      "\t<array>\n", vpn, "\t</array>\n",
      String("\t", "PayloadDisplayName", absl::StrCat("Trellis VPN: ", name)),
      String("\t", "PayloadIdentifier", identifier),
      String("\t", "PayloadType", "Configuration"),
      String("\t", "PayloadUUID", NameUuid(seed)),
      Integer("\t", "PayloadVersion", 1), "</dict>\n</plist>\n");
}

}  // namespace trellis::agent
