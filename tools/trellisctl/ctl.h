// What every trellisctl command shares: the streams, the global options
// (--credentials, --server, --json), the connection to the admin API, how a
// refusal is reported and how a destructive step is confirmed.
#ifndef TRELLIS_TOOLS_TRELLISCTL_CTL_H_
#define TRELLIS_TOOLS_TRELLISCTL_CTL_H_

#include <chrono>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>

#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "trellis/v1/admin_service.grpc.pb.h"

namespace trellis::ctl {

// Exit codes: 0 ok, 1 the server refused or failed (or the operator said
// no), 2 usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;

struct CtlIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // True when `in` is a terminal a person can answer a question on.
  bool interactive = false;
};

class Ctl {
 public:
  using Stub = v1::AdminService::Stub;

  explicit Ctl(CtlIo io) : io_(io) {}

  std::ostream& out() { return io_.out; }
  std::ostream& err() { return io_.err; }
  bool json() const { return json_; }
  bool interactive() const { return io_.interactive; }

  // Global options, bound by the command line parser.
  std::string& credentials_option() { return credentials_; }
  std::string& server_option() { return server_; }
  bool& json_option() { return json_; }

  // One unary admin RPC with the standard deadline. The first call reads
  // the credentials and opens the channel, so a command refused before it
  // calls anything (a usage error, an unconfirmed change) never connects.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::Status connected = Connect();
    if (!connected.ok()) return connected;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    return (stub_.get()->*method)(&context, request, response);
  }

  // Calls, then prints the response: JSON with --json, else `human`.
  // `human` is called as human(const Response&) -> std::string.
  template <typename Request, typename Response, typename Human>
  int CallAndPrint(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                const Request&, Response*),
                   const Request& request, const Human& human) {
    Response response;
    grpc::Status s = Call(method, request, &response);
    if (!s.ok()) return Refused(s);
    Print(response, [&] { return human(response); });
    return kExitOk;
  }

  // Prints JSON when asked, else the human rendering (whose untrusted parts
  // the caller has already made terminal-safe).
  void Print(const google::protobuf::Message& m,
             const std::function<std::string()>& human);

  // Reports a server refusal on stderr; returns kExitRefused.
  int Refused(const grpc::Status& status);
  // Reports a usage problem on stderr; returns kExitUsage. Untrusted parts
  // of `message` must already be terminal-safe.
  int UsageError(const std::string& message);

  // Asks before a destructive step. `yes` (--yes) answers for the operator;
  // without a terminal and without --yes the step is refused, since nobody
  // can have read the question. Untrusted parts of `question` must already
  // be terminal-safe. Returns kExitOk to go ahead, else the exit
  // code to stop with (after saying why).
  int Confirm(const std::string& question, bool yes);

 private:
  // Opens the channel once; UNAUTHENTICATED naming the credentials problem
  // when they cannot be used.
  grpc::Status Connect();

  CtlIo io_;
  std::string credentials_;
  std::string server_;
  bool json_ = false;
  std::unique_ptr<Stub> stub_;
};

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_CTL_H_
