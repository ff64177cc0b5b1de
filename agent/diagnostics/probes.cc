#include "agent/diagnostics/probes.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/net/tls_peer_certificate.h"

namespace trellis::agent::diagnostics {
namespace {

// How often a wait looks at the cancel flag.
constexpr absl::Duration kCancelPoll = absl::Milliseconds(50);

// What the resolver thread hands back; shared, so a wait that gives up
// leaves the thread something valid to write into.
struct Lookup {
  absl::Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;
  int rc ABSL_GUARDED_BY(mu) = 0;
  std::vector<std::string> addresses ABSL_GUARDED_BY(mu);
};

void ResolveInto(const std::string& host, const std::shared_ptr<Lookup>& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  std::vector<std::string> addresses;
  for (addrinfo* ai = found; rc == 0 && ai != nullptr; ai = ai->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw =
        ai->ai_family == AF_INET
            ? static_cast<const void*>(
                  &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
            : static_cast<const void*>(
                  &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    if (::inet_ntop(ai->ai_family, raw, text, sizeof(text)) == nullptr) {
      continue;
    }
    if (std::find(addresses.begin(), addresses.end(), text) ==
        addresses.end()) {
      addresses.push_back(text);
    }
  }
  if (found != nullptr) ::freeaddrinfo(found);
  absl::MutexLock lock(&out->mu);
  out->rc = rc;
  out->addresses = std::move(addresses);
  out->done = true;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> RealNetworkProbe::Resolve(
    const std::string& host, absl::Duration timeout,
    const std::atomic<bool>& cancelled) {
  // getaddrinfo cannot be interrupted: it runs on a thread of its own that
  // is left to finish by itself when the wait gives up.
  auto lookup = std::make_shared<Lookup>();
  std::thread([host, lookup] { ResolveInto(host, lookup); }).detach();
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&lookup->mu);
  while (!lookup->done) {
    if (cancelled.load()) return absl::CancelledError("cancelled");
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          absl::StrCat("name resolution did not finish within ",
                       absl::FormatDuration(timeout)));
    }
    lookup->mu.AwaitWithTimeout(absl::Condition(&lookup->done),
                                std::min(left, kCancelPoll));
  }
  if (lookup->rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve: ", gai_strerror(lookup->rc)));
  }
  if (lookup->addresses.empty()) {
    return absl::UnavailableError("cannot resolve: no addresses");
  }
  return lookup->addresses;
}

absl::Status RealNetworkProbe::TcpConnect(const std::string& address, int port,
                                          absl::Duration timeout,
                                          const std::atomic<bool>& cancelled) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof(*v4);
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof(*v6);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("'", address, "' is not an IP address"));
  }
  int fd = ::socket(storage.ss_family,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::connect(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0) {
    return absl::OkStatus();
  }
  if (errno != EINPROGRESS) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect: ", std::strerror(errno)));
  }
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    if (cancelled.load()) return absl::CancelledError("cancelled");
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError("connect timed out");
    }
    pollfd p{fd, POLLOUT, 0};
    int n = ::poll(&p, 1,
                   static_cast<int>(
                       absl::ToInt64Milliseconds(std::min(left, kCancelPoll))) +
                       1);
    if (n < 0 && errno != EINTR) {
      return absl::InternalError(std::strerror(errno));
    }
    if (n > 0) break;
  }
  int error = 0;
  socklen_t len = sizeof(error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect: ", std::strerror(error)));
  }
  return absl::OkStatus();
}

absl::Status RealNetworkProbe::TlsHandshake(const std::string& host_port,
                                            absl::Duration timeout) {
  net::TlsPeerOptions options;
  options.timeout = timeout;
  options.alpn = "h2";  // the server is a gRPC server
  return net::FetchPeerCertificates(host_port, options).status();
}

absl::StatusOr<FilesystemUsage> RealFilesystemStats::Usage(
    const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0) {
    return absl::UnavailableError(
        absl::StrCat("statvfs ", path, ": ", std::strerror(errno)));
  }
  FilesystemUsage usage;
  usage.total_bytes = static_cast<uint64_t>(st.f_blocks) * st.f_frsize;
  usage.available_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  return usage;
}

}  // namespace trellis::agent::diagnostics
