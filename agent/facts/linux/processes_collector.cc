#include "agent/facts/linux/processes_collector.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "agent/facts/linux/users_collector.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "processes";

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

class ProcessesCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    auto processes = ReadProcesses(*ctx.system);
    if (!processes.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot list processes: ",
                               processes.status().message()));
    }
    if (processes->empty()) {
      // At least the agent itself runs; seeing nothing means /proc is not
      // what it should be (not mounted, or hidden from us).
      return facts::TableBuilder::Unknown(kTable,
                                          "no process readable under /proc");
    }
    // Without /etc/passwd the user column is NULL; pid and name still hold.
    auto passwd = ctx.system->ReadFile("/etc/passwd");
    std::map<int64_t, std::string> names;
    if (passwd.ok()) names = UidNames(*passwd);
    return ProcessesTable(*processes, names);
  }
};

}  // namespace

std::optional<int64_t> ParseProcPid(absl::string_view entry) {
  if (!AllDigits(entry) || entry.size() > 10) return std::nullopt;
  int64_t pid = 0;
  if (!absl::SimpleAtoi(entry, &pid) || pid <= 0) return std::nullopt;
  return pid;
}

std::optional<std::string> ParseComm(absl::string_view text) {
  absl::ConsumeSuffix(&text, "\n");
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

std::optional<int64_t> ParseStatusRealUid(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, "Uid:")) continue;
    // "Uid:\t<real>\t<effective>\t<saved>\t<fs>"
    std::vector<absl::string_view> ids =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (ids.empty() || !AllDigits(ids[0])) return std::nullopt;
    int64_t uid = 0;
    if (!absl::SimpleAtoi(ids[0], &uid)) return std::nullopt;
    return uid;
  }
  return std::nullopt;
}

std::map<int64_t, std::string> UidNames(absl::string_view passwd_text) {
  std::map<int64_t, std::string> names;
  for (const PasswdEntry& e : ParsePasswd(passwd_text)) {
    names.emplace(e.uid, e.name);  // emplace keeps the first, like getpwuid
  }
  return names;
}

v1::FactTable ProcessesTable(const std::vector<ProcessRecord>& processes,
                             const std::map<int64_t, std::string>& uid_names) {
  facts::TableBuilder b(kTable);
  for (const ProcessRecord& p : processes) {
    std::optional<std::string> user;
    if (p.uid) {
      auto it = uid_names.find(*p.uid);
      if (it != uid_names.end()) user = it->second;
    }
    b.Row().Integer("pid", p.pid).Text("name", p.name).Text("user", user);
  }
  return b.Build();
}

absl::StatusOr<std::vector<ProcessRecord>> ReadProcesses(SystemSource& system) {
  auto entries = system.ListDirectory("/proc");
  if (!entries.ok()) return entries.status();
  std::vector<ProcessRecord> out;
  for (const std::string& entry : *entries) {
    std::optional<int64_t> pid = ParseProcPid(entry);
    if (!pid) continue;
    // Either read failing means the process exited in between: it is no
    // longer running, so leaving it out is the true answer.
    auto comm = system.ReadFile(absl::StrCat("/proc/", entry, "/comm"));
    if (!comm.ok()) continue;
    auto status = system.ReadFile(absl::StrCat("/proc/", entry, "/status"));
    if (!status.ok()) continue;
    out.push_back({*pid, ParseComm(*comm), ParseStatusRealUid(*status)});
  }
  return out;
}

std::unique_ptr<Collector> NewProcessesCollector() {
  return std::make_unique<ProcessesCollector>();
}

}  // namespace trellis::agent::linux_facts
