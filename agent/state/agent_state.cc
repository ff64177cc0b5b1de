#include "agent/state/agent_state.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/state/local_error.h"
#include "common/crypto/pki.h"
#include "common/util/files.h"
#include "common/util/time_format.h"

namespace trellis::agent {
namespace {

bool ParseTime(const std::string& text, absl::Time* out) {
  std::string err;
  return absl::ParseTime(absl::RFC3339_full, text, out, &err);
}

}  // namespace

absl::StatusOr<uint64_t> SequenceAfter(uint64_t sequence) {
  if (sequence >= kMaxSequence) {
    return absl::OutOfRangeError(
        absl::StrCat("check-in sequence number ", sequence,
                     " has reached the agent's bound ", kMaxSequence,
                     "; enrol this device again"));
  }
  return sequence + 1;
}

std::string DefaultStateDir() {
  if (::geteuid() == 0) return "/var/lib/trellis-agent";
  const char* home = std::getenv("HOME");
  return absl::StrCat(home ? home : ".", "/.local/state/trellis-agent");
}

std::string FormatRecord(const AgentRecord& r) {
  std::string out = absl::StrCat(
      "# trellis-agent state; written by the agent\n",
      "server: ", r.server_address, "\n", "device_id: ", r.device_id, "\n",
      "group: ", r.group, "\n", "ownership: ", r.ownership, "\n",
      "enrolled_at: ", Rfc3339(r.enrolled_at), "\n",
      "next_sequence: ", r.next_sequence, "\n",
      "compliance_state: ", r.compliance_state, "\n",
      "vpn_access: ", r.vpn_access, "\n");
  if (r.last_checkin_at) {
    absl::StrAppend(&out, "last_checkin_at: ", Rfc3339(*r.last_checkin_at),
                    "\n");
  }
  if (r.last_attempt_at) {
    absl::StrAppend(&out, "last_attempt_at: ", Rfc3339(*r.last_attempt_at),
                    "\n");
  }
  // One line: newlines in an error message would break the format.
  std::string result = r.last_checkin_result;
  for (char& c : result) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  absl::StrAppend(&out, "last_checkin_result: ", result, "\n");
  return out;
}

absl::StatusOr<AgentRecord> ParseRecord(const std::string& text) {
  AgentRecord r;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      return absl::DataLossError(
          absl::StrCat("agent.state line ", line_no, ": no 'key: value'"));
    }
    std::string key(line.substr(0, colon));
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    auto bad = [&] {
      return absl::DataLossError(
          absl::StrCat("agent.state line ", line_no, ": bad value for ", key));
    };
    absl::Time t;
    if (key == "server") {
      r.server_address = value;
    } else if (key == "device_id") {
      r.device_id = value;
    } else if (key == "group") {
      r.group = value;
    } else if (key == "ownership") {
      r.ownership = value;
    } else if (key == "enrolled_at") {
      if (!ParseTime(value, &r.enrolled_at)) return bad();
    } else if (key == "next_sequence") {
      if (!absl::SimpleAtoi(value, &r.next_sequence) || r.next_sequence == 0) {
        return bad();
      }
      if (r.next_sequence > kMaxSequence) {
        return absl::DataLossError(absl::StrCat(
            "agent.state line ", line_no, ": next_sequence ", r.next_sequence,
            " is past the bound ", kMaxSequence, "; enrol this device again"));
      }
    } else if (key == "last_checkin_at") {
      if (!ParseTime(value, &t)) return bad();
      r.last_checkin_at = t;
    } else if (key == "last_attempt_at") {
      if (!ParseTime(value, &t)) return bad();
      r.last_attempt_at = t;
    } else if (key == "compliance_state") {
      if (!absl::SimpleAtoi(value, &r.compliance_state)) return bad();
    } else if (key == "vpn_access") {
      if (!absl::SimpleAtoi(value, &r.vpn_access)) return bad();
    } else if (key == "last_checkin_result") {
      r.last_checkin_result = value;
    }
    // Unknown keys are skipped, so an older agent can read a newer file.
  }
  if (r.server_address.empty() || r.device_id.empty()) {
    return absl::DataLossError("agent.state lacks server or device_id");
  }
  return r;
}

bool AgentState::IsEnrolled() const {
  return FileExists(RecordPath()) && FileExists(KeyPath()) &&
         FileExists(CertPath());
}

absl::StatusOr<AgentRecord> AgentState::LoadRecord() const {
  if (!FileExists(RecordPath())) {
    return absl::FailedPreconditionError(
        absl::StrCat("this device is not enrolled (no ", RecordPath(),
                     "); run: trellis-agent enroll --token TOKEN"));
  }
  auto text = ReadFile(RecordPath());
  if (!text.ok()) return LocalError(text.status(), "reading agent state");
  return ParseRecord(*text);
}

absl::Status AgentState::WriteStateFile(const std::string& path,
                                        const std::string& content,
                                        int mode) const {
  absl::Status s = writer_ ? writer_(path, content, mode)
                           : WriteFileAtomic(path, content, mode);
  return LocalError(s, absl::StrCat("cannot save ", path));
}

absl::Status AgentState::SaveRecord(const AgentRecord& record) const {
  return WriteStateFile(RecordPath(), FormatRecord(record), 0600);
}

absl::Status AgentState::SaveIdentity(const std::string& key_pem,
                                      const std::string& cert_pem,
                                      const std::string& ca_pem) const {
  absl::Status s =
      LocalError(MakeDirs(dir_, 0700), "creating the state directory");
  if (s.ok()) s = WriteStateFile(KeyPath(), key_pem, 0600);
  if (s.ok()) s = WriteStateFile(CertPath(), cert_pem, 0644);
  if (s.ok()) s = WriteStateFile(CaPath(), ca_pem, 0644);
  return s;
}

absl::StatusOr<AgentState::Identity> AgentState::LoadIdentity() const {
  auto ca = ReadFile(CaPath());
  if (!ca.ok()) {
    // Missing says "not enrolled"; anything else is a local read error.
    if (absl::IsNotFound(ca.status())) return ca.status();
    return LocalError(ca.status(), "reading the pinned CA");
  }
  // A renewal writes device.key.new and device.crt.new, then renames them
  // over the old pair; a crash in between leaves a mix. Take the first pair
  // whose certificate matches its key.
  const std::string key_new = KeyPath() + ".new";
  const std::string cert_new = CertPath() + ".new";
  for (auto [key_path, cert_path] :
       {std::pair{KeyPath(), CertPath()}, std::pair{key_new, cert_new},
        std::pair{KeyPath(), cert_new}}) {
    auto key = ReadFile(key_path);
    auto cert = ReadFile(cert_path);
    if (!key.ok() || !cert.ok()) continue;
    auto public_key = crypto::PublicKeyFromPrivate(*key);
    auto info = crypto::ParseCertificate(*cert);
    if (!public_key.ok() || !info.ok() || info->public_key_pem != *public_key) {
      continue;
    }
    return Identity{*std::move(key), *std::move(cert), *std::move(ca)};
  }
  return absl::DataLossError(absl::StrCat(
      "no device key in ", dir_, " matches its certificate; enrol again"));
}

absl::Status AgentState::InstallRenewedIdentity(
    const std::string& key_pem, const std::string& cert_pem) const {
  const std::string key_new = KeyPath() + ".new";
  const std::string cert_new = CertPath() + ".new";
  absl::Status s = WriteStateFile(key_new, key_pem, 0600);
  if (s.ok()) s = WriteStateFile(cert_new, cert_pem, 0644);
  if (s.ok() && std::rename(key_new.c_str(), KeyPath().c_str()) != 0) {
    s = LocalError(absl::InternalError(KeyPath()), "cannot replace");
  }
  if (s.ok() && std::rename(cert_new.c_str(), CertPath().c_str()) != 0) {
    s = LocalError(absl::InternalError(CertPath()), "cannot replace");
  }
  return s;
}

}  // namespace trellis::agent
