#include "common/util/args.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace trellis {

std::string ParsedArgs::Get(const std::string& name,
                            const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

bool ParsedArgs::Has(const std::string& name) const {
  return values.count(name) > 0 || flags.count(name) > 0;
}

absl::StatusOr<int64_t> ParsedArgs::GetInt(const std::string& name,
                                           int64_t fallback) const {
  auto it = values.find(name);
  if (it == values.end()) return fallback;
  int64_t v;
  if (!absl::SimpleAtoi(it->second, &v)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " needs a whole number, got '", it->second, "'"));
  }
  return v;
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const ArgSpec& spec) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 3 || a[0] != '-' || a[1] != '-') {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool has_inline_value = false;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    if (spec.bool_flags.count(name)) {
      if (has_inline_value) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " takes no value"));
      }
      out.flags.insert(name);
    } else if (spec.value_flags.count(name)) {
      if (!has_inline_value) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("--", name, " needs a value"));
        }
        value = args[++i];
      }
      out.values[name] = value;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option --", name));
    }
  }
  return out;
}

absl::StatusOr<absl::Duration> ParseHumanDuration(const std::string& text) {
  if (text.empty()) return absl::InvalidArgumentError("empty duration");
  char unit = text.back();
  std::string number = text;
  int64_t scale = 1;
  if (unit == 's' || unit == 'm' || unit == 'h' || unit == 'd') {
    number = text.substr(0, text.size() - 1);
    scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 86400;
  }
  int64_t n;
  if (!absl::SimpleAtoi(number, &n) || n < 0 || n > (int64_t{1} << 40)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad duration '", text, "'; use e.g. 90s, 15m, 24h or 7d"));
  }
  return absl::Seconds(n * scale);
}

std::string FormatHumanDuration(absl::Duration duration) {
  int64_t seconds = absl::ToInt64Seconds(duration);
  if (seconds != 0 && seconds % 86400 == 0)
    return absl::StrCat(seconds / 86400, "d");
  if (seconds != 0 && seconds % 3600 == 0)
    return absl::StrCat(seconds / 3600, "h");
  if (seconds != 0 && seconds % 60 == 0) return absl::StrCat(seconds / 60, "m");
  return absl::StrCat(seconds, "s");
}

}  // namespace trellis
