#include "gateway/sync/peer_watcher.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/util/logging.h"

namespace trellis::gateway {
namespace {

// Completion queue tags of the one call in flight.
enum class Tag : intptr_t { kStart = 1, kRead = 2, kFinish = 3 };

void* TagPtr(Tag tag) { return reinterpret_cast<void*>(tag); }

}  // namespace

PeerWatcher::PeerWatcher(std::shared_ptr<grpc::ChannelInterface> channel,
                         WireGuardInterface* interface,
                         QuarantineFirewall* firewall,
                         PeerWatcherOptions options)
    : channel_(std::move(channel)),
      stub_(v1::GatewayService::NewStub(channel_)),
      options_(options),
      applier_(interface, firewall, options.clock,
               options.full_reconcile_interval) {}

void PeerWatcher::Stop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
  if (active_call_ != nullptr) active_call_->TryCancel();
}

bool PeerWatcher::Stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

bool PeerWatcher::WaitUnlessStopped(absl::Duration delay) {
  // A failed call leaves nothing polling the channel's sockets, so its
  // background reconnection would advance only on gRPC's backup poller
  // (every 5 s) and a TLS handshake could time out half done. Watching the
  // connectivity state polls them. The wait ends early when the channel
  // becomes ready, so a restarted server is followed at once; a server that
  // refuses calls on a ready channel still gets the full delay.
  constexpr absl::Duration kSlice = absl::Milliseconds(50);
  absl::Time end = absl::Now() + delay;
  grpc_connectivity_state at_start = channel_->GetState(true);
  while (!Stopping()) {
    absl::Time now = absl::Now();
    if (now >= end) return true;
    grpc_connectivity_state state = channel_->GetState(true);
    if (state == GRPC_CHANNEL_READY && at_start != GRPC_CHANNEL_READY) {
      return true;
    }
    channel_->WaitForStateChange(
        state, absl::ToChronoTime(std::min(end, now + kSlice)));
  }
  return false;
}

PeerWatcherStatus PeerWatcher::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

void PeerWatcher::Run() {
  absl::Duration backoff = options_.initial_backoff;
  while (!Stopping()) {
    StreamResult result = RunStream();
    if (Stopping()) break;
    if (result.healthy) backoff = options_.initial_backoff;
    LogStreamEnd(result, backoff);
    if (!WaitUnlessStopped(backoff)) break;
    if (!result.healthy) backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void PeerWatcher::LogStreamEnd(const StreamResult& result,
                               absl::Duration retry_in) {
  std::string retry = absl::StrCat(
      "; reconnecting in ", absl::FormatDuration(retry_in),
      applier_.table().resumable()
          ? absl::StrCat(" from serial ", applier_.table().serial())
          : std::string(" for a fresh snapshot"));
  if (!result.local_error.ok()) {
    LogWarning("peer stream: ", result.local_error.message(), retry);
    return;
  }
  grpc::StatusCode code = result.rpc_status.error_code();
  if (code == grpc::StatusCode::UNAUTHENTICATED ||
      code == grpc::StatusCode::PERMISSION_DENIED) {
    LogError("peer stream refused by the server (",
             result.rpc_status.error_message(),
             "): the credentials must be a gateway credential from "
             "`trellis-server operator create NAME --role gateway`",
             retry);
    return;
  }
  LogWarning("peer stream ended: code ", static_cast<int>(code), " ",
             result.rpc_status.error_message(), retry);
}

absl::Status PeerWatcher::Handle(const v1::PeerUpdate& update) {
  absl::Status applied = applier_.Apply(update);
  const PeerTable& table = applier_.table();
  absl::MutexLock lock(&mu_);
  status_.synced = table.resumable();
  status_.feed_id = table.feed_id();
  status_.serial = table.serial();
  status_.peers_allowed = table.peers().size();
  return applied;
}

PeerWatcher::StreamResult PeerWatcher::RunStream() {
  StreamResult result;
  v1::WatchPeersRequest request;
  if (applier_.table().resumable()) {
    request.set_feed_id(applier_.table().feed_id());
    request.set_after_serial(applier_.table().serial());
  }
  grpc::ClientContext context;
  grpc::CompletionQueue queue;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return result;
    active_call_ = &context;
    ++status_.streams_started;
  }
  LogDebug("peer stream: WatchPeers feed '", request.feed_id(),
           "' after serial ", request.after_serial());
  std::unique_ptr<grpc::ClientAsyncReaderInterface<v1::PeerUpdate>> reader =
      stub_->PrepareAsyncWatchPeers(&context, request, &queue);
  reader->StartCall(TagPtr(Tag::kStart));

  v1::PeerUpdate update;
  bool cancelled = false;
  absl::Time deadline = absl::Now() + options_.idle_timeout;
  auto end_call = [&](absl::Status why) {
    if (!cancelled) {
      result.local_error = std::move(why);
      context.TryCancel();
      cancelled = true;
    }
  };
  bool finished = false;
  while (!finished) {
    void* tag = nullptr;
    bool ok = false;
    grpc::CompletionQueue::NextStatus next =
        queue.AsyncNext(&tag, &ok, absl::ToChronoTime(deadline));
    if (next == grpc::CompletionQueue::SHUTDOWN) break;
    if (next == grpc::CompletionQueue::TIMEOUT) {
      // Cancelling completes the pending read, which then finishes the call.
      end_call(absl::DeadlineExceededError(
          absl::StrCat("no message (not even a heartbeat) for ",
                       absl::FormatDuration(options_.idle_timeout))));
      deadline = absl::Now() + options_.idle_timeout;
      continue;
    }
    switch (static_cast<Tag>(reinterpret_cast<intptr_t>(tag))) {
      case Tag::kStart:
        if (ok) {
          reader->Read(&update, TagPtr(Tag::kRead));
        } else {
          reader->Finish(&result.rpc_status, TagPtr(Tag::kFinish));
        }
        break;
      case Tag::kRead: {
        if (!ok) {
          reader->Finish(&result.rpc_status, TagPtr(Tag::kFinish));
          break;
        }
        deadline = absl::Now() + options_.idle_timeout;
        if (!result.healthy) {
          LogInfo("peer stream: connected, ",
                  request.feed_id().empty()
                      ? std::string("receiving a snapshot")
                      : absl::StrCat("resuming after serial ",
                                     request.after_serial()));
        }
        absl::Status handled = Handle(update);
        if (handled.ok()) {
          result.healthy = true;
          reader->Read(&update, TagPtr(Tag::kRead));
        } else {
          end_call(handled);
          reader->Finish(&result.rpc_status, TagPtr(Tag::kFinish));
        }
        break;
      }
      case Tag::kFinish:
        finished = true;
        break;
    }
  }
  {
    absl::MutexLock lock(&mu_);
    active_call_ = nullptr;
  }
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  return result;
}

}  // namespace trellis::gateway
