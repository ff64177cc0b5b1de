#include "agent/facts/linux/os_version_collector.h"

#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/facts/linux/linux_collectors.h"
#include "agent/facts/os_release.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "os_version";

// An empty value says nothing (VERSION_CODENAME="" on Fedora), so it is
// NULL rather than "".
std::optional<std::string> Get(const std::map<std::string, std::string>& m,
                               const char* key) {
  auto it = m.find(key);
  if (it == m.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

class OsVersionCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    // /etc/os-release wins; /usr/lib/os-release is the vendor copy that
    // os-release(5) says to read when /etc has none.
    absl::StatusOr<std::string> text = ctx.system->ReadFile("/etc/os-release");
    absl::Status etc_error = text.status();
    if (!text.ok()) text = ctx.system->ReadFile("/usr/lib/os-release");
    absl::StatusOr<UnameInfo> uname = ctx.system->Uname();
    if (!text.ok() && !uname.ok()) {
      return facts::TableBuilder::Unknown(
          kTable,
          absl::StrCat("os-release unreadable (", etc_error.message(), "; ",
                       text.status().message(), ") and uname failed (",
                       uname.status().message(), ")"));
    }
    OsVersion version;
    if (text.ok()) version = ParseOsVersion(*text);
    if (uname.ok()) AddUname(*uname, &version);
    return OsVersionTable(version);
  }
};

}  // namespace

OsVersion ParseOsVersion(absl::string_view os_release) {
  std::map<std::string, std::string> fields = ParseOsRelease(os_release);
  OsVersion out;
  out.name = Get(fields, "NAME");
  out.version = Get(fields, "VERSION");
  out.version_id = Get(fields, "VERSION_ID");
  out.id = Get(fields, "ID");
  out.pretty_name = Get(fields, "PRETTY_NAME");
  return out;
}

void AddUname(const UnameInfo& uname, OsVersion* version) {
  version->kernel_release = NonEmpty(uname.release);
  version->arch = NonEmpty(uname.machine);
}

v1::FactTable OsVersionTable(const OsVersion& v) {
  facts::TableBuilder b(kTable);
  b.Row()
      .Text("name", v.name)
      .Text("version", v.version)
      .Text("version_id", v.version_id)
      .Text("id", v.id)
      .Text("pretty_name", v.pretty_name)
      .Text("kernel_release", v.kernel_release)
      .Text("arch", v.arch)
      .Text("security_patch_level", std::nullopt);
  return b.Build();
}

std::unique_ptr<Collector> NewOsVersionCollector() {
  return std::make_unique<OsVersionCollector>();
}

}  // namespace trellis::agent::linux_facts
