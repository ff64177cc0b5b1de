#include "agent/diagnostics/runner.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/consent.h"
#include "agent/diagnostics/params.h"
#include "common/util/args.h"
#include "common/util/utf8.h"

namespace trellis::agent::diagnostics {

const char* RunStateName(RunState state) {
  switch (state) {
    case RunState::kSucceeded:
      return "succeeded";
    case RunState::kFailed:
      return "failed";
    case RunState::kTimedOut:
      return "timed_out";
    case RunState::kCancelled:
      return "cancelled";
    case RunState::kRefused:
      return "refused";
  }
  return "?";
}

namespace {

class BoundedRunner : public CommandRunner {
 public:
  explicit BoundedRunner(DiagnosticContext& context) : context_(context) {}
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override {
    if (absl::Status s = context_.CheckContinue(); !s.ok()) return s;
    return context_.env().runner->RunCancellable(
        argv, std::min(timeout, context_.Remaining()), context_.cancel_flag());
  }

 private:
  DiagnosticContext& context_;
};

}  // namespace

DiagnosticContext::DiagnosticContext(const DiagnosticEnvironment& env,
                                     const Params& params, absl::Time deadline,
                                     size_t max_output_bytes,
                                     const std::atomic<bool>& cancelled,
                                     const OutputSink& sink)
    : env_(env),
      params_(params),
      deadline_(deadline),
      max_output_bytes_(max_output_bytes),
      cancelled_(cancelled),
      sink_(sink),
      bounded_runner_(std::make_unique<BoundedRunner>(*this)) {}

void DiagnosticContext::Line(absl::string_view text) {
  if (truncated_) return;
  std::string line = absl::StrCat(text, "\n");
  if (output_bytes_ + line.size() <= max_output_bytes_) {
    output_bytes_ += line.size();
    sink_(line);
    return;
  }
  // Cut at the bound, never inside a UTF-8 sequence.
  size_t room = max_output_bytes_ - output_bytes_;
  size_t cut = 0;
  while (cut < room) {
    size_t n = Utf8SequenceLength(line, cut);
    if (n == 0) n = 1;  // an invalid byte stands alone
    if (cut + n > room) break;
    cut += n;
  }
  truncated_ = true;
  std::string tail =
      absl::StrCat(line.substr(0, cut), cut > 0 ? "\n" : "",
                   "[output truncated at ", max_output_bytes_, " bytes]\n");
  output_bytes_ += tail.size();
  sink_(tail);
}

absl::Duration DiagnosticContext::Remaining() const {
  return std::max(deadline_ - env_.clock->Now(), absl::ZeroDuration());
}

absl::Status DiagnosticContext::CheckContinue() const {
  if (Cancelled()) return absl::CancelledError("cancelled");
  if (Remaining() <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError("out of time");
  }
  return absl::OkStatus();
}

absl::StatusOr<CommandResult> DiagnosticContext::RunCommand(
    const std::vector<std::string>& argv) {
  auto result = runner().Run(argv, Remaining());
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        absl::StrCat("`", absl::StrJoin(argv, " "),
                                     "`: ", result.status().message()));
  }
  return result;
}

DiagnosticRunner::DiagnosticRunner(DiagnosticEnvironment env,
                                   const std::vector<DiagnosticSpec>* catalogue)
    : env_(std::move(env)),
      catalogue_(catalogue != nullptr ? *catalogue : Catalogue()) {}

RunResult DiagnosticRunner::Run(const DiagnosticRequest& request,
                                const OutputSink& sink) {
  const absl::Time start = env_.clock->Now();
  RunResult result = Execute(request, sink, start);
  result.elapsed = env_.clock->Now() - start;
  return result;
}

RunResult DiagnosticRunner::Execute(const DiagnosticRequest& request,
                                    const OutputSink& sink, absl::Time start) {
  RunResult result;
  auto refuse = [&](absl::string_view why) {
    result.state = RunState::kRefused;
    result.message = std::string(why);
    return result;
  };
  if (used_.exchange(true)) {
    return refuse("this runner has already run a diagnostic");
  }
  const DiagnosticSpec* spec = FindDiagnostic(catalogue_, request.name);
  if (spec == nullptr) {
    return refuse(absl::StrCat("no diagnostic named '",
                               request.name.substr(0, 64),
                               "' (see trellis-agent diagnose --list)"));
  }
  auto params = ValidateParams(*spec, request.params);
  if (!params.ok()) return refuse(params.status().message());
  absl::Duration bound = spec->time_bound;
  if (request.time_bound != absl::ZeroDuration()) {
    if (request.time_bound < absl::Seconds(1) ||
        request.time_bound > kMaxTimeBound) {
      return refuse(
          absl::StrCat("time bound ", absl::FormatDuration(request.time_bound),
                       " is outside 1s-", FormatHumanDuration(kMaxTimeBound)));
    }
    bound = request.time_bound;
  }
  size_t max_output = spec->max_output_bytes;
  if (request.max_output_bytes != 0) {
    if (request.max_output_bytes > kMaxOutputBytes) {
      return refuse(absl::StrCat("output bound ", request.max_output_bytes,
                                 " bytes is above ", kMaxOutputBytes));
    }
    max_output = request.max_output_bytes;
  }
  if (absl::Status consent =
          CheckConsent(spec->privacy, *env_.state, *env_.clock);
      !consent.ok()) {
    return refuse(consent.message());
  }
  DiagnosticContext context(env_, *params, start + bound, max_output,
                            cancelled_, sink);
  absl::Status status = context.CheckContinue();
  if (status.ok()) status = spec->run(context);
  result.truncated = context.truncated();
  result.output_bytes = context.output_bytes();
  if (cancelled_.load()) {
    result.state = RunState::kCancelled;
    result.message = "cancelled";
  } else if (!status.ok() && (absl::IsDeadlineExceeded(status) ||
                              context.Remaining() <= absl::ZeroDuration())) {
    result.state = RunState::kTimedOut;
    result.message =
        absl::StrCat("did not finish within ", FormatHumanDuration(bound), ": ",
                     status.message());
  } else if (!status.ok()) {
    result.state = RunState::kFailed;
    result.message = std::string(status.message());
  } else {
    result.state = RunState::kSucceeded;
    result.message = "done";
  }
  return result;
}

}  // namespace trellis::agent::diagnostics
