// What diagnostics measure beyond commands and files, behind interfaces so
// tests can fake them: name resolution and connection timing, filesystem
// usage, and the server's clock.
#ifndef TRELLIS_AGENT_DIAGNOSTICS_PROBES_H_
#define TRELLIS_AGENT_DIAGNOSTICS_PROBES_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace trellis::agent::diagnostics {

class NetworkProbe {
 public:
  virtual ~NetworkProbe() = default;
  // The addresses `host` resolves to (numeric text, resolver order, no
  // repeats). DeadlineExceeded after `timeout`, Cancelled soon after
  // `cancelled` is set, Unavailable "cannot resolve: ..." otherwise.
  virtual absl::StatusOr<std::vector<std::string>> Resolve(
      const std::string& host, absl::Duration timeout,
      const std::atomic<bool>& cancelled) = 0;
  // Opens (and closes) a TCP connection to the numeric `address`.
  virtual absl::Status TcpConnect(const std::string& address, int port,
                                  absl::Duration timeout,
                                  const std::atomic<bool>& cancelled) = 0;
  // A TLS handshake with `host_port` on a connection of its own; nothing is
  // verified (this measures reachability, it trusts nothing).
  virtual absl::Status TlsHandshake(const std::string& host_port,
                                    absl::Duration timeout) = 0;
};

// getaddrinfo on a helper thread (so the wait is bounded and can be
// cancelled), non-blocking connect, net::FetchPeerCertificates.
class RealNetworkProbe : public NetworkProbe {
 public:
  absl::StatusOr<std::vector<std::string>> Resolve(
      const std::string& host, absl::Duration timeout,
      const std::atomic<bool>& cancelled) override;
  absl::Status TcpConnect(const std::string& address, int port,
                          absl::Duration timeout,
                          const std::atomic<bool>& cancelled) override;
  absl::Status TlsHandshake(const std::string& host_port,
                            absl::Duration timeout) override;
};

struct FilesystemUsage {
  uint64_t total_bytes = 0;
  // Free for an unprivileged user (statvfs f_bavail): what the agent and
  // the employee can still write.
  uint64_t available_bytes = 0;
};

class FilesystemStats {
 public:
  virtual ~FilesystemStats() = default;
  virtual absl::StatusOr<FilesystemUsage> Usage(const std::string& path) = 0;
};

class RealFilesystemStats : public FilesystemStats {
 public:
  absl::StatusOr<FilesystemUsage> Usage(const std::string& path) override;
};

// The server's current time. The live channel provides it (a round trip on
// the open stream); the local command has none.
class ServerClock {
 public:
  virtual ~ServerClock() = default;
  virtual absl::StatusOr<absl::Time> ServerNow(absl::Duration timeout) = 0;
};

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_PROBES_H_
