#include "tools/trellisctl/ctl.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/crypto/pki.h"
#include "common/identity/operator_credentials.h"
#include "common/rpc/tls_channel.h"
#include "common/util/files.h"
#include "common/util/proto_json.h"
#include "common/util/terminal_text.h"
#include "common/util/time_format.h"

namespace trellis::ctl {
namespace {

const char* ErrorWord(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "invalid argument";
    case grpc::StatusCode::NOT_FOUND:
      return "not found";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "already exists";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "permission denied";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "not authenticated";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "refused";
    case grpc::StatusCode::UNAVAILABLE:
      return "server unavailable";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "timed out";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "too much";
    default:
      return "error";
  }
}

}  // namespace

grpc::Status Ctl::Connect() {
  if (stub_ != nullptr) return grpc::Status::OK;
  std::string path = credentials_;
  if (path.empty()) {
    const char* env = std::getenv("TRELLIS_CREDENTIALS");
    const char* home = std::getenv("HOME");
    path = env != nullptr ? env
                          : absl::StrCat(home ? home : ".",
                                         "/.config/trellis/credentials");
  }
  auto text = ReadFile(path);
  if (!text.ok()) {
    return grpc::Status(
        grpc::StatusCode::UNAUTHENTICATED,
        absl::StrCat("cannot read credentials: ", text.status().message()));
  }
  auto creds = identity::ParseOperatorCredentials(*text);
  if (!creds.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        absl::StrCat(path, ": ", creds.status().message()));
  }
  // The server would end the handshake on an expired certificate with
  // nothing but "Socket closed"; said here, the operator knows what to do.
  auto cert = crypto::ParseCertificate(creds->certificate_pem);
  if (!cert.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        absl::StrCat(path, ": ", cert.status().message()));
  }
  if (absl::Now() >= cert->not_after) {
    return grpc::Status(
        grpc::StatusCode::UNAUTHENTICATED,
        absl::StrCat("the credentials in ", path, " expired at ",
                     Rfc3339(cert->not_after),
                     "; make new ones with trellis-server operator create"));
  }
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(64 << 20);
  std::string address = server_.empty() ? creds->server_address : server_;
  stub_ = v1::AdminService::NewStub(rpc::MakeTlsChannel(
      address, rpc::OperatorTlsIdentity(*creds), channel_args));
  return grpc::Status::OK;
}

void Ctl::Print(const google::protobuf::Message& m,
                const std::function<std::string()>& human) {
  out() << (json_ ? ToJsonText(m) : human());
}

int Ctl::Refused(const grpc::Status& status) {
  // Server messages can quote what a device sent.
  err() << "trellisctl: " << ErrorWord(status.error_code()) << ": "
        << TerminalSafe(status.error_message()) << "\n";
  return kExitRefused;
}

int Ctl::UsageError(const std::string& message) {
  err() << "trellisctl: " << message << "\n";
  return kExitUsage;
}

int Ctl::Confirm(const std::string& question, bool yes) {
  if (yes) return kExitOk;
  if (!io_.interactive) {
    return UsageError(
        absl::StrCat(question,
                     " There is no terminal to confirm on: pass --yes to go "
                     "ahead. Nothing was changed."));
  }
  // The question goes to stderr so stdout stays the command's output.
  err() << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(io_.in, answer);
  answer = absl::AsciiStrToLower(absl::StripAsciiWhitespace(answer));
  if (answer == "y" || answer == "yes") return kExitOk;
  err() << "trellisctl: not confirmed; nothing was changed.\n";
  return kExitRefused;
}

}  // namespace trellis::ctl
