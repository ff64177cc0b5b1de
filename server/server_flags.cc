#include "server/server_flags.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/net/ip_address.h"
#include "common/util/args.h"
#include "common/util/logging.h"
#include "server/vpn/tunnel_address_pool.h"

namespace trellis::server {
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    out.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return out;
}

absl::Status DurationOutOfRange(const std::string& name, absl::Duration got,
                                absl::Duration min, absl::Duration max) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--", name, " must be between ", FormatHumanDuration(min), " and ",
      FormatHumanDuration(max), " (got ", FormatHumanDuration(got), ")"));
}

absl::Status CheckDuration(const std::string& name, absl::Duration value,
                           absl::Duration min, absl::Duration max) {
  if (value < min || value > max) {
    return DurationOutOfRange(name, value, min, max);
  }
  return absl::OkStatus();
}

// HOST:PORT to bind; port 0 asks the kernel for a free port.
absl::Status CheckListenAddress(const std::string& address) {
  std::string checked = address;
  if (absl::EndsWith(address, ":0")) {
    // ParseEndpoint wants 1-65535; 0 is a valid port to bind.
    checked = absl::StrCat(address.substr(0, address.size() - 2), ":1");
  }
  absl::Status s = net::ValidateEndpoint(checked);
  if (!s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen ", address,
        ": expected HOST:PORT with the port 0-65535 (0 picks a free port) and "
        "an IPv6 host in brackets"));
  }
  return absl::OkStatus();
}

// Checked as int64_t, before narrowing, so 2^32 is not taken for 0.
absl::Status CheckEnrollFailureLimit(int64_t limit) {
  if (limit < kMinEnrollFailureLimit || limit > kMaxEnrollFailureLimit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--enroll-failure-limit must be between ", kMinEnrollFailureLimit,
        " and ", kMaxEnrollFailureLimit, " (got ", limit, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckTlsNames(const ServerConfig& config) {
  for (const std::string& name : config.tls_dns_names) {
    if (!net::IsDnsName(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-dns: '", name, "' is not a DNS name"));
    }
  }
  for (const std::string& ip : config.tls_ip_addresses) {
    if (!net::ValidateIpAddress(ip).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-ip: '", ip, "' is not an IP address"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string HostOf(const std::string& address) {
  size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

bool IsWildcardHost(const std::string& host) {
  return host == "0.0.0.0" || host == "[::]" || host == "::" ||
         host == "[::0]" || host.empty();
}

absl::StatusOr<absl::Duration> ParseDurationFlag(const std::string& name,
                                                 const std::string& text,
                                                 absl::Duration min,
                                                 absl::Duration max) {
  auto d = ParseHumanDuration(text);
  if (!d.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, ": ", d.status().message(), "; allowed ",
        FormatHumanDuration(min), " to ", FormatHumanDuration(max)));
  }
  absl::Status in_range = CheckDuration(name, *d, min, max);
  if (!in_range.ok()) return in_range;
  return *d;
}

absl::Status ValidateServerConfig(const ServerConfig& config) {
  if (config.state_dir.empty()) {
    return absl::InvalidArgumentError("--state-dir is required");
  }
  absl::Status s = CheckListenAddress(config.listen_address);
  if (!s.ok()) return s;
  if (!config.advertised_address.empty()) {
    s = net::ValidateEndpoint(config.advertised_address);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--advertise: ", s.message()));
    }
  } else if (IsWildcardHost(HostOf(config.listen_address))) {
    // Without it, tokens and credentials would name "localhost" and the TLS
    // certificate would be valid for localhost only: no other machine could
    // enrol.
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen ", config.listen_address,
        " accepts connections on every address, so --advertise HOST:PORT is "
        "required: the address devices and operators dial, written into "
        "enrolment tokens and credentials and added to the server's TLS "
        "certificate"));
  }
  s = CheckTlsNames(config);
  if (!s.ok()) return s;
  s = CheckDuration("device-cert-lifetime", config.device_certificate_lifetime,
                    kMinDeviceCertLifetime, kMaxDeviceCertLifetime);
  if (!s.ok()) return s;
  const absl::Duration interval =
      absl::Seconds(config.checkin_interval_seconds);
  s = CheckDuration("checkin-interval", interval, kMinCheckinInterval,
                    kMaxCheckinInterval);
  if (!s.ok()) return s;
  s = CheckDuration("validity-window", config.validity_window,
                    kMinValidityWindow, kMaxValidityWindow);
  if (!s.ok()) return s;
  if (config.validity_window <= interval) {
    // Every device would turn stale between two on-time check-ins.
    return absl::InvalidArgumentError(absl::StrCat(
        "--validity-window (", FormatHumanDuration(config.validity_window),
        ") must be longer than --checkin-interval (",
        FormatHumanDuration(interval),
        "); about three check-in intervals is usual"));
  }
  if (config.restart_grace.has_value()) {
    s = CheckDuration("restart-grace", *config.restart_grace, kMinRestartGrace,
                      kMaxRestartGrace);
    if (!s.ok()) return s;
  }
  s = CheckEnrollFailureLimit(config.enroll_failure_limit);
  if (!s.ok()) return s;
  auto pool = MakeTunnelAddressPool(config.vpn_pool);
  if (!pool.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vpn-pool: ", pool.status().message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ServeFlags> ParseServeFlags(
    const std::vector<std::string>& argv) {
  auto args = ParseArgs(
      argv,
      {{"state-dir", "listen", "advertise", "tls-dns", "tls-ip",
        "device-cert-lifetime", "checkin-interval", "enroll-failure-limit",
        "validity-window", "restart-grace", "vpn-pool", "log-level"},
       {}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", args->positional[0], "'"));
  }
  ServeFlags flags;
  ServerConfig& config = flags.config;
  config.state_dir = args->Get("state-dir");
  config.listen_address = args->Get("listen", config.listen_address);
  config.advertised_address = args->Get("advertise");
  if (args->Has("tls-dns"))
    config.tls_dns_names = SplitList(args->Get("tls-dns"));
  if (args->Has("tls-ip")) {
    config.tls_ip_addresses = SplitList(args->Get("tls-ip"));
  }
  if (args->Has("device-cert-lifetime")) {
    auto d = ParseDurationFlag("device-cert-lifetime",
                               args->Get("device-cert-lifetime"),
                               kMinDeviceCertLifetime, kMaxDeviceCertLifetime);
    if (!d.ok()) return d.status();
    config.device_certificate_lifetime = *d;
  }
  if (args->Has("checkin-interval")) {
    auto d =
        ParseDurationFlag("checkin-interval", args->Get("checkin-interval"),
                          kMinCheckinInterval, kMaxCheckinInterval);
    if (!d.ok()) return d.status();
    config.checkin_interval_seconds =
        static_cast<int>(absl::ToInt64Seconds(*d));
  }
  if (args->Has("validity-window")) {
    auto d = ParseDurationFlag("validity-window", args->Get("validity-window"),
                               kMinValidityWindow, kMaxValidityWindow);
    if (!d.ok()) return d.status();
    config.validity_window = *d;
  }
  if (args->Has("restart-grace")) {
    auto d = ParseDurationFlag("restart-grace", args->Get("restart-grace"),
                               kMinRestartGrace, kMaxRestartGrace);
    if (!d.ok()) return d.status();
    config.restart_grace = *d;
  }
  config.vpn_pool = args->Get("vpn-pool", config.vpn_pool);
  auto limit =
      args->GetInt("enroll-failure-limit", config.enroll_failure_limit);
  if (!limit.ok()) return limit.status();
  absl::Status limit_ok = CheckEnrollFailureLimit(*limit);
  if (!limit_ok.ok()) return limit_ok;
  config.enroll_failure_limit = static_cast<int>(*limit);
  if (args->Has("log-level")) {
    LogLevel level;
    flags.log_level = args->Get("log-level");
    if (!ParseLogLevel(flags.log_level, &level)) {
      return absl::InvalidArgumentError(
          "--log-level must be debug, info, warning or error");
    }
  }
  absl::Status valid = ValidateServerConfig(config);
  if (!valid.ok()) return valid;
  return flags;
}

}  // namespace trellis::server
