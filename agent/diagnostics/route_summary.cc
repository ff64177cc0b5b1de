// route-summary: the main routing table, summarised: default routes, how
// many routes each interface carries, and which networks go through the
// Trellis tunnel.
//
// Detailed class: the route table shows the home network's addressing and
// any other VPN the employee uses, which is more than basic posture data.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"

namespace trellis::agent::diagnostics {
namespace {

struct Route {
  std::string destination;
  std::string via;
  std::string dev;
};

// Route types `ip route` prints in front of the destination.
bool IsRouteType(absl::string_view word) {
  for (const char* type :
       {"unicast", "local", "broadcast", "multicast", "unreachable",
        "blackhole", "prohibit", "throw", "anycast", "nat"}) {
    if (word == type) return true;
  }
  return false;
}

std::vector<Route> ParseRoutes(absl::string_view text) {
  std::vector<Route> routes;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<absl::string_view> words =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (words.empty()) continue;
    size_t i = 0;
    Route route;
    if (IsRouteType(words[0]) && words.size() > 1) {
      route.destination = absl::StrCat(words[0], " ", words[1]);
      i = 2;
    } else {
      route.destination = std::string(words[0]);
      i = 1;
    }
    for (; i + 1 < words.size(); ++i) {
      if (words[i] == "via") route.via = std::string(words[i + 1]);
      if (words[i] == "dev") route.dev = std::string(words[i + 1]);
    }
    routes.push_back(std::move(route));
  }
  return routes;
}

void Summarise(DiagnosticContext& context, const std::string& family,
               const std::vector<Route>& routes) {
  const std::string& tunnel = context.env().vpn_interface;
  context.Line(absl::StrCat(family, ": ", routes.size(), " routes"));
  std::map<std::string, int> per_dev;
  std::vector<std::string> through_tunnel;
  bool has_default = false;
  for (const Route& r : routes) {
    ++per_dev[r.dev.empty() ? "(none)" : r.dev];
    if (r.destination == "default") {
      has_default = true;
      context.Line(absl::StrCat("  default",
                                r.via.empty() ? "" : " via " + r.via,
                                r.dev.empty() ? "" : " dev " + r.dev));
    }
    if (r.dev == tunnel) through_tunnel.push_back(r.destination);
  }
  if (!has_default) context.Line("  no default route");
  std::vector<std::string> counts;
  for (const auto& [dev, n] : per_dev)
    counts.push_back(absl::StrCat(dev, " ", n));
  if (!counts.empty()) {
    context.Line(absl::StrCat("  by interface: ", absl::StrJoin(counts, ", ")));
  }
  context.Line(absl::StrCat("  through ", tunnel, ": ",
                            through_tunnel.empty()
                                ? std::string("none")
                                : absl::StrJoin(through_tunnel, ", ")));
}

absl::Status Run(DiagnosticContext& context) {
  for (const auto& [family, flag] :
       std::vector<std::pair<std::string, std::string>>{{"ipv4", "-4"},
                                                        {"ipv6", "-6"}}) {
    auto run = context.RunCommand({"ip", flag, "route", "show"});
    if (!run.ok()) return run.status();
    if (run->exit_code != 0) {
      return absl::InternalError(absl::StrCat(
          "`ip ", flag, " route show` failed (exit ", run->exit_code, ")"));
    }
    Summarise(context, family, ParseRoutes(run->stdout_text));
  }
  context.Line(
      "(main table; a full tunnel's default route lives in its own table, "
      "see vpn-status)");
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec RouteSummary() {
  return MakeDiagnostic(
      "route-summary", PrivacyClass::kDetailed, absl::Seconds(10), 8 << 10,
      "default routes, routes per interface, and the networks "
      "routed through the Trellis tunnel",
      Run);
}

}  // namespace trellis::agent::diagnostics
