#include "server/pki/state_files.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/util/files.h"

namespace trellis::server {
namespace {

constexpr absl::string_view kBegin = "-----BEGIN ";
constexpr absl::string_view kEnd = "-----END ";
constexpr absl::string_view kDashes = "-----";

// The label of a "-----BEGIN LABEL-----" line at the start of `text`.
absl::string_view BeginLabel(absl::string_view text) {
  if (!absl::StartsWith(text, kBegin)) return "";
  text.remove_prefix(kBegin.size());
  size_t close = text.find(kDashes);
  if (close == absl::string_view::npos) return "";
  absl::string_view label = text.substr(0, close);
  return label.find('\n') == absl::string_view::npos ? label : "";
}

}  // namespace

absl::Status DamagedStateFile(absl::string_view path, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(path, ": ", what));
}

absl::StatusOr<std::string> ReadPemStateFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    return absl::Status(
        text.status().code(),
        absl::StrCat(path, ": cannot be read: ", text.status().message()));
  }
  absl::string_view body = absl::StripAsciiWhitespace(*text);
  if (body.empty()) return DamagedStateFile(path, "the file is empty");
  absl::string_view label = BeginLabel(body);
  if (label.empty()) {
    return DamagedStateFile(path,
                            "does not start with a PEM \"-----BEGIN\" line");
  }
  const std::string end_line = absl::StrCat(kEnd, label, kDashes);
  if (!absl::EndsWith(body, end_line)) {
    return DamagedStateFile(
        path, absl::StrCat("does not end with \"", end_line,
                           "\" (truncated, or text after the PEM block)"));
  }
  if (body.find(kBegin, kBegin.size()) != absl::string_view::npos) {
    return DamagedStateFile(path, "holds more than one PEM block");
  }
  return *std::move(text);
}

}  // namespace trellis::server
