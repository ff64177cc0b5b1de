#include "server/server_flags.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

// For a config built in code; the flag is checked as it is parsed.
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

absl::Status ValidateServerConfig(const ServerConfig& config) {
  if (config.state_dir.empty()) {
    return absl::InvalidArgumentError("--state-dir is required");
  }
  absl::Status s = CheckListenAddress(config.listen_address);
  if (!s.ok()) return s;
  if (!config.advertised_address.empty()) {
    s = CheckEndpointFlag("advertise", config.advertised_address);
    if (!s.ok()) return s;
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
  s = CheckDurationFlag("device-cert-lifetime",
                        config.device_certificate_lifetime,
                        kMinDeviceCertLifetime, kMaxDeviceCertLifetime);
  if (!s.ok()) return s;
  const absl::Duration interval =
      absl::Seconds(config.checkin_interval_seconds);
  s = CheckDurationFlag("checkin-interval", interval, kMinCheckinInterval,
                        kMaxCheckinInterval);
  if (!s.ok()) return s;
  s = CheckDurationFlag("validity-window", config.validity_window,
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
    s = CheckDurationFlag("restart-grace", *config.restart_grace,
                          kMinRestartGrace, kMaxRestartGrace);
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

const std::vector<FlagDoc>& ServeFlagDocs() {
  static const auto* docs = [] {
    const ServerConfig defaults;
    return new std::vector<FlagDoc>{
        {"state-dir", "DIR",
         "required: keys, certificates and the database (trellis.db)"},
        {"listen", "HOST:PORT",
         absl::StrCat("address to listen on; port 0-65535, 0 picks a free "
                      "port; IPv6 in brackets (default ",
                      defaults.listen_address, ")")},
        {"advertise", "HOST:PORT",
         "address devices and operators dial, written into tokens and "
         "credentials; port 1-65535; required when --listen is 0.0.0.0 or "
         "[::] (default: the listen address)"},
        {"tls-dns", "NAME,...",
         absl::StrCat("DNS names the server certificate is valid for "
                      "(default ",
                      absl::StrJoin(defaults.tls_dns_names, ","), ")")},
        {"tls-ip", "ADDRESS,...",
         absl::StrCat("IP addresses the server certificate is valid for "
                      "(default ",
                      absl::StrJoin(defaults.tls_ip_addresses, ","), ")")},
        {"device-cert-lifetime", "DURATION",
         absl::StrCat(FormatDurationRange(kMinDeviceCertLifetime,
                                          kMaxDeviceCertLifetime),
                      " (default ",
                      FormatHumanDuration(defaults.device_certificate_lifetime),
                      ")")},
        {"checkin-interval", "DURATION",
         absl::StrCat(
             FormatDurationRange(kMinCheckinInterval, kMaxCheckinInterval),
             " (default ",
             FormatHumanDuration(
                 absl::Seconds(defaults.checkin_interval_seconds)),
             ")")},
        {"validity-window", "DURATION",
         absl::StrCat(
             FormatDurationRange(kMinValidityWindow, kMaxValidityWindow),
             ", longer than --checkin-interval; a device silent "
             "this long is stale (default ",
             FormatHumanDuration(defaults.validity_window), ")")},
        {"restart-grace", "DURATION",
         absl::StrCat(FormatDurationRange(kMinRestartGrace, kMaxRestartGrace),
                      "; no device turns stale this soon after a start "
                      "(default: check-in interval + 5m)")},
        {"enroll-failure-limit", "N",
         absl::StrCat(kMinEnrollFailureLimit, "-", kMaxEnrollFailureLimit,
                      " failed enrolments per address per minute (default ",
                      defaults.enroll_failure_limit, ")")},
        {"vpn-pool", "CIDR",
         absl::StrCat("IPv4 block device tunnel addresses come from (default ",
                      defaults.vpn_pool, ")")},
        {"log-level", "LEVEL", "debug, info (default), warning or error"},
    };
  }();
  return *docs;
}

const std::vector<FlagDoc>& OperatorCreateFlagDocs() {
  static const auto* docs = new std::vector<FlagDoc>{
      {"state-dir", "DIR", "required: the server's state directory"},
      {"name", "NAME", "required: the operator's name"},
      {"role", "ROLE", "required: admin, helpdesk, auditor or gateway"},
      {"out", "FILE", "write the credentials here, mode 0600 (default stdout)"},
      {"server", "HOST:PORT",
       "address written into the credentials; port 1-65535 (default: the "
       "one the running server recorded)"},
      {"lifetime", "DURATION",
       absl::StrCat(
           FormatDurationRange(kMinOperatorLifetime, kMaxOperatorLifetime),
           " (default ", FormatHumanDuration(OperatorRequest().lifetime), ")")},
  };
  return *docs;
}

std::string ServerUsage() {
  return absl::StrCat(
      "usage:\n"
      "  trellis-server [serve] --state-dir DIR [flags]\n",
      FormatFlagDocs(ServeFlagDocs(), 6),
      "  trellis-server operator create --state-dir DIR --name NAME --role "
      "ROLE [flags]\n",
      FormatFlagDocs(OperatorCreateFlagDocs(), 6),
      "  trellis-server --version | --help\n"
      "\n"
      "Durations are written 90s, 15m, 24h or 7d.\n"
      "exit codes: 0 ok, 1 failed (e.g. cannot listen, unreadable state),\n"
      "  2 bad command line.\n");
}

absl::StatusOr<ServeFlags> ParseServeFlags(
    const std::vector<std::string>& argv) {
  auto args = ParseFlags(argv, ServeFlagDocs());
  if (!args.ok()) return args.status();
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
  auto limit = args->GetInt("enroll-failure-limit", config.enroll_failure_limit,
                            kMinEnrollFailureLimit, kMaxEnrollFailureLimit);
  if (!limit.ok()) return limit.status();
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

absl::StatusOr<OperatorCreateFlags> ParseOperatorCreateFlags(
    const std::vector<std::string>& argv) {
  auto args = ParseFlags(argv, OperatorCreateFlagDocs());
  if (!args.ok()) return args.status();
  OperatorCreateFlags flags;
  flags.state_dir = args->Get("state-dir");
  if (flags.state_dir.empty() || !args->Has("name") || !args->Has("role")) {
    return absl::InvalidArgumentError(
        "operator create needs --state-dir, --name and --role");
  }
  flags.out = args->Get("out");
  OperatorRequest& request = flags.request;
  request.name = args->Get("name");
  request.role = args->Get("role");
  auto role = ParseRole(request.role);
  if (!role.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--role: ", role.status().message()));
  }
  if (args->Has("lifetime")) {
    auto lifetime =
        ParseDurationFlag("lifetime", args->Get("lifetime"),
                          kMinOperatorLifetime, kMaxOperatorLifetime);
    if (!lifetime.ok()) return lifetime.status();
    request.lifetime = *lifetime;
  }
  request.server_address = args->Get("server");
  if (args->Has("server")) {
    absl::Status valid = CheckEndpointFlag("server", request.server_address);
    if (!valid.ok()) return valid;
  }
  return flags;
}

}  // namespace trellis::server
