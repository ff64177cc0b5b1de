#include "common/policy/vpn_profile_reader.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/crypto/wireguard_key.h"
#include "common/net/ip_address.h"
#include "common/policy/vpn_profile_validation.h"

namespace trellis::policy {
namespace {

constexpr size_t kList = kMaxVpnListEntries;
constexpr size_t kText = kMaxVpnText;

class VpnProfileReader {
 public:
  explicit VpnProfileReader(YamlReader& yaml) : yaml_(yaml) {}

  v1::VpnProfile Read(const YAML::Node& root) {
    v1::VpnProfile profile;
    yaml_.Keys(root, {kVpnProfileKey});
    const YAML::Node node = root[kVpnProfileKey];
    if (!node.IsMap()) {
      yaml_.Error(node,
                  "'vpn_profile' must be a mapping (id, title, gateway, "
                  "routes, mode, ...)");
      return profile;
    }
    yaml_.Keys(node, {"id", "title", "applies_to", "gateway", "routes", "dns",
                      "keepalive", "mode", "trusted_networks",
                      "remediation_destinations"});
    profile.set_id(yaml_.RequiredId(node, "id", "vpn profile id"));
    profile.set_title(yaml_.Text(node, "title", true, kText));
    if (node["applies_to"]) {
      yaml_.AppliesTo(node["applies_to"], profile.mutable_applies_to());
    }
    ReadGateway(node, &profile);
    ReadRoutes(node, &profile);
    if (node["dns"]) ReadDns(node["dns"], &profile);
    if (node["keepalive"]) {
      int64_t seconds = 0;
      if (yaml_.Duration(node["keepalive"], "keepalive",
                         absl::Seconds(kMaxVpnKeepaliveSeconds),
                         "25s or 2m (0 turns it off; at most 3600s)",
                         &seconds)) {
        profile.set_persistent_keepalive_seconds(static_cast<int32_t>(seconds));
      }
    }
    ReadMode(node, &profile);
    if (node["trusted_networks"]) {
      ReadTrustedNetworks(node["trusted_networks"], &profile);
    }
    if (node["remediation_destinations"]) {
      List(node["remediation_destinations"], "remediation_destinations",
           net::ValidateCidr, profile.mutable_remediation_destinations());
    }
    const v1::TrustedNetworks& trusted = profile.trusted_networks();
    if (profile.mode() == v1::VPN_MODE_UNTRUSTED_ONLY &&
        trusted.dns_search_domains().empty() && trusted.beacons().empty()) {
      yaml_.Error(node["mode"],
                  "'mode: untrusted-only' needs trusted_networks (a DNS "
                  "search domain or a beacon) to tell a council network");
    }
    return profile;
  }

 private:
  void List(const YAML::Node& node, const char* key,
            YamlReader::ValueCheck check,
            google::protobuf::RepeatedPtrField<std::string>* out) {
    for (std::string& v : yaml_.TextList(node, key, kList, kText, check)) {
      out->Add(std::move(v));
    }
  }

  // A mapping with only `keys`; false (error recorded) when `node` is
  // something else. `what` names it in the error ("'dns'", "each beacon").
  bool Mapping(const YAML::Node& node, absl::string_view what,
               const std::set<std::string>& keys) {
    if (!node.IsMap()) {
      yaml_.Error(node, absl::StrCat(what, " must be a mapping (",
                                     absl::StrJoin(keys, ", "), ")"));
      return false;
    }
    yaml_.Keys(node, keys);
    return true;
  }

  void ReadGateway(const YAML::Node& parent, v1::VpnProfile* profile) {
    const YAML::Node node = parent["gateway"];
    if (!node) {
      yaml_.Error(parent, "missing key 'gateway' (endpoint, public_key)");
      return;
    }
    if (!Mapping(node, "'gateway'", {"endpoint", "public_key"})) return;
    profile->set_gateway_endpoint(yaml_.CheckedText(
        node, "endpoint", true, kText, net::ValidateEndpoint));
    profile->set_gateway_public_key(yaml_.CheckedText(
        node, "public_key", true, kText, crypto::ValidateWireGuardPublicKey));
  }

  void ReadRoutes(const YAML::Node& parent, v1::VpnProfile* profile) {
    const YAML::Node node = parent["routes"];
    if (!node) {
      yaml_.Error(parent,
                  "missing key 'routes' (CIDRs to send through the tunnel; "
                  "0.0.0.0/0 for all traffic)");
      return;
    }
    List(node, "routes", net::ValidateCidr, profile->mutable_routes());
    if (node.IsSequence() && node.size() == 0) {
      yaml_.Error(node, "'routes' must not be empty");
    }
  }

  void ReadDns(const YAML::Node& node, v1::VpnProfile* profile) {
    if (!Mapping(node, "'dns'", {"servers", "search_domains"})) return;
    if (node["servers"]) {
      List(node["servers"], "servers", net::ValidateIpAddress,
           profile->mutable_dns_servers());
    }
    if (node["search_domains"]) {
      List(node["search_domains"], "search_domains", ValidateDnsName,
           profile->mutable_dns_search_domains());
    }
  }

  void ReadMode(const YAML::Node& parent, v1::VpnProfile* profile) {
    static const auto* kModes = new std::map<std::string, v1::VpnMode>{
        {"always-on", v1::VPN_MODE_ALWAYS_ON},
        {"untrusted-only", v1::VPN_MODE_UNTRUSTED_ONLY}};
    const YAML::Node node = parent["mode"];
    if (!node) {
      yaml_.Error(parent, "missing key 'mode' (always-on or untrusted-only)");
      return;
    }
    profile->set_mode(
        yaml_.Word(node, "mode", *kModes, v1::VPN_MODE_UNSPECIFIED));
  }

  void ReadTrustedNetworks(const YAML::Node& node, v1::VpnProfile* profile) {
    if (!Mapping(node, "'trusted_networks'",
                 {"dns_search_domains", "beacons"})) {
      return;
    }
    v1::TrustedNetworks* trusted = profile->mutable_trusted_networks();
    if (node["dns_search_domains"]) {
      List(node["dns_search_domains"], "dns_search_domains", ValidateDnsName,
           trusted->mutable_dns_search_domains());
    }
    if (!node["beacons"]) return;
    const YAML::Node beacons = node["beacons"];
    if (!beacons.IsSequence()) {
      yaml_.Error(beacons, "'beacons' must be a list");
      return;
    }
    if (beacons.size() > kList) {
      yaml_.Error(beacons, absl::StrCat("'beacons' has ", beacons.size(),
                                        " entries; at most ", kList));
      return;
    }
    for (const YAML::Node& b : beacons) {
      if (!Mapping(b, "each beacon", {"address", "sha256"})) continue;
      v1::TlsBeacon* beacon = trusted->add_beacons();
      beacon->set_address(
          yaml_.CheckedText(b, "address", true, kText, net::ValidateEndpoint));
      beacon->set_sha256_fingerprint(Fingerprint(b));
    }
  }

  // Accepts what `openssl x509 -fingerprint -sha256` prints (upper case,
  // colon-separated) as well as bare hex, and stores the canonical form.
  std::string Fingerprint(const YAML::Node& beacon) {
    std::string text = yaml_.Text(beacon, "sha256", true, kText);
    if (text.empty()) return text;
    std::string hex = absl::AsciiStrToLower(
        absl::StrReplaceAll(absl::StripAsciiWhitespace(text), {{":", ""}}));
    absl::Status valid = ValidateSha256Fingerprint(hex);
    if (!valid.ok()) {
      yaml_.Error(beacon["sha256"],
                  "'sha256' must be the certificate's SHA-256 fingerprint: "
                  "64 hex digits, colons allowed");
      return "";
    }
    return hex;
  }

  YamlReader& yaml_;
};

}  // namespace

bool IsVpnProfileDocument(const YAML::Node& root) {
  return root.IsMap() && root[kVpnProfileKey];
}

v1::VpnProfile ReadVpnProfile(const YAML::Node& root, YamlReader& reader) {
  return VpnProfileReader(reader).Read(root);
}

}  // namespace trellis::policy
