#include "agent/diagnostics/params.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/net/ip_address.h"
#include "common/util/args.h"
#include "common/util/terminal_text.h"
#include "common/util/utf8.h"

namespace trellis::agent::diagnostics {
namespace {

// Longest piece of a hostile value quoted back in an error.
constexpr size_t kQuoteBytes = 64;

std::string Quote(absl::string_view text) {
  if (text.size() <= kQuoteBytes) return TerminalSafe(text);
  return absl::StrCat(TerminalSafe(text.substr(0, kQuoteBytes)), "...");
}

absl::Status Bad(const ParamSpec& spec, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("parameter '", spec.name, "': ", why));
}

// Bytes that would reach a terminal, a log line or a command line as
// something other than text.
absl::Status CheckPlainText(const ParamSpec& spec, absl::string_view value) {
  if (!IsValidUtf8(value)) return Bad(spec, "is not valid UTF-8");
  for (size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7f) {
      return Bad(spec, absl::StrCat("holds a control character (byte ",
                                    absl::Hex(c, absl::kZeroPad2),
                                    " at offset ", i, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckItem(const ParamSpec& spec, const std::string& item,
                       Params::Value* value) {
  if (item.size() > spec.max_length) {
    return Bad(spec, absl::StrCat("is ", item.size(), " bytes long, at most ",
                                  spec.max_length, " allowed"));
  }
  if (absl::Status text = CheckPlainText(spec, item); !text.ok()) return text;
  if (item.empty()) return Bad(spec, "is empty");
  // Never mistaken for an option by a program it is passed to.
  if (item[0] == '-' && spec.type != ParamType::kInteger) {
    return Bad(spec, absl::StrCat("'", Quote(item), "' starts with '-'"));
  }
  switch (spec.type) {
    case ParamType::kString:
      break;
    case ParamType::kHostname:
      if (!net::IsDnsName(item) && !net::ValidateIpAddress(item).ok()) {
        return Bad(spec, absl::StrCat("'", Quote(item),
                                      "' is not a hostname or IP address"));
      }
      break;
    case ParamType::kHostPort:
      if (absl::Status s = net::ValidateEndpoint(item); !s.ok()) {
        return Bad(spec, absl::StrCat("'", Quote(item),
                                      "' is not host:port: ", s.message()));
      }
      break;
    case ParamType::kInteger: {
      int64_t n = 0;
      if (!absl::SimpleAtoi(item, &n)) {
        return Bad(spec,
                   absl::StrCat("'", Quote(item), "' is not a whole number"));
      }
      if (n < spec.min || n > spec.max) {
        return Bad(spec, absl::StrCat(n, " is out of range ", spec.min, "-",
                                      spec.max));
      }
      value->integer = n;
      break;
    }
    case ParamType::kDuration: {
      auto d = ParseHumanDuration(item);
      if (!d.ok()) {
        return Bad(spec, absl::StrCat("'", Quote(item),
                                      "' is not a duration like 30s or 5m"));
      }
      if (*d < spec.min_duration || *d > spec.max_duration) {
        return Bad(spec,
                   absl::StrCat(item, " is out of range ",
                                FormatHumanDuration(spec.min_duration), "-",
                                FormatHumanDuration(spec.max_duration)));
      }
      value->duration = *d;
      break;
    }
    case ParamType::kEnum: {
      bool known = false;
      for (const std::string& v : spec.enum_values) known |= v == item;
      if (!known) {
        return Bad(spec, absl::StrCat("'", Quote(item), "' is not one of ",
                                      absl::StrJoin(spec.enum_values, ", ")));
      }
      break;
    }
  }
  value->items.push_back(item);
  return absl::OkStatus();
}

absl::StatusOr<Params::Value> ParseValue(const ParamSpec& spec,
                                         const std::string& text) {
  Params::Value value;
  if (spec.max_items <= 1) {
    if (absl::Status s = CheckItem(spec, text, &value); !s.ok()) return s;
    return value;
  }
  // Checked before splitting, so a huge list costs no more than its bound.
  const size_t max_total = spec.max_items * (spec.max_length + 1);
  if (text.size() > max_total) {
    return Bad(spec, absl::StrCat("is ", text.size(), " bytes long, at most ",
                                  max_total, " allowed"));
  }
  std::vector<std::string> items = absl::StrSplit(text, ',');
  if (items.size() > static_cast<size_t>(spec.max_items)) {
    return Bad(spec, absl::StrCat("has ", items.size(), " items, at most ",
                                  spec.max_items, " allowed"));
  }
  for (const std::string& item : items) {
    if (absl::Status s = CheckItem(spec, item, &value); !s.ok()) return s;
  }
  return value;
}

}  // namespace

absl::StatusOr<Params> ValidateParams(
    const DiagnosticSpec& spec,
    const std::vector<std::pair<std::string, std::string>>& given) {
  Params params;
  std::set<std::string> seen;
  for (const auto& [name, text] : given) {
    const ParamSpec* param = nullptr;
    for (const ParamSpec& p : spec.params) {
      if (p.name == name) param = &p;
    }
    if (param == nullptr) {
      std::vector<std::string> names;
      for (const ParamSpec& p : spec.params) names.push_back(p.name);
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown parameter '", Quote(name), "' for ", spec.name, " (",
          names.empty() ? std::string("it takes none")
                        : absl::StrCat("it takes ", absl::StrJoin(names, ", ")),
          ")"));
    }
    if (!seen.insert(name).second) {
      return Bad(*param, "is given more than once");
    }
    auto value = ParseValue(*param, text);
    if (!value.ok()) return value.status();
    params.Set(name, *std::move(value));
  }
  for (const ParamSpec& p : spec.params) {
    if (seen.count(p.name)) continue;
    if (p.required) return Bad(p, "is required");
    if (p.default_value.empty()) continue;
    auto value = ParseValue(p, p.default_value);
    if (!value.ok()) return value.status();
    params.Set(p.name, *std::move(value));
  }
  return params;
}

absl::StatusOr<std::pair<std::string, std::string>> SplitParam(
    const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--param needs NAME=VALUE, got '", Quote(text), "'"));
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

}  // namespace trellis::agent::diagnostics
