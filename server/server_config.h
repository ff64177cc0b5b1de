// Everything trellis-server can be told at start.
#ifndef TRELLIS_SERVER_SERVER_CONFIG_H_
#define TRELLIS_SERVER_SERVER_CONFIG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/util/clock.h"

namespace trellis::server {

struct ServerConfig {
  // Holds ca.crt/ca.key, server.crt/server.key and trellis.db.
  std::string state_dir;
  // host:port to bind; port 0 picks a free port.
  std::string listen_address = "127.0.0.1:8443";
  // host:port written into enrolment tokens and operator credentials.
  // Empty: the listen address with the bound port.
  std::string advertised_address;
  // Names and addresses the server's TLS certificate is valid for.
  std::vector<std::string> tls_dns_names = {"localhost"};
  std::vector<std::string> tls_ip_addresses = {"127.0.0.1", "::1"};

  absl::Duration device_certificate_lifetime = absl::Hours(24);
  int checkin_interval_seconds = 300;
  // A device silent for longer than this is stale (treated as
  // noncompliant). Default: three check-in intervals.
  absl::Duration validity_window = absl::Minutes(15);
  // After a start, no device becomes stale until this has passed, so time
  // the server was down never counts as silence (compliance/staleness.h).
  // Unset: the check-in interval plus the agents' default back-off (5 min).
  std::optional<absl::Duration> restart_grace;
  // How often compliance timers (grace deadlines, staleness) are checked.
  absl::Duration sweep_period = absl::Seconds(1);
  // How often a signed checkpoint of the audit chain head is written (when
  // the chain grew); one is also written at clean shutdown. 0: only then.
  absl::Duration audit_checkpoint_period = absl::Minutes(1);

  // Failed enrolment attempts allowed per peer address in the window.
  int enroll_failure_limit = 10;
  absl::Duration enroll_failure_window = absl::Minutes(1);

  // IPv4 block device tunnel addresses come from. Its first host is left
  // for the gateway's own tunnel address.
  std::string vpn_pool = "10.200.0.0/16";
  // How often an idle gateway feed sends a heartbeat.
  absl::Duration peer_feed_heartbeat = absl::Seconds(5);
  // How often an open gateway stream's credential is checked again; a
  // replaced, expired or downgraded credential ends the stream. Gateways
  // are few, so a second (one indexed read per stream) costs nothing.
  absl::Duration gateway_recheck_period = absl::Seconds(1);

  // Largest request the server accepts, in bytes.
  int max_request_bytes = 1 << 20;

  Clock* clock = Clock::Real();
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_SERVER_CONFIG_H_
