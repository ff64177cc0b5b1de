// Helpers for the Android collector tests: recorded outputs from
// tests/fixtures/android/, canned command results, and a compact rendering of
// fact rows so a whole row is checked in one comparison.
#ifndef TRELLIS_TESTS_AGENT_FACTS_ANDROID_ANDROID_TEST_UTIL_H_
#define TRELLIS_TESTS_AGENT_FACTS_ANDROID_ANDROID_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/collector.h"
#include "common/exec/command_runner.h"
#include "common/facts/fact_schema.h"
#include "common/util/files.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/collector_test_util.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::android_facts::android_test {

// The recorded output tests/fixtures/android/<name>; fails the test if the
// fixture is missing, so a typo cannot turn into a silently empty input.
inline std::string Fixture(const std::string& name) {
  absl::StatusOr<std::string> text = ReadFile(
      absl::StrCat(TRELLIS_SOURCE_DIR, "/tests/fixtures/android/", name));
  EXPECT_TRUE(text.ok()) << name << ": " << text.status();
  return text.ok() ? *text : std::string();
}

inline CommandResult Result(int exit_code, std::string out,
                            std::string err = "") {
  CommandResult r;
  r.exit_code = exit_code;
  r.stdout_text = std::move(out);
  r.stderr_text = std::move(err);
  return r;
}

inline CommandResult Ok(std::string out, std::string err = "") {
  return Result(0, std::move(out), std::move(err));
}

// Loads a recorded shell session (tests/fixtures/android/*.session) into
// `runner`. "$ <command>" starts a command; the lines after it, verbatim
// (a "\r" included), are its stdout; "[stderr] text" adds a stderr line;
// "[exit N]" sets its exit status. "#" lines before the first command are
// comments. Returns the number of commands, so a test can check the
// recording was read at all.
inline int LoadSession(const std::string& fixture, FakeCommandRunner& runner) {
  std::string text = Fixture(fixture);
  std::string command;
  CommandResult result;
  int count = 0;
  auto flush = [&] {
    if (command.empty()) return;
    runner.Set(command, result);
    ++count;
    command.clear();
    result = CommandResult();
  };
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  // A file ending in "\n" yields one empty last element that is not output.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (absl::string_view line : lines) {
    if (absl::ConsumePrefix(&line, "$ ")) {
      flush();
      command = std::string(line);
    } else if (command.empty()) {
      EXPECT_TRUE(line.empty() || absl::StartsWith(line, "#")) << line;
    } else if (absl::ConsumePrefix(&line, "[stderr] ")) {
      absl::StrAppend(&result.stderr_text, line, "\n");
    } else if (absl::ConsumePrefix(&line, "[exit ")) {
      EXPECT_TRUE(absl::ConsumeSuffix(&line, "]"));
      EXPECT_TRUE(absl::SimpleAtoi(line, &result.exit_code)) << line;
    } else {
      absl::StrAppend(&result.stdout_text, line, "\n");
    }
  }
  flush();
  return count;
}

// Shared helpers (tests/agent/facts/collector_test_util.h).
using ::trellis::agent::collector_testing::CollectChecked;
using ::trellis::agent::collector_testing::RowString;
using ::trellis::agent::collector_testing::ValueString;

}  // namespace trellis::agent::android_facts::android_test

#endif  // TRELLIS_TESTS_AGENT_FACTS_ANDROID_ANDROID_TEST_UTIL_H_
