#include "agent/diagnostics/diagnostic.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/util/args.h"

namespace trellis::agent::diagnostics {

const char* PrivacyClassName(PrivacyClass privacy) {
  return privacy == PrivacyClass::kBasic ? "basic" : "detailed";
}

const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "text";
    case ParamType::kHostname:
      return "hostname";
    case ParamType::kHostPort:
      return "host:port";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kDuration:
      return "duration";
    case ParamType::kEnum:
      return "one of";
  }
  return "?";
}

std::string ParamSpec::Summary() const {
  std::string text = absl::StrCat(name, ": ", ParamTypeName(type));
  if (type == ParamType::kInteger) absl::StrAppend(&text, " ", min, "-", max);
  if (type == ParamType::kDuration) {
    absl::StrAppend(&text, " ", FormatHumanDuration(min_duration), "-",
                    FormatHumanDuration(max_duration));
  }
  if (type == ParamType::kEnum) {
    absl::StrAppend(&text, " ", absl::StrJoin(enum_values, "|"));
  }
  if (max_items > 1) {
    absl::StrAppend(&text, ", up to ", max_items, ", comma-separated");
  }
  if (required) {
    absl::StrAppend(&text, " (required)");
  } else if (!default_value.empty()) {
    absl::StrAppend(&text, " (default ", default_value, ")");
  }
  return text;
}

std::string Params::Text(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.items.empty()) return "";
  return it->second.items.front();
}

std::vector<std::string> Params::List(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second.items;
}

int64_t Params::Integer(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : it->second.integer;
}

absl::Duration Params::Duration(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? absl::ZeroDuration() : it->second.duration;
}

DiagnosticSpec MakeDiagnostic(
    std::string name, PrivacyClass privacy, absl::Duration time_bound,
    size_t max_output_bytes, std::string description,
    std::function<absl::Status(DiagnosticContext&)> run,
    std::vector<ParamSpec> params) {
  DiagnosticSpec spec;
  spec.name = std::move(name);
  spec.privacy = privacy;
  spec.time_bound = time_bound;
  spec.max_output_bytes = max_output_bytes;
  spec.description = std::move(description);
  spec.run = std::move(run);
  spec.params = std::move(params);
  return spec;
}

}  // namespace trellis::agent::diagnostics
