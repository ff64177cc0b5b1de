#include "agent/facts/linux/packages_collector.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "packages";
constexpr char kDpkgStatus[] = "/var/lib/dpkg/status";

// How much of a failing command's stderr goes into a reason.
constexpr size_t kMaxStderrInReason = 200;

struct Stanza {
  std::optional<std::string> package, status, version;
};

void Finish(Stanza* s, std::vector<InstalledPackage>* out) {
  if (s->package && s->version && s->status) {
    std::vector<absl::string_view> words =
        absl::StrSplit(*s->status, ' ', absl::SkipEmpty());
    // "<want> <error flag> <state>"; only the state says what is on disk.
    if (words.size() == 3 && words[2] == "installed") {
      out->push_back({*s->package, *s->version});
    }
  }
  *s = Stanza();
}

class PackagesCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    auto status = ctx.system->ReadFile(kDpkgStatus);
    std::vector<InstalledPackage> deb;
    if (status.ok()) {
      deb = ParseDpkgStatus(*status);
      if (!deb.empty()) return PackagesTable(deb, "deb");
    } else if (!absl::IsNotFound(status.status())) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot read ", kDpkgStatus, ": ",
                               status.status().message()));
    }
    // No dpkg database, or an empty one (dpkg installed as a tool on an
    // rpm-based system): ask rpm.
    auto rpm = ctx.runner->Run(
        {"rpm", "-qa", "--queryformat", "%{NAME}\\t%{VERSION}-%{RELEASE}\\n"},
        ctx.command_timeout);
    if (!rpm.ok()) {
      if (absl::IsNotFound(rpm.status())) {
        return facts::TableBuilder::Unknown(
            kTable,
            status.ok()
                ? absl::StrCat(kDpkgStatus,
                               " lists no installed package and rpm is not "
                               "installed")
                : absl::StrCat("no dpkg database (", kDpkgStatus,
                               " not found) and rpm is not installed"));
      }
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("rpm -qa failed: ", rpm.status().message()));
    }
    if (rpm->exit_code != 0) {
      std::string err(absl::StripAsciiWhitespace(rpm->stderr_text));
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("rpm -qa exited with status ", rpm->exit_code,
                               ": ", err.substr(0, kMaxStderrInReason)));
    }
    return PackagesTable(ParseRpmQuery(rpm->stdout_text), "rpm");
  }
};

}  // namespace

std::vector<InstalledPackage> ParseDpkgStatus(absl::string_view text) {
  std::vector<InstalledPackage> out;
  Stanza s;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty()) {
      Finish(&s, &out);
      continue;
    }
    // Continuation lines (Description, Conffiles) belong to a field we do
    // not read.
    if (line[0] == ' ' || line[0] == '\t') continue;
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    absl::string_view field = line.substr(0, colon);
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    if (value.empty()) continue;
    // deb822 field names are case-insensitive; the first occurrence counts.
    if (absl::EqualsIgnoreCase(field, "Package")) {
      if (!s.package) s.package = std::move(value);
    } else if (absl::EqualsIgnoreCase(field, "Status")) {
      if (!s.status) s.status = std::move(value);
    } else if (absl::EqualsIgnoreCase(field, "Version")) {
      if (!s.version) s.version = std::move(value);
    }
  }
  Finish(&s, &out);
  return out;
}

std::vector<InstalledPackage> ParseRpmQuery(absl::string_view text) {
  std::vector<InstalledPackage> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f.size() != 2 || f[0].empty() || f[1].empty()) continue;
    // VERSION-RELEASE always has a dash; a line cut short may not.
    if (!absl::StrContains(f[1], '-')) continue;
    out.push_back({std::string(f[0]), std::string(f[1])});
  }
  return out;
}

v1::FactTable PackagesTable(const std::vector<InstalledPackage>& packages,
                            absl::string_view source) {
  facts::TableBuilder b(kTable);
  for (const InstalledPackage& p : packages) {
    b.Row()
        .Text("name", p.name)
        .Text("version", p.version)
        .Text("source", std::string(source));
  }
  return b.Build();
}

std::unique_ptr<Collector> NewPackagesCollector() {
  return std::make_unique<PackagesCollector>();
}

}  // namespace trellis::agent::linux_facts
