#include "agent/cli/vpn_status_view.h"

#include "absl/strings/str_cat.h"
#include "agent/vpn/tunnel_plan.h"
#include "agent/vpn/vpn_status_file.h"
#include "common/util/files.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {
namespace {

std::string When(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

}  // namespace

VpnView LoadVpnView(const AgentState& state, TunnelController* tunnel) {
  VpnView view;
  auto bytes = ReadFile(state.LastCheckInPath());
  v1::CheckInResponse last;
  if (bytes.ok() && last.ParseFromString(*bytes) && last.has_vpn()) {
    const v1::VpnAssignment& vpn = last.vpn();
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
  auto record = LoadVpnStatus(state);
  if (record.ok()) {
    view.tunnel = record->tunnel;
    view.plan_reason = record->reason;
    view.trusted_network = record->trusted_network;
    view.trusted_detail = record->trusted_detail;
    view.problem = record->error;
    view.notes = record->notes;
  }
  if (tunnel != nullptr) {
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
  return view;
}

std::string RenderVpnView(const VpnView& view) {
  if (!view.assigned) {
    return "VPN:           not in use (the last check-in carried no VPN "
           "assignment)\n";
  }
  std::string out = absl::StrCat(
      "VPN access:    ", view.access,
      view.reason.empty() ? "" : absl::StrCat(" - ", view.reason), "\n");
  if (!view.tunnel_address.empty()) {
    absl::StrAppend(&out, "Tunnel addr:   ", view.tunnel_address, "\n");
  }
  if (!view.profile.empty()) {
    absl::StrAppend(&out, "VPN profile:   ", view.profile, "\n");
  }
  if (!view.tunnel.empty()) {
    absl::StrAppend(&out, "Tunnel:        ", view.tunnel, " - ",
                    view.plan_reason, "\n");
  }
  if (!view.interface.empty()) {
    absl::StrAppend(&out, "Interface:     ", view.interface, "\n");
  }
  if (!view.last_handshake.empty()) {
    absl::StrAppend(&out, "Handshake:     ", view.last_handshake,
                    view.peer_endpoint.empty()
                        ? ""
                        : absl::StrCat(" with ", view.peer_endpoint),
                    "\n");
  }
  if (!view.trusted_network.empty()) {
    absl::StrAppend(&out, "Trusted net:   ", view.trusted_network,
                    view.trusted_detail.empty()
                        ? ""
                        : absl::StrCat(" (", view.trusted_detail, ")"),
                    "\n");
  }
  if (!view.problem.empty()) {
    absl::StrAppend(&out, "VPN problem:   ", view.problem, "\n");
  }
  if (!view.notes.empty()) {
    absl::StrAppend(&out, "VPN notes:     ", view.notes, "\n");
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
