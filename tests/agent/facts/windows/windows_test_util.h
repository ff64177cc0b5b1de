// Helpers for the Windows collector tests: recorded outputs from
// tests/fixtures/windows/, canned command results, and a compact rendering of
// fact rows so a whole row is checked in one comparison.
#ifndef TRELLIS_TESTS_AGENT_FACTS_WINDOWS_WINDOWS_TEST_UTIL_H_
#define TRELLIS_TESTS_AGENT_FACTS_WINDOWS_WINDOWS_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/facts/collector.h"
#include "agent/facts/windows/powershell.h"
#include "common/exec/command_runner.h"
#include "common/facts/fact_schema.h"
#include "common/util/files.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/collector_test_util.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::windows_facts::windows_test {

// The recorded output tests/fixtures/windows/<name>; fails the test if the
// fixture is missing, so a typo cannot turn into a silently empty input.
inline std::string Fixture(const std::string& name) {
  absl::StatusOr<std::string> text = ReadFile(
      absl::StrCat(TRELLIS_SOURCE_DIR, "/tests/fixtures/windows/", name));
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

// The FakeCommandRunner key for running `script` through PowerShell.
inline std::string Key(const char* script) {
  return absl::StrJoin(PowerShellJsonArgv(script), " ");
}

// Shared helpers (tests/agent/facts/collector_test_util.h).
using ::trellis::agent::collector_testing::CollectChecked;
using ::trellis::agent::collector_testing::RowString;
using ::trellis::agent::collector_testing::ValueString;

}  // namespace trellis::agent::windows_facts::windows_test

#endif  // TRELLIS_TESTS_AGENT_FACTS_WINDOWS_WINDOWS_TEST_UTIL_H_
