// device list | show | history | revoke | retire: the fleet, one device,
// and ending a device's access.
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "tools/trellisctl/checked_options.h"
#include "tools/trellisctl/commands.h"
#include "tools/trellisctl/device_lookup.h"
#include "tools/trellisctl/device_report.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {
namespace {

struct ListOptions {
  std::string group;
  std::string state;
  std::string compliance;
  std::string search;
  int64_t limit = 0;
};

// More than any fleet; 0 (all) is what lists a larger one.
constexpr int64_t kMaxDeviceListLimit = 1000000;

const std::map<std::string, v1::DeviceState>& DeviceStates() {
  static const auto* states = new std::map<std::string, v1::DeviceState>{
      {"active", v1::DEVICE_STATE_ACTIVE},
      {"revoked", v1::DEVICE_STATE_REVOKED},
      {"retired", v1::DEVICE_STATE_RETIRED}};
  return *states;
}

const std::map<std::string, v1::ComplianceState>& ComplianceStates() {
  static const auto* states = new std::map<std::string, v1::ComplianceState>{
      {"compliant", v1::COMPLIANCE_STATE_COMPLIANT},
      {"grace", v1::COMPLIANCE_STATE_GRACE},
      {"noncompliant", v1::COMPLIANCE_STATE_NONCOMPLIANT},
      {"stale", v1::COMPLIANCE_STATE_STALE},
      {"revoked", v1::COMPLIANCE_STATE_REVOKED},
      {"retired", v1::COMPLIANCE_STATE_RETIRED}};
  return *states;
}

template <typename Map>
std::vector<std::string> Keys(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

int DeviceList(Ctl& ctl, const ListOptions& o) {
  v1::ListDevicesRequest filter;
  filter.set_group(o.group);
  if (!o.state.empty()) filter.set_state(DeviceStates().at(o.state));
  if (!o.compliance.empty()) {
    filter.set_compliance_state(ComplianceStates().at(o.compliance));
  }
  filter.set_search(o.search);
  v1::ListDevicesResponse all;
  grpc::Status s = ListAllDevices(ctl, filter, static_cast<int>(o.limit), &all);
  if (!s.ok()) return ctl.Refused(s);
  ctl.Print(all, [&] {
    TablePrinter t(DeviceListHeaders());
    for (const auto& d : all.devices()) t.AddRow(DeviceListRow(d));
    return t.Render() + absl::StrCat(all.devices_size(), " device(s)\n");
  });
  return kExitOk;
}

struct ShowOptions {
  std::string device;
  bool facts = false;
  bool all = false;
};

int DeviceShow(Ctl& ctl, const ShowOptions& o) {
  v1::GetDeviceRequest request;
  int resolved = ResolveDevice(ctl, o.device, request.mutable_device_id());
  if (resolved != kExitOk) return resolved;
  v1::GetDeviceResponse device;
  grpc::Status s = ctl.Call(&Ctl::Stub::GetDevice, request, &device);
  if (!s.ok()) return ctl.Refused(s);
  if (ctl.json()) {
    ctl.Print(device, nullptr);
    return kExitOk;
  }
  v1::GetDeviceHistoryRequest history_request;
  history_request.set_device_id(request.device_id());
  v1::GetDeviceHistoryResponse history;
  s = ctl.Call(&Ctl::Stub::GetDeviceHistory, history_request, &history);
  if (!s.ok()) return ctl.Refused(s);
  DeviceReportOptions options;
  options.all_checks = o.all;
  options.facts = o.facts || o.all;
  if (o.all) options.history = history.transitions_size();
  ctl.out() << RenderDeviceReport(device, history, options);
  return kExitOk;
}

int DeviceHistory(Ctl& ctl, const std::string& device_id) {
  v1::GetDeviceHistoryRequest request;
  request.set_device_id(device_id);
  return ctl.CallAndPrint(
      &Ctl::Stub::GetDeviceHistory, request,
      [](const v1::GetDeviceHistoryResponse& r) {
        TablePrinter t({"TIME (UTC)", "FROM", "TO", "CAUSE"});
        for (const auto& tr : r.transitions()) {
          t.AddRow({WhenSeconds(tr.time()), ComplianceWord(tr.from_state()),
                    ComplianceWord(tr.to_state()), tr.cause()});
        }
        return t.Render();
      });
}

struct EndOptions {
  std::string device_id;
  std::string reason;
  bool yes = false;
};

// "DEVICE_ID (hostname)" when the device can be read, for the question.
std::string Describe(Ctl& ctl, const std::string& device_id) {
  v1::GetDeviceRequest request;
  request.set_device_id(device_id);
  v1::GetDeviceResponse response;
  if (!ctl.Call(&Ctl::Stub::GetDevice, request, &response).ok()) {
    return Safe(device_id);
  }
  return absl::StrCat(Safe(device_id), " (", Safe(response.device().hostname()),
                      ")");
}

// Revoke and retire: confirm, then the RPC.
template <typename Request, typename Response>
int EndDevice(Ctl& ctl, const EndOptions& o, const std::string& verb,
              const std::string& warning, const std::string& done,
              grpc::Status (Ctl::Stub::*method)(grpc::ClientContext*,
                                                const Request&, Response*)) {
  std::string who = ctl.interactive() && !o.yes ? Describe(ctl, o.device_id)
                                                : Safe(o.device_id);
  int confirmed =
      ctl.Confirm(absl::StrCat(verb, " device ", who, "? ", warning), o.yes);
  if (confirmed != kExitOk) return confirmed;
  Request request;
  request.set_device_id(o.device_id);
  request.set_reason(o.reason);
  return ctl.CallAndPrint(method, request, [&](const Response& r) {
    return absl::StrCat("Device ", Safe(r.device().device_id()), " (",
                        Safe(r.device().hostname()), ") ", done, "\n");
  });
}

CLI::App* AddEndCommand(Commands& commands, CLI::App* device,
                        const std::string& name, const std::string& help,
                        std::function<int(const EndOptions&)> run) {
  auto o = std::make_shared<EndOptions>();
  CLI::App* command = commands.Add(
      device, name, help, [o, run = std::move(run)] { return run(*o); });
  command->add_option("DEVICE_ID", o->device_id, "as device list shows")
      ->required();
  command->add_option("--reason", o->reason, "why (kept in the audit log)")
      ->required();
  command->add_flag("--yes", o->yes, "do not ask for confirmation");
  return command;
}

}  // namespace

void AddDeviceCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  CLI::App* device = commands.Group(app, "device", "enrolled devices");
  {
    auto o = std::make_shared<ListOptions>();
    CLI::App* list = commands.Add(
        device, "list", "devices, newest enrolment first; filters combine",
        [&ctl, o] { return DeviceList(ctl, *o); });
    list->add_option("--group", o->group, "only this group");
    list->add_option("--state", o->state, "device state")
        ->check(CLI::IsMember(Keys(DeviceStates())));
    list->add_option("--compliance", o->compliance, "compliance state")
        ->check(CLI::IsMember(Keys(ComplianceStates())));
    list->add_option("--search", o->search,
                     "part of the hostname or serial, or an id prefix");
    AddWholeNumberOption(list, "--limit", &o->limit, 0, kMaxDeviceListLimit,
                         "at most N devices, 0 for all");
  }
  {
    auto o = std::make_shared<ShowOptions>();
    CLI::App* show = commands.Add(
        device, "show",
        "one device: state, failing checks and how to fix them, VPN, recent "
        "history",
        [&ctl, o] { return DeviceShow(ctl, *o); });
    show->add_option("DEVICE", o->device, "device id, hostname or serial")
        ->required();
    show->add_flag("--facts", o->facts, "also the facts of its last report");
    show->add_flag("--all", o->all, "every check, all history and all facts");
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* history =
        commands.Add(device, "history", "compliance state changes with causes",
                     [&ctl, id] { return DeviceHistory(ctl, *id); });
    history->add_option("DEVICE_ID", *id, "as device list shows")->required();
  }
  AddEndCommand(commands, device, "revoke",
                "refuse the device's calls and remove its VPN peer now",
                [&ctl](const EndOptions& o) {
                  return EndDevice(ctl, o, "Revoke",
                                   "Its next call will be refused.",
                                   "revoked; its next call will be refused.",
                                   &Ctl::Stub::RevokeDevice);
                });
  AddEndCommand(commands, device, "retire",
                "a device that left service (returned, replaced): also frees "
                "its tunnel address",
                [&ctl](const EndOptions& o) {
                  return EndDevice(ctl, o, "Retire",
                                   "Its calls will be refused and its tunnel "
                                   "address released; this cannot be undone.",
                                   "retired; its calls are refused and its "
                                   "tunnel address is released.",
                                   &Ctl::Stub::RetireDevice);
                });
}

}  // namespace trellis::ctl
