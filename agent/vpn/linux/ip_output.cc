#include "agent/vpn/linux/ip_output.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/net/ip_address.h"

namespace trellis::agent::linux_vpn {
namespace {

std::vector<absl::string_view> Words(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t\\"), absl::SkipEmpty());
}

}  // namespace

bool LinkIsUp(absl::string_view ip_link_show) {
  size_t open = ip_link_show.find('<');
  size_t close = ip_link_show.find('>', open);
  if (open == absl::string_view::npos || close == absl::string_view::npos) {
    return false;
  }
  for (absl::string_view flag :
       absl::StrSplit(ip_link_show.substr(open + 1, close - open - 1), ',')) {
    if (flag == "UP") return true;
  }
  return false;
}

std::vector<std::string> ParseInterfaceAddresses(absl::string_view ip_addr) {
  std::vector<std::string> addresses;
  for (absl::string_view line : absl::StrSplit(ip_addr, '\n')) {
    std::vector<absl::string_view> w = Words(line);
    for (size_t i = 0; i + 1 < w.size(); ++i) {
      if (w[i] != "inet" && w[i] != "inet6") continue;
      bool link_scope = false;
      for (size_t j = i + 2; j + 1 < w.size(); ++j) {
        if (w[j] == "scope" && w[j + 1] == "link") link_scope = true;
      }
      auto cidr = net::ParseCidr(w[i + 1]);
      if (cidr.ok() && !link_scope) addresses.push_back(cidr->ToString());
      break;
    }
  }
  return addresses;
}

std::vector<std::string> ParseRouteDestinations(absl::string_view ip_route) {
  std::vector<std::string> routes;
  for (absl::string_view line : absl::StrSplit(ip_route, '\n')) {
    std::vector<absl::string_view> w = Words(line);
    if (w.empty()) continue;
    bool kernel = false;
    for (size_t i = 0; i + 1 < w.size(); ++i) {
      if (w[i] == "proto" && w[i + 1] == "kernel") kernel = true;
    }
    if (kernel) continue;
    // Route types (unicast, local, blackhole...) may come first.
    size_t at = 0;
    if (w.size() > 1 && (w[0] == "unicast" || w[0] == "local" ||
                         w[0] == "broadcast" || w[0] == "blackhole")) {
      if (w[0] != "unicast") continue;
      at = 1;
    }
    std::string destination(w[at]);
    if (destination == "default") destination = "0.0.0.0/0";
    auto cidr = net::ParseHostOrNetwork(destination);
    if (cidr.ok()) routes.push_back(cidr->ToString());
  }
  return routes;
}

std::vector<std::string> ParseRules(absl::string_view ip_rule) {
  std::vector<std::string> rules;
  for (absl::string_view line : absl::StrSplit(ip_rule, '\n')) {
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    std::vector<absl::string_view> w = Words(line.substr(colon + 1));
    if (!w.empty()) rules.push_back(absl::StrJoin(w, " "));
  }
  return rules;
}

std::vector<std::string> ParseResolvectlValues(absl::string_view output) {
  std::vector<std::string> values;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    size_t colon = line.find("):");
    if (colon == absl::string_view::npos) continue;
    for (absl::string_view w : Words(line.substr(colon + 2))) {
      values.emplace_back(w);
    }
  }
  return values;
}

}  // namespace trellis::agent::linux_vpn
