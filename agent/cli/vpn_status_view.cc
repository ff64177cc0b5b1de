#include "agent/cli/vpn_status_view.h"

#include "absl/strings/str_cat.h"
#include "agent/vpn/tunnel_plan.h"
#include "common/util/terminal_text.h"

namespace trellis::agent {
namespace {

std::string When(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

}  // namespace

VpnView VpnViewFrom(const v1::CheckInResponse* last,
                    const VpnStatusRecord* record) {
  VpnView view;
  if (last != nullptr && last->has_vpn()) {
    const v1::VpnAssignment& vpn = last->vpn();
    view.assigned = true;
    view.access = AccessName(vpn.access());
    view.reason = vpn.reason();
    view.tunnel_address = vpn.tunnel_address();
    if (vpn.has_profile()) {
      const v1::VpnProfile& p = vpn.profile();
      view.profile =
          absl::StrCat(p.id(), " (", p.title().empty() ? "" : p.title() + ", ",
                       ModeName(p.mode()), ")");
    }
  }
  if (record != nullptr) {
    view.tunnel = record->tunnel;
    view.plan_reason = record->reason;
    view.trusted_network = record->trusted_network;
    view.trusted_detail = record->trusted_detail;
    view.problem = record->error;
    view.notes = record->notes;
  }
  return view;
}

void ObserveTunnel(TunnelController* tunnel, VpnView& view) {
  if (tunnel == nullptr) return;
  TunnelObservation seen = tunnel->Observe();
  if (!seen.known) {
    view.interface = absl::StrCat("unknown: ", seen.detail);
  } else {
    view.interface = !seen.present ? "absent" : seen.up ? "up" : "down";
    view.interface = absl::StrCat(tunnel->Describe(), " ", view.interface);
    if (!seen.detail.empty())
      absl::StrAppend(&view.interface, " (", seen.detail, ")");
  }
  view.peer_endpoint = seen.peer_endpoint;
  if (seen.latest_handshake)
    view.last_handshake = When(*seen.latest_handshake);
  else if (seen.present && seen.known)
    view.last_handshake = "never";
}

std::string RenderVpnView(const VpnView& view) {
  if (!view.assigned) {
    return "VPN:           not in use (the last check-in carried no VPN "
           "assignment)\n";
  }
  // Every value here came from the server, the device or a tool's output.
  auto line = [](const char* label, const std::string& value,
                 const std::string& extra = "") {
    return absl::StrCat(label, TerminalSafe(value), TerminalSafe(extra), "\n");
  };
  std::string out = line("VPN access:    ", view.access,
                         view.reason.empty() ? "" : " - " + view.reason);
  if (!view.tunnel_address.empty()) {
    absl::StrAppend(&out, line("Tunnel addr:   ", view.tunnel_address));
  }
  if (!view.profile.empty()) {
    absl::StrAppend(&out, line("VPN profile:   ", view.profile));
  }
  if (!view.tunnel.empty()) {
    absl::StrAppend(
        &out, line("Tunnel:        ", view.tunnel, " - " + view.plan_reason));
  }
  if (!view.interface.empty()) {
    absl::StrAppend(&out, line("Interface:     ", view.interface));
  }
  if (!view.last_handshake.empty()) {
    absl::StrAppend(
        &out,
        line("Handshake:     ", view.last_handshake,
             view.peer_endpoint.empty() ? "" : " with " + view.peer_endpoint));
  }
  if (!view.trusted_network.empty()) {
    absl::StrAppend(&out, line("Trusted net:   ", view.trusted_network,
                               view.trusted_detail.empty()
                                   ? ""
                                   : " (" + view.trusted_detail + ")"));
  }
  if (!view.problem.empty()) {
    absl::StrAppend(&out, line("VPN problem:   ", view.problem));
  }
  if (!view.notes.empty()) {
    absl::StrAppend(&out, line("VPN notes:     ", view.notes));
  }
  return out;
}

void AddVpnJson(const VpnView& view, JsonObject& out) {
  out.Add("vpn_assigned", view.assigned)
      .Add("vpn_access", view.access)
      .Add("vpn_reason", view.reason)
      .Add("vpn_tunnel_address", view.tunnel_address)
      .Add("vpn_profile", view.profile)
      .Add("vpn_tunnel", view.tunnel)
      .Add("vpn_tunnel_reason", view.plan_reason)
      .Add("vpn_interface", view.interface)
      .Add("vpn_last_handshake", view.last_handshake)
      .Add("vpn_peer_endpoint", view.peer_endpoint)
      .Add("vpn_trusted_network", view.trusted_network)
      .Add("vpn_trusted_detail", view.trusted_detail)
      .Add("vpn_problem", view.problem)
      .Add("vpn_notes", view.notes);
}

}  // namespace trellis::agent
