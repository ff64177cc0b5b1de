// exception add | list | remove: time-limited admin exceptions for one
// check on one device.
#include <limits>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/rpc/admin_limits.h"
#include "common/util/args.h"
#include "tools/trellisctl/checked_options.h"
#include "tools/trellisctl/commands.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {
namespace {

struct AddOptions {
  std::string device_id;
  std::string check;
  std::string until;
  std::string reason;
};

// --until as the time it names: a duration from `now` or an RFC 3339
// time, in (now, now + the longest exception the server allows].
absl::StatusOr<absl::Time> ParseUntil(const std::string& text, absl::Time now) {
  const absl::Duration max = rpc::kMaxExceptionLength;
  absl::Time until;
  std::string parse_error;
  if (absl::ParseTime(absl::RFC3339_full, text, &until, &parse_error)) {
    if (until <= now || until > now + max) {
      return absl::InvalidArgumentError(
          absl::StrCat("--until ", text, " must be in the future and at most ",
                       FormatHumanDuration(max), " away"));
    }
    return until;
  }
  if (ParseHumanDuration(text).ok()) {
    auto d = ParseDurationFlag("until", text, absl::Seconds(1), max);
    if (!d.ok()) return d.status();
    return now + *d;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--until takes a duration (7d, 24h; at most ", FormatHumanDuration(max),
      ") or an RFC 3339 time, got '", text, "'"));
}

int ExceptionAdd(Ctl& ctl, const AddOptions& o) {
  size_t slash = o.check.find('/');
  if (slash == std::string::npos) {
    return ctl.UsageError(
        "the check is POLICY/CHECK, e.g. ncsc-device-baseline/disk-encrypted");
  }
  absl::StatusOr<absl::Time> until = ParseUntil(o.until, absl::Now());
  if (!until.ok()) return ctl.UsageError(Safe(until.status().message()));
  v1::AddExceptionRequest request;
  request.set_device_id(o.device_id);
  request.set_policy_id(o.check.substr(0, slash));
  request.set_check_id(o.check.substr(slash + 1));
  request.mutable_until()->set_seconds(absl::ToUnixSeconds(*until));
  request.set_reason(o.reason);
  return ctl.CallAndPrint(
      &Ctl::Stub::AddException, request, [](const v1::AddExceptionResponse& r) {
        return absl::StrCat("Exception ", r.exception().exception_id(),
                            " added until ", When(r.exception().until()),
                            " UTC.\n");
      });
}

int ExceptionList(Ctl& ctl, const std::string& device_id, bool all) {
  v1::ListExceptionsRequest request;
  request.set_device_id(device_id);
  request.set_include_expired(all);
  return ctl.CallAndPrint(
      &Ctl::Stub::ListExceptions, request,
      [](const v1::ListExceptionsResponse& r) {
        TablePrinter t(
            {"ID", "DEVICE", "CHECK", "UNTIL (UTC)", "ACTIVE", "BY", "REASON"});
        for (const auto& e : r.exceptions()) {
          t.AddRow({absl::StrCat(e.exception_id()), e.device_id(),
                    absl::StrCat(e.policy_id(), "/", e.check_id()),
                    When(e.until()), e.active() ? "yes" : "no", e.created_by(),
                    e.reason()});
        }
        return t.Render();
      });
}

int ExceptionRemove(Ctl& ctl, int64_t id) {
  v1::RemoveExceptionRequest request;
  request.set_exception_id(id);
  return ctl.CallAndPrint(&Ctl::Stub::RemoveException, request,
                          [id](const v1::RemoveExceptionResponse&) {
                            return absl::StrCat("Exception ", id, " ended.\n");
                          });
}

}  // namespace

void AddExceptionCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  CLI::App* exception = commands.Group(
      app, "exception", "time-limited exceptions for one check on one device");
  {
    auto o = std::make_shared<AddOptions>();
    CLI::App* add =
        commands.Add(exception, "add", "excuse one failing check until a date",
                     [&ctl, o] { return ExceptionAdd(ctl, *o); });
    add->add_option("DEVICE_ID", o->device_id, "as device list shows")
        ->required();
    add->add_option("CHECK", o->check, "POLICY/CHECK as policy show lists")
        ->required();
    add->add_option("--until", o->until, "7d, 24h or an RFC 3339 time")
        ->required();
    add->add_option("--reason", o->reason, "why (kept in the audit log)")
        ->required();
  }
  {
    auto device_id = std::make_shared<std::string>();
    auto all = std::make_shared<bool>(false);
    CLI::App* list = commands.Add(exception, "list", "exceptions in force",
                                  [&ctl, device_id, all] {
                                    return ExceptionList(ctl, *device_id, *all);
                                  });
    list->add_option("DEVICE_ID", *device_id, "only this device");
    list->add_flag("--all", *all, "include ended ones");
  }
  {
    auto id = std::make_shared<int64_t>(0);
    CLI::App* remove =
        commands.Add(exception, "remove", "end an exception now",
                     [&ctl, id] { return ExceptionRemove(ctl, *id); });
    AddWholeNumberOption(remove, "EXCEPTION_ID", id.get(), 1,
                         std::numeric_limits<int64_t>::max(),
                         "the number exception list shows")
        ->required();
  }
}

}  // namespace trellis::ctl
