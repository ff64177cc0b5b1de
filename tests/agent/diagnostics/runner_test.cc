#include "agent/diagnostics/runner.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "agent/diagnostics/catalogue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/diagnostics/diagnostics_test_util.h"

namespace trellis::agent::diagnostics {
namespace {

using testing::DiagnosticsHarness;
using ::testing::HasSubstr;
using ::testing::Not;

DiagnosticSpec Spec(std::string name,
                    std::function<absl::Status(DiagnosticContext&)> run) {
  DiagnosticSpec spec;
  spec.name = std::move(name);
  spec.description = "test";
  spec.time_bound = absl::Seconds(10);
  spec.max_output_bytes = 64;
  spec.run = std::move(run);
  return spec;
}

TEST(RunnerTest, OutputIsStreamedLineByLine) {
  DiagnosticsHarness h;
  std::vector<DiagnosticSpec> catalogue = {Spec("two-lines", [](auto& c) {
    c.Line("first");
    c.Line("second");
    return absl::OkStatus();
  })};
  auto out = h.Run("two-lines", {}, &catalogue);
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_EQ(out.chunks, (std::vector<std::string>{"first\n", "second\n"}));
  EXPECT_FALSE(out.result.truncated);
  EXPECT_EQ(out.result.output_bytes, 13u);
}

TEST(RunnerTest, HugeOutputIsCutAtTheBoundWithAMarker) {
  DiagnosticsHarness h;
  int lines_written = 0;
  std::vector<DiagnosticSpec> catalogue = {Spec("flood", [&](auto& c) {
    for (int i = 0; i < 10000; ++i) {
      c.Line("0123456789");  // 11 bytes with the newline
      ++lines_written;
    }
    return absl::OkStatus();
  })};
  auto out = h.Run("flood", {}, &catalogue);
  EXPECT_EQ(out.result.state, RunState::kSucceeded);
  EXPECT_TRUE(out.result.truncated);
  EXPECT_EQ(lines_written, 10000);
  // 5 whole lines (55 bytes), 9 bytes of the sixth, then the marker.
  EXPECT_EQ(out.output,
            "0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n"
            "012345678\n[output truncated at 64 bytes]\n");
  EXPECT_EQ(out.result.output_bytes, out.output.size());
}

TEST(RunnerTest, TruncationNeverSplitsAUtf8Character) {
  DiagnosticsHarness h;
  std::vector<DiagnosticSpec> catalogue = {Spec("euros", [](auto& c) {
    c.Line(std::string(62, 'x') + "\xe2\x82\xac");  // '€' crosses byte 64
    return absl::OkStatus();
  })};
  auto out = h.Run("euros", {}, &catalogue);
  EXPECT_TRUE(out.result.truncated);
  EXPECT_EQ(out.output,
            std::string(62, 'x') + "\n[output truncated at 64 bytes]\n");
}

TEST(RunnerTest, RequestMayChangeTheBoundsWithinHardLimits) {
  DiagnosticsHarness h;
  std::vector<DiagnosticSpec> catalogue = {Spec("flood", [](auto& c) {
    for (int i = 0; i < 100; ++i) c.Line("0123456789");
    return absl::OkStatus();
  })};
  DiagnosticRequest request;
  request.name = "flood";
  request.max_output_bytes = 22;
  DiagnosticRunner runner(h.env, &catalogue);
  std::string output;
  RunResult result = runner.Run(
      request, [&](absl::string_view c) { output.append(c.data(), c.size()); });
  EXPECT_EQ(output, "0123456789\n0123456789\n[output truncated at 22 bytes]\n");

  request.max_output_bytes = kMaxOutputBytes + 1;
  DiagnosticRunner too_much(h.env, &catalogue);
  result = too_much.Run(request, [](absl::string_view) {});
  EXPECT_EQ(result.state, RunState::kRefused);
  EXPECT_THAT(result.message, HasSubstr("output bound"));

  request.max_output_bytes = 0;
  request.time_bound = absl::Hours(1);
  DiagnosticRunner too_long(h.env, &catalogue);
  result = too_long.Run(request, [](absl::string_view) {});
  EXPECT_EQ(result.state, RunState::kRefused);
  EXPECT_THAT(result.message, HasSubstr("time bound 1h is outside 1s-5m"));
}

// A command that runs until its deadline, as a hung program would: it uses
// up all the time it is given, then the real runner would kill it.
class HangingRunner : public CommandRunner {
 public:
  explicit HangingRunner(FakeClock& clock) : clock_(clock) {}
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override {
    timeouts.push_back(timeout);
    clock_.Advance(timeout);
    return absl::DeadlineExceededError(argv[0] + " did not finish");
  }
  std::vector<absl::Duration> timeouts;

 private:
  FakeClock& clock_;
};

TEST(RunnerTest, AHungCommandTimesOutAndIsGivenOnlyTheTimeLeft) {
  DiagnosticsHarness h;
  HangingRunner hanging(h.clock);
  h.env.runner = &hanging;
  bool second_step_ran = false;
  std::vector<DiagnosticSpec> catalogue = {Spec("hang", [&](auto& c) {
    h.clock.Advance(absl::Seconds(3));  // a first step took 3 s
    auto run = c.RunCommand({"journalctl", "-n", "5"});
    if (!run.ok()) return run.status();
    second_step_ran = true;
    return absl::OkStatus();
  })};
  auto out = h.Run("hang", {}, &catalogue);
  EXPECT_EQ(out.result.state, RunState::kTimedOut);
  EXPECT_THAT(out.result.message,
              HasSubstr("did not finish within 10s: `journalctl -n 5`"));
  EXPECT_FALSE(second_step_ran);
  EXPECT_EQ(hanging.timeouts, std::vector<absl::Duration>{absl::Seconds(7)});
  EXPECT_EQ(out.result.elapsed, absl::Seconds(10));
}

TEST(RunnerTest, StepsAfterTheDeadlineDoNotRun) {
  DiagnosticsHarness h;
  int steps = 0;
  std::vector<DiagnosticSpec> catalogue = {Spec("slow", [&](auto& c) {
    for (int i = 0; i < 5; ++i) {
      if (absl::Status s = c.CheckContinue(); !s.ok()) return s;
      ++steps;
      h.clock.Advance(absl::Seconds(4));
    }
    return absl::OkStatus();
  })};
  auto out = h.Run("slow", {}, &catalogue);
  EXPECT_EQ(out.result.state, RunState::kTimedOut);
  EXPECT_EQ(steps, 3);
}

// A command that blocks until it is cancelled.
class BlockingRunner : public CommandRunner {
 public:
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>&,
                                    absl::Duration) override {
    return absl::InternalError("should be run cancellably");
  }
  absl::StatusOr<CommandResult> RunCancellable(
      const std::vector<std::string>& argv, absl::Duration,
      const std::atomic<bool>& cancelled) override {
    started.Notify();
    while (!cancelled.load()) absl::SleepFor(absl::Milliseconds(1));
    return absl::CancelledError(argv[0] + " was cancelled");
  }
  absl::Notification started;
};

TEST(RunnerTest, CancelStopsARunningCommand) {
  DiagnosticsHarness h;
  BlockingRunner blocking;
  h.env.runner = &blocking;
  absl::Status command_status;
  std::vector<DiagnosticSpec> catalogue = {Spec("block", [&](auto& c) {
    auto run = c.RunCommand({"journalctl"});
    command_status = run.status();
    return run.status();
  })};
  DiagnosticRunner runner(h.env, &catalogue);
  std::thread canceller([&] {
    blocking.started.WaitForNotification();
    runner.Cancel();
  });
  DiagnosticRequest request;
  request.name = "block";
  RunResult result = runner.Run(request, [](absl::string_view) {});
  canceller.join();
  EXPECT_EQ(result.state, RunState::kCancelled);
  EXPECT_EQ(result.message, "cancelled");
  EXPECT_THAT(command_status.message(), HasSubstr("journalctl was cancelled"));
}

TEST(RunnerTest, CancelKillsARealProcess) {
  DiagnosticsHarness h;
  RealCommandRunner real;
  h.env.runner = &real;
  absl::Notification about_to_run;
  absl::Status command_status;
  std::vector<DiagnosticSpec> catalogue = {Spec("sleep", [&](auto& c) {
    about_to_run.Notify();
    auto run = c.RunCommand({"sleep", "30"});
    command_status = run.status();
    return run.status();
  })};
  catalogue[0].time_bound = absl::Seconds(60);
  DiagnosticRunner runner(h.env, &catalogue);
  std::thread canceller([&] {
    about_to_run.WaitForNotification();
    absl::SleepFor(absl::Milliseconds(200));  // let sleep(1) start
    runner.Cancel();
  });
  DiagnosticRequest request;
  request.name = "sleep";
  RunResult result = runner.Run(request, [](absl::string_view) {});
  canceller.join();
  EXPECT_EQ(result.state, RunState::kCancelled);
  // The runner killed it (without that, sleep exits 0 after 30 s).
  EXPECT_TRUE(absl::IsCancelled(command_status)) << command_status;
  EXPECT_THAT(command_status.message(), HasSubstr("sleep was cancelled"));
}

TEST(RunnerTest, CancelBetweenStepsAndBeforeTheRun) {
  DiagnosticsHarness h;
  DiagnosticRunner* self = nullptr;
  int steps = 0;
  std::vector<DiagnosticSpec> catalogue = {Spec("steps", [&](auto& c) {
    for (int i = 0; i < 5; ++i) {
      if (absl::Status s = c.CheckContinue(); !s.ok()) return s;
      if (++steps == 2) self->Cancel();
    }
    return absl::OkStatus();
  })};
  DiagnosticRunner runner(h.env, &catalogue);
  self = &runner;
  DiagnosticRequest request;
  request.name = "steps";
  EXPECT_EQ(runner.Run(request, [](absl::string_view) {}).state,
            RunState::kCancelled);
  EXPECT_EQ(steps, 2);

  DiagnosticRunner early(h.env, &catalogue);
  early.Cancel();
  steps = 0;
  EXPECT_EQ(early.Run(request, [](absl::string_view) {}).state,
            RunState::kCancelled);
  EXPECT_EQ(steps, 0);
}

TEST(RunnerTest, FailuresAndRefusalsSayWhy) {
  DiagnosticsHarness h;
  std::vector<DiagnosticSpec> catalogue = {Spec("broken", [](auto&) {
    return absl::UnavailableError("step two failed: no route");
  })};
  auto failed = h.Run("broken", {}, &catalogue);
  EXPECT_EQ(failed.result.state, RunState::kFailed);
  EXPECT_EQ(failed.result.message, "step two failed: no route");

  auto unknown = h.Run("rm-rf", {}, &catalogue);
  EXPECT_EQ(unknown.result.state, RunState::kRefused);
  EXPECT_THAT(unknown.result.message, HasSubstr("no diagnostic named 'rm-rf'"));

  auto bad_param = h.Run("broken", {{"x", "1"}}, &catalogue);
  EXPECT_EQ(bad_param.result.state, RunState::kRefused);
  EXPECT_THAT(bad_param.result.message,
              HasSubstr("unknown parameter 'x' for broken (it takes none)"));
}

TEST(RunnerTest, OneRunPerRunner) {
  DiagnosticsHarness h;
  std::vector<DiagnosticSpec> catalogue = {
      Spec("ok", [](auto&) { return absl::OkStatus(); })};
  DiagnosticRunner runner(h.env, &catalogue);
  DiagnosticRequest request;
  request.name = "ok";
  EXPECT_EQ(runner.Run(request, [](absl::string_view) {}).state,
            RunState::kSucceeded);
  EXPECT_EQ(runner.Run(request, [](absl::string_view) {}).state,
            RunState::kRefused);
}

}  // namespace
}  // namespace trellis::agent::diagnostics
