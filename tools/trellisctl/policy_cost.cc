#include "tools/trellisctl/policy_cost.h"

#include "absl/strings/str_cat.h"
#include "common/util/files.h"
#include "common/util/terminal_text.h"
#include "google/protobuf/util/json_util.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::ctl {

absl::StatusOr<policy::RecordedDevice> ParseRecordedFacts(
    const std::string& file, const std::string& text) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  policy::RecordedDevice d;
  d.name = file;
  v1::GetDeviceResponse shown;
  if (google::protobuf::util::JsonStringToMessage(text, &shown, options).ok() &&
      shown.last_report().tables_size() > 0) {
    d.report = shown.last_report();
    d.context = {d.report.platform(), shown.device().ownership(),
                 shown.device().group()};
    return d;
  }
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(text, &d.report, options);
  if (!parsed.ok() || d.report.tables_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        file,
        ": no recorded facts: expected a posture report as JSON "
        "('trellis-agent show-data --json') or the output of 'trellisctl "
        "device show DEVICE --facts --json'",
        parsed.ok() ? "" : absl::StrCat(" (", parsed.ToString(), ")")));
  }
  d.context = {d.report.platform(), v1::OWNERSHIP_CORPORATE, ""};
  return d;
}

int EstimatePolicyCost(Ctl& ctl, const policy::PolicySet& set,
                       const std::vector<std::string>& facts_files) {
  std::vector<policy::RecordedDevice> devices;
  for (const std::string& file : facts_files) {
    auto text = ReadFile(file);
    if (!text.ok()) {
      ctl.err() << TerminalSafe(absl::StrCat("--facts ", file, ": ",
                                             text.status().message()))
                << "\n";
      return kExitRefused;
    }
    auto device = ParseRecordedFacts(file, *text);
    if (!device.ok()) {
      ctl.err() << TerminalSafe(device.status().message()) << "\n";
      return kExitRefused;
    }
    devices.push_back(*std::move(device));
  }
  v1::PolicyBundle bundle;
  for (const auto& p : set.policies) *bundle.add_policies() = p;
  for (const auto& p : set.vpn_profiles) *bundle.add_vpn_profiles() = p;
  const policy::SandboxLimits limits;
  auto evaluator = policy::Evaluator::Compile(bundle, limits);
  if (!evaluator.ok()) {
    ctl.err() << TerminalSafeMultiline(evaluator.status().message()) << "\n";
    return kExitRefused;
  }
  policy::BundleCost cost = policy::EstimateBundleCost(**evaluator, devices);
  absl::Status fits = policy::CheckBundleCost(cost, limits.evaluation_time);
  if (!fits.ok()) {
    ctl.err() << TerminalSafe(fits.message()) << "\n";
    return kExitRefused;
  }
  ctl.out() << TerminalSafe(absl::StrCat(
                   "cost: ", policy::DescribeBundleCost(cost), " (budget ",
                   absl::FormatDuration(limits.evaluation_time),
                   " per device)"))
            << "\n";
  return kExitOk;
}

}  // namespace trellis::ctl
