// A small leveled logger writing single lines to stderr:
//   2026-11-23T11:20:00Z INFO  server: listening on 127.0.0.1:8443
// Abseil 20220623 has no absl/log, hence this.
#ifndef TRELLIS_COMMON_UTIL_LOGGING_H_
#define TRELLIS_COMMON_UTIL_LOGGING_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace trellis {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetMinLogLevel(LogLevel level);
// Parses "debug", "info", "warning", "error"; false when unknown.
bool ParseLogLevel(absl::string_view text, LogLevel* level);
// Applies a --log-level value; InvalidArgument naming the choices.
absl::Status SetLogLevelFlag(absl::string_view text);
void LogLine(LogLevel level, absl::string_view message);

template <typename... Args>
void LogDebug(const Args&... args) {
  LogLine(LogLevel::kDebug, absl::StrCat(args...));
}
template <typename... Args>
void LogInfo(const Args&... args) {
  LogLine(LogLevel::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  LogLine(LogLevel::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void LogError(const Args&... args) {
  LogLine(LogLevel::kError, absl::StrCat(args...));
}

}  // namespace trellis

#endif  // TRELLIS_COMMON_UTIL_LOGGING_H_
