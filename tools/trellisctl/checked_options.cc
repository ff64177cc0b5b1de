#include "tools/trellisctl/checked_options.h"

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/util/args.h"

namespace trellis::ctl {
namespace {

// The common/util/args.h helpers take a flag's name without its dashes.
std::string FlagName(const std::string& name) {
  return std::string(absl::StripPrefix(name, "--"));
}

// Stops the parse with `status`'s message; RunCtl reports it and exits 2.
void Refuse(const absl::Status& status) {
  throw CLI::ValidationError(std::string(status.message()));
}

}  // namespace

CLI::Option* AddWholeNumberOption(CLI::App* app, const std::string& name,
                                  int64_t* target, int64_t min, int64_t max,
                                  const std::string& help) {
  const bool positional = !absl::StartsWith(name, "-");
  return app
      ->add_option_function<std::string>(
          name,
          [=](const std::string& text) {
            absl::StatusOr<int64_t> value =
                ParseIntFlag(FlagName(name), text, min, max);
            if (!value.ok()) {
              // A positional argument is named as the usage shows it.
              Refuse(positional ? absl::InvalidArgumentError(absl::StrCat(
                                      name, " must be a whole number between ",
                                      min, " and ", max, " (got '", text, "')"))
                                : value.status());
            }
            *target = *value;
          },
          absl::StrCat(help, " (", min, "-", max, ")"))
      ->type_name("INT");
}

CLI::Option* AddDurationOption(CLI::App* app, const std::string& name,
                               absl::Duration* target, absl::Duration min,
                               absl::Duration max, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [=](const std::string& text) {
            auto value = ParseDurationFlag(FlagName(name), text, min, max);
            if (!value.ok()) Refuse(value.status());
            *target = *value;
          },
          absl::StrCat(help, " (", FormatDurationRange(min, max), ")"))
      ->type_name("DURATION");
}

CLI::Option* AddEndpointOption(CLI::App* app, const std::string& name,
                               std::string* target, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [=](const std::string& text) {
            absl::Status valid = CheckEndpointFlag(FlagName(name), text);
            if (!valid.ok()) Refuse(valid);
            *target = text;
          },
          help)
      ->type_name("HOST:PORT");
}

}  // namespace trellis::ctl
