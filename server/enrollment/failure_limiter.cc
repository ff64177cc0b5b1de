#include "server/enrollment/failure_limiter.h"

#include "absl/strings/str_cat.h"

namespace trellis::server {
namespace {
// Bounds memory when many hosts fail. When full, hosts whose failures have
// all aged out are dropped; if none have, an arbitrary host is forgotten
// (losing one host's count is better than unbounded growth).
constexpr size_t kMaxTrackedPeers = 100000;
}  // namespace

void FailureLimiter::Expire(std::deque<absl::Time>& times, absl::Time now) {
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
}

absl::Status FailureLimiter::Check(const std::string& peer) {
  absl::MutexLock lock(&mu_);
  auto it = failures_.find(peer);
  if (it == failures_.end()) return absl::OkStatus();
  absl::Time now = clock_->Now();
  Expire(it->second, now);
  if (static_cast<int>(it->second.size()) < limit_) {
    if (it->second.empty()) failures_.erase(it);
    return absl::OkStatus();
  }
  absl::Duration wait = window_ - (now - it->second.front());
  return absl::ResourceExhaustedError(absl::StrCat(
      "too many failed enrolment attempts from this address; retry in ",
      absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1))), "s"));
}

void FailureLimiter::RecordFailure(const std::string& peer) {
  absl::MutexLock lock(&mu_);
  absl::Time now = clock_->Now();
  if (failures_.size() >= kMaxTrackedPeers && !failures_.contains(peer)) {
    absl::erase_if(failures_, [&](const auto& entry) {
      return entry.second.empty() || now - entry.second.back() >= window_;
    });
    if (failures_.size() >= kMaxTrackedPeers)
      failures_.erase(failures_.begin());
  }
  auto& times = failures_[peer];
  times.push_back(now);
  while (static_cast<int>(times.size()) > limit_) times.pop_front();
}

}  // namespace trellis::server
