// A help-desk diagnostic: a named, allow-listed check with typed parameters
// that runs on an employee's device and streams text back. Diagnostics never
// run arbitrary commands: each one runs fixed programs (through
// CommandRunner) with arguments built from validated parameters, reads
// fixed files (through SystemSource), or calls the injected probes below.
//
// The catalogue (catalogue.h) lists every diagnostic once; the runner
// (runner.h) validates parameters, applies the consent rule for personal
// devices, and bounds each run in time and output.
#ifndef TRELLIS_AGENT_DIAGNOSTICS_DIAGNOSTIC_H_
#define TRELLIS_AGENT_DIAGNOSTICS_DIAGNOSTIC_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/diagnostics/probes.h"
#include "agent/facts/collector.h"
#include "agent/facts/system_source.h"
#include "agent/state/agent_state.h"
#include "common/exec/command_runner.h"
#include "common/util/clock.h"

namespace trellis::agent::diagnostics {

// What a diagnostic reveals, and so whether a personal device needs the
// employee's consent before it runs:
//   basic     no more than the device's basic posture data, which every
//             device sends anyway, or facts about Trellis itself
//   detailed  more of the device than that (log lines, the route table):
//             on a personal device only with the employee's consent
enum class PrivacyClass { kBasic, kDetailed };
const char* PrivacyClassName(PrivacyClass privacy);

enum class ParamType {
  kString,    // printable text, no leading '-'
  kHostname,  // a DNS name or an IP address
  kHostPort,  // host:port, [v6]:port
  kInteger,   // whole number within [min, max]
  kDuration,  // "90s", "5m" within [min, max]
  kEnum,      // one of enum_values
};
const char* ParamTypeName(ParamType type);

struct ParamSpec {
  std::string name;  // kebab-case
  ParamType type = ParamType::kString;
  std::string description;
  bool required = false;
  // Text of the value used when the parameter is absent (and not required);
  // empty for none. It is validated like a given value.
  std::string default_value;
  int64_t min = 0, max = 0;                   // kInteger
  absl::Duration min_duration, max_duration;  // kDuration
  std::vector<std::string> enum_values;       // kEnum
  // >1: the value is a comma-separated list of up to this many items.
  int max_items = 1;
  // Bytes of one item.
  size_t max_length = 253;

  // "names: hostname, up to 8, comma-separated (required)"
  std::string Summary() const;
};

// Parameters after validation: every value has its spec's type, so the
// accessors cannot fail (they return a zero value for a name the spec does
// not have, which is a programming error caught by the diagnostics' tests).
class Params {
 public:
  struct Value {
    std::vector<std::string> items;  // one unless the spec takes a list
    int64_t integer = 0;
    absl::Duration duration;
  };
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Text(const std::string& name) const;
  std::vector<std::string> List(const std::string& name) const;
  int64_t Integer(const std::string& name) const;
  absl::Duration Duration(const std::string& name) const;
  void Set(const std::string& name, Value value) {
    values_[name] = std::move(value);
  }

 private:
  std::map<std::string, Value> values_;
};

// Everything a diagnostic may touch, injected so tests use fakes.
struct DiagnosticEnvironment {
  CommandRunner* runner = nullptr;
  SystemSource* system = nullptr;
  const Clock* clock = nullptr;
  const AgentState* state = nullptr;
  NetworkProbe* network = nullptr;
  FilesystemStats* filesystems = nullptr;
  // Null until the live channel provides one; clock-skew then says so.
  ServerClock* server_clock = nullptr;
  // The platform's fact collectors, made fresh for each fact-collection run.
  std::function<std::vector<std::unique_ptr<Collector>>()> collectors;
  std::string vpn_interface = "trellis0";
  // The systemd unit the agent runs as (installers/systemd).
  std::string service_name = "trellis-agent";
};

class DiagnosticContext;

struct DiagnosticSpec {
  std::string name;         // kebab-case, unique in the catalogue
  std::string description;  // one line
  std::vector<ParamSpec> params;
  PrivacyClass privacy = PrivacyClass::kBasic;
  absl::Duration time_bound = absl::Seconds(15);
  size_t max_output_bytes = 16 << 10;
  // Writes lines through the context; an error is the run's failure
  // message (it should name the step that failed).
  std::function<absl::Status(DiagnosticContext&)> run;
};

// A catalogue entry in one statement.
DiagnosticSpec MakeDiagnostic(
    std::string name, PrivacyClass privacy, absl::Duration time_bound,
    size_t max_output_bytes, std::string description,
    std::function<absl::Status(DiagnosticContext&)> run,
    std::vector<ParamSpec> params = {});

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_DIAGNOSTIC_H_
