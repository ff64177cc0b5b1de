// dns-resolve: what the device's resolver answers for the names the help
// desk gives, and how long each lookup takes.
//
// Basic class: it reveals only the addresses of names the operator chose,
// as the device's resolver sees them; nothing the device holds.
#include "absl/strings/str_cat.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"

namespace trellis::agent::diagnostics {
namespace {

constexpr int kMaxNames = 8;

absl::Status Run(DiagnosticContext& context) {
  int failed = 0;
  const std::vector<std::string> names = context.params().List("names");
  for (const std::string& name : names) {
    auto addresses = TimedResolve(context, "resolve", name);
    if (!addresses.ok()) {
      if (absl::IsCancelled(addresses.status()) ||
          absl::IsDeadlineExceeded(addresses.status())) {
        return addresses.status();
      }
      ++failed;
    }
  }
  if (failed > 0) {
    return absl::UnavailableError(
        absl::StrCat(failed, " of ", names.size(), " names did not resolve"));
  }
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec DnsResolve() {
  ParamSpec names;
  names.name = "names";
  names.type = ParamType::kHostname;
  names.description = "names (or addresses) to resolve";
  names.required = true;
  names.max_items = kMaxNames;
  return MakeDiagnostic("dns-resolve", PrivacyClass::kBasic, absl::Seconds(30),
                        8 << 10,
                        "resolve the given names with the device's resolver, "
                        "timing each lookup",
                        Run, {names});
}

}  // namespace trellis::agent::diagnostics
