// SQLite's own like(), glob(), instr(), replace() and the two-argument
// trim()/ltrim()/rtrim() do all their work inside one VM step, where the
// progress handler cannot look at the clock: instr() of a 128 KB needle in a
// 256 KB string, or a GLOB of a 200-byte pattern over one, runs for seconds
// in a single step. These replacements give the same answers (ported from
// SQLite 3.40's func.c) but search in linear time where SQLite is quadratic
// (instr, replace, trim) and ask `should_stop` every few thousand units of
// work where backtracking remains (like, glob), so a check's time limit holds
// inside them too.
#ifndef TRELLIS_COMMON_POLICY_SANDBOX_FUNCTIONS_H_
#define TRELLIS_COMMON_POLICY_SANDBOX_FUNCTIONS_H_

#include <sqlite3.h>

#include <functional>

#include "absl/status/status.h"

namespace trellis::policy {

// The error a replacement function stops with once `should_stop` says so.
inline constexpr char kStoppedInFunction[] =
    "stopped inside a string function: the check's time is up";

// Registers the replacements on `db`. `should_stop` must outlive `db`.
absl::Status RegisterSandboxFunctions(sqlite3* db,
                                      const std::function<bool()>* should_stop);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_SANDBOX_FUNCTIONS_H_
