#include "agent/facts/windows/powershell.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace trellis::agent::windows_facts {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::string FirstLine(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, absl::ByAnyChar("\r\n"))) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) return std::string(line.substr(0, 200));
  }
  return "";
}

// What stderr says went wrong, or "" when it says nothing. PowerShell
// writes CLIXML to a redirected stderr when it has records to serialise;
// progress records there are noise, error records are the message.
std::string StderrError(absl::string_view err) {
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(err);
  if (!absl::StartsWith(trimmed, "#< CLIXML")) return FirstLine(err);
  constexpr absl::string_view kErrorTag = "<S S=\"Error\">";
  size_t start = trimmed.find(kErrorTag);
  if (start == absl::string_view::npos) return "";
  start += kErrorTag.size();
  size_t end = trimmed.find("</S>", start);
  std::string message(trimmed.substr(start, end - start));
  // CLIXML escapes control characters as _xHHHH_.
  message = absl::StrReplaceAll(
      message, {{"_x000D__x000A_", " "}, {"_x000A_", " "}, {"_x000D_", " "}});
  return FirstLine(message);
}

// Does this trimmed line start a JSON value?
bool StartsJson(absl::string_view line) {
  if (line.empty()) return false;
  char c = line[0];
  if (c == '[' || c == '{' || c == '"' || c == '-' ||
      absl::ascii_isdigit(static_cast<unsigned char>(c))) {
    return true;
  }
  return line == "true" || line == "false" || line == "null";
}

const Value* Field(const Struct& object, absl::string_view field) {
  auto it = object.fields().find(std::string(field));
  if (it == object.fields().end()) return nullptr;
  return &it->second;
}

std::optional<int64_t> IntegralNumber(double d) {
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e15) {
    return std::nullopt;
  }
  return static_cast<int64_t>(d);
}

}  // namespace

std::vector<std::string> PowerShellJsonArgv(absl::string_view script) {
  return {
      "powershell.exe", "-NoProfile", "-NonInteractive", "-Command",
      absl::StrCat("$ProgressPreference = 'SilentlyContinue'; "
                   "[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ",
                   script, " | ConvertTo-Json -Depth 3")};
}

std::optional<std::string> PowerShellFailure(const CommandResult& result) {
  std::string error = StderrError(result.stderr_text);
  if (result.exit_code != 0) {
    if (error.empty()) error = FirstLine(result.stdout_text);
    if (error.empty()) error = "no output";
    return absl::StrCat("exited with status ", result.exit_code, ": ", error);
  }
  if (!error.empty()) return absl::StrCat("reported an error: ", error);
  return std::nullopt;
}

absl::StatusOr<std::string> RunPowerShell(CollectContext& ctx,
                                          absl::string_view label,
                                          absl::string_view script) {
  absl::StatusOr<CommandResult> result =
      ctx.runner->Run(PowerShellJsonArgv(script), ctx.command_timeout);
  if (!result.ok()) {
    return absl::Status(
        result.status().code(),
        absl::StrCat(label, " (PowerShell): ", result.status().message()));
  }
  if (std::optional<std::string> failure = PowerShellFailure(*result)) {
    return absl::FailedPreconditionError(
        absl::StrCat(label, " (PowerShell): ", *failure));
  }
  return std::move(result->stdout_text);
}

absl::StatusOr<Value> ParsePowerShellJson(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  Value value;
  if (absl::StripAsciiWhitespace(text).empty()) {
    value.set_null_value(google::protobuf::NULL_VALUE);
    return value;
  }
  // Skip whatever precedes the JSON (WARNING: lines and the like).
  size_t offset = 0;
  bool found = false;
  while (offset < text.size()) {
    size_t end = text.find('\n', offset);
    if (end == absl::string_view::npos) end = text.size();
    if (StartsJson(
            absl::StripAsciiWhitespace(text.substr(offset, end - offset)))) {
      found = true;
      break;
    }
    offset = end + 1;
  }
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat("no JSON in output: '", FirstLine(text), "'"));
  }
  std::string json(text.substr(offset));
  auto status = google::protobuf::util::JsonStringToMessage(json, &value);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unreadable JSON (",
                     std::string(status.message()).substr(0, 120), ")"));
  }
  return value;
}

absl::StatusOr<std::vector<Struct>> ParsePowerShellObjects(
    absl::string_view text) {
  absl::StatusOr<Value> value = ParsePowerShellJson(text);
  if (!value.ok()) return value.status();
  std::vector<Struct> objects;
  switch (value->kind_case()) {
    case Value::kNullValue:
      return objects;
    case Value::kStructValue:
      objects.push_back(value->struct_value());
      return objects;
    case Value::kListValue:
      for (const Value& item : value->list_value().values()) {
        if (item.kind_case() != Value::kStructValue) {
          return absl::InvalidArgumentError(
              "JSON array holds something other than objects");
        }
        objects.push_back(item.struct_value());
      }
      return objects;
    default:
      return absl::InvalidArgumentError("JSON is not an object or array");
  }
}

std::optional<std::string> GetString(const Struct& object,
                                     absl::string_view field) {
  const Value* v = Field(object, field);
  if (v == nullptr || v->kind_case() != Value::kStringValue) {
    return std::nullopt;
  }
  return std::string(absl::StripAsciiWhitespace(v->string_value()));
}

std::optional<bool> GetBool(const Struct& object, absl::string_view field) {
  const Value* v = Field(object, field);
  if (v == nullptr) return std::nullopt;
  switch (v->kind_case()) {
    case Value::kBoolValue:
      return v->bool_value();
    case Value::kNumberValue:
      if (v->number_value() == 1) return true;
      if (v->number_value() == 0) return false;
      return std::nullopt;
    case Value::kStringValue: {
      std::string s =
          absl::AsciiStrToLower(absl::StripAsciiWhitespace(v->string_value()));
      if (s == "true") return true;
      if (s == "false") return false;
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> GetInteger(const Struct& object,
                                  absl::string_view field) {
  const Value* v = Field(object, field);
  if (v == nullptr) return std::nullopt;
  if (v->kind_case() == Value::kNumberValue) {
    return IntegralNumber(v->number_value());
  }
  if (v->kind_case() == Value::kStringValue) {
    int64_t n = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(v->string_value()), &n)) {
      return n;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> GetEnum(
    const Struct& object, absl::string_view field,
    const std::vector<std::pair<absl::string_view, int64_t>>& names) {
  if (std::optional<int64_t> n = GetInteger(object, field)) return n;
  std::optional<std::string> name = GetString(object, field);
  if (!name) return std::nullopt;
  for (const auto& [candidate, number] : names) {
    if (absl::EqualsIgnoreCase(*name, candidate)) return number;
  }
  return std::nullopt;
}

}  // namespace trellis::agent::windows_facts
