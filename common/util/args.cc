#include "common/util/args.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/net/ip_address.h"

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
                                           int64_t fallback, int64_t min,
                                           int64_t max) const {
  auto it = values.find(name);
  if (it == values.end()) return fallback;
  return ParseIntFlag(name, it->second, min, max);
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
        // "--state-dir --listen x" is a forgotten value, not a directory
        // named "--listen".
        if (absl::StartsWith(value, "--")) {
          return absl::InvalidArgumentError(absl::StrCat(
              "--", name, " needs a value, but the next word is the option ",
              value, " (write --", name, "=", value,
              " if that really is the value)"));
        }
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

absl::StatusOr<int64_t> ParseIntFlag(const std::string& name,
                                     const std::string& text, int64_t min,
                                     int64_t max) {
  absl::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  // SimpleAtoi alone would also take "+5" and " 5"; the digits check keeps
  // the accepted text to one spelling.
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " needs a whole number, got '", text, "'"));
  }
  int64_t value;
  // SimpleAtoi fails on overflow rather than saturating: such a number is
  // out of range too.
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be between ", min, " and ", max,
                     " (got ", text, ")"));
  }
  return value;
}

std::string FormatDurationRange(absl::Duration min, absl::Duration max) {
  return absl::StrCat(FormatHumanDuration(min), "-", FormatHumanDuration(max));
}

absl::Status CheckDurationFlag(const std::string& name, absl::Duration value,
                               absl::Duration min, absl::Duration max) {
  if (value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " must be between ", FormatHumanDuration(min), " and ",
        FormatHumanDuration(max), " (got ", FormatHumanDuration(value), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Duration> ParseDurationFlag(const std::string& name,
                                                 const std::string& text,
                                                 absl::Duration min,
                                                 absl::Duration max) {
  auto d = ParseHumanDuration(text);
  if (!d.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, ": ", d.status().message(), "; allowed ",
        FormatHumanDuration(min), " to ", FormatHumanDuration(max)));
  }
  absl::Status in_range = CheckDurationFlag(name, *d, min, max);
  if (!in_range.ok()) return in_range;
  return *d;
}

absl::Status CheckEndpointFlag(const std::string& name,
                               const std::string& text) {
  absl::Status valid = net::ValidateEndpoint(text);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, ": ", valid.message(),
        " (expected HOST:PORT, the port 1-65535 and an IPv6 host in "
        "brackets)"));
  }
  return absl::OkStatus();
}

ArgSpec ArgSpecOf(const std::vector<FlagDoc>& flags) {
  ArgSpec spec;
  for (const FlagDoc& flag : flags) {
    (flag.value.empty() ? spec.bool_flags : spec.value_flags).insert(flag.name);
  }
  return spec;
}

absl::StatusOr<ParsedArgs> ParseFlags(const std::vector<std::string>& args,
                                      const std::vector<FlagDoc>& flags) {
  auto parsed = ParseArgs(args, ArgSpecOf(flags));
  if (parsed.ok() && !parsed->positional.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", parsed->positional[0], "'"));
  }
  return parsed;
}

namespace {

constexpr size_t kUsageWidth = 79;

// Appends `line` followed by `text`'s words to `out`, wrapping at
// kUsageWidth; continuation lines start at `column`. `line` is padded to
// `column` first.
void AppendWrapped(std::string line, absl::string_view text, size_t column,
                   std::string* out) {
  line.resize(std::max(line.size(), column), ' ');
  bool first_word = true;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!first_word && line.size() + 1 + word.size() > kUsageWidth) {
      absl::StrAppend(out, line, "\n");
      line.assign(column, ' ');
      first_word = true;
    }
    absl::StrAppend(&line, first_word ? "" : " ", word);
    first_word = false;
  }
  absl::StrAppend(out, absl::StripTrailingAsciiWhitespace(line), "\n");
}

}  // namespace

std::string WrapText(absl::string_view text, size_t indent) {
  std::string out;
  AppendWrapped("", text, indent, &out);
  return out;
}

std::string FormatFlagDocs(const std::vector<FlagDoc>& flags, size_t indent) {
  std::vector<std::string> heads;
  size_t column = 0;
  for (const FlagDoc& flag : flags) {
    heads.push_back(absl::StrCat(std::string(indent, ' '), "--", flag.name,
                                 flag.value.empty() ? "" : " ", flag.value));
    column = std::max(column, heads.back().size() + 2);
  }
  // A very long head would leave no room for the help: it then starts on
  // the next line.
  column = std::min<size_t>(column, indent + 28);
  std::string out;
  for (size_t i = 0; i < flags.size(); ++i) {
    std::string line = heads[i];
    if (line.size() + 2 > column) {
      absl::StrAppend(&out, line, "\n");
      line.clear();
    }
    AppendWrapped(std::move(line), flags[i].help, column, &out);
  }
  return out;
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
