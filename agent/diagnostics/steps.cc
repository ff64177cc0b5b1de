#include "agent/diagnostics/steps.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "agent/vpn/platform_tunnel.h"
#include "common/net/ip_address.h"
#include "common/util/args.h"
#include "common/util/files.h"

namespace trellis::agent::diagnostics {

std::string Millis(absl::Duration d) {
  return absl::StrFormat("%.1f ms", absl::ToDoubleMilliseconds(d));
}

std::string HumanBytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  if (unit == 0) return absl::StrCat(bytes, " B");
  return absl::StrFormat("%.1f %s", value, kUnits[unit]);
}

std::string Age(absl::Duration d) {
  if (d < absl::ZeroDuration()) {
    return absl::StrCat(FormatHumanDuration(-d), " in the future");
  }
  return absl::StrCat(
      FormatHumanDuration(absl::Seconds(absl::ToInt64Seconds(d))), " ago");
}

absl::StatusOr<std::vector<std::string>> TimedResolve(
    DiagnosticContext& context, const std::string& label,
    const std::string& host) {
  if (net::ValidateIpAddress(host).ok()) {
    context.Line(absl::StrCat(label, ": ", host, " is an address, no lookup"));
    return std::vector<std::string>{host};
  }
  if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
  const absl::Time start = context.clock().Now();
  auto addresses = context.env().network->Resolve(host, context.Remaining(),
                                                  context.cancel_flag());
  const absl::Duration took = context.clock().Now() - start;
  if (!addresses.ok()) {
    context.Line(absl::StrCat(label, ": ", host, " failed after ", Millis(took),
                              ": ", addresses.status().message()));
    return absl::Status(
        addresses.status().code(),
        absl::StrCat("resolving ", host, ": ", addresses.status().message()));
  }
  context.Line(absl::StrCat(label, ": ", host, " -> ",
                            absl::StrJoin(*addresses, ", "), " (", Millis(took),
                            ")"));
  return addresses;
}

absl::Status TimedConnect(DiagnosticContext& context,
                          const std::vector<std::string>& addresses, int port) {
  absl::Status last = absl::UnavailableError("no address to connect to");
  for (const std::string& address : addresses) {
    if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
    const absl::Time start = context.clock().Now();
    last = context.env().network->TcpConnect(address, port, context.Remaining(),
                                             context.cancel_flag());
    const absl::Duration took = context.clock().Now() - start;
    const std::string where = net::ValidateIpAddress(address).ok() &&
                                      address.find(':') != std::string::npos
                                  ? absl::StrCat("[", address, "]:", port)
                                  : absl::StrCat(address, ":", port);
    if (last.ok()) {
      context.Line(
          absl::StrCat("tcp: connected to ", where, " in ", Millis(took)));
      return absl::OkStatus();
    }
    context.Line(absl::StrCat("tcp: ", where, " failed after ", Millis(took),
                              ": ", last.message()));
    if (absl::IsCancelled(last)) return last;
  }
  return absl::Status(last.code(),
                      absl::StrCat("TCP connect failed: ", last.message()));
}

absl::StatusOr<v1::CheckInResponse> LoadLastCheckIn(const AgentState& state) {
  auto bytes = ReadFile(state.LastCheckInPath());
  if (!bytes.ok()) {
    return absl::NotFoundError(
        absl::StrCat("no stored check-in (", bytes.status().message(), ")"));
  }
  v1::CheckInResponse last;
  if (!last.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat(state.LastCheckInPath(), " is damaged"));
  }
  return last;
}

std::unique_ptr<TunnelController> TunnelFor(DiagnosticContext& context) {
  PlatformTunnelConfig config;
  config.state = context.env().state;
  config.runner = &context.runner();
  config.interface_name = context.env().vpn_interface;
  return MakePlatformTunnelController(config);
}

}  // namespace trellis::agent::diagnostics
