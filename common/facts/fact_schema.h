// Every fact table Trellis knows, declared once. The declaration drives the
// collectors (which must produce exactly these columns), the SQLite tables
// policy checks run against, privacy filtering for personal devices, and
// docs/facts.md.
#ifndef TRELLIS_COMMON_FACTS_FACT_SCHEMA_H_
#define TRELLIS_COMMON_FACTS_FACT_SCHEMA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::facts {

enum class ColumnType { kText, kInteger, kReal, kBool };

// What a table reveals, and so who sends it:
//   basic      security posture only; every device, personal ones included
//   inventory  what is installed and running; corporate devices only
//   sensitive  names people use (accounts); corporate devices only
enum class PrivacyClass { kBasic, kInventory, kSensitive };

// Bit set of platforms a table is collected on.
enum PlatformBit : uint32_t {
  kLinux = 1u << 0,
  kMacos = 1u << 1,
  kWindows = 1u << 2,
  kAndroid = 1u << 3,
  kIos = 1u << 4,
  kDesktops = kLinux | kMacos | kWindows,
  kMobile = kAndroid | kIos,
  kAllPlatforms = kDesktops | kMobile,
};

struct ColumnSpec {
  std::string name;
  ColumnType type;
  std::string description;
};

struct TableSpec {
  std::string name;
  std::string description;
  PrivacyClass privacy;
  uint32_t platforms;
  std::vector<ColumnSpec> columns;

  // Index of `column`, or -1.
  int ColumnIndex(absl::string_view column) const;
};

// All tables, in documentation order.
const std::vector<TableSpec>& FactSchema();
const TableSpec* FindTable(absl::string_view name);

const char* ColumnTypeName(ColumnType type);
const char* PrivacyClassName(PrivacyClass privacy);
uint32_t PlatformBitFor(v1::Platform platform);

// Checks a collected table against its declaration: known table, the exact
// columns in order, and every non-null value of the declared type.
absl::Status CheckTableAgainstSchema(const v1::FactTable& table);

// True when a device of this ownership may send (and the server may keep)
// tables of this class.
bool AllowedFor(PrivacyClass privacy, v1::Ownership ownership);

// docs/facts.md, generated from the declarations.
std::string RenderFactsReference();

}  // namespace trellis::facts

#endif  // TRELLIS_COMMON_FACTS_FACT_SCHEMA_H_
