#include "tools/trellisctl/ctl_main.h"

#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "tools/trellisctl/checked_options.h"
#include "tools/trellisctl/commands.h"

namespace trellis::ctl {
namespace {

constexpr char kFooter[] =
    "Every command has its own --help. Credentials come from --credentials,\n"
    "$TRELLIS_CREDENTIALS, or ~/.config/trellis/credentials (see\n"
    "trellis-server operator create). Destructive commands ask first on a\n"
    "terminal; elsewhere they need --yes.";

// "device revoke": the commands the parser had entered when it stopped;
// `deepest` is the last of them (or the app).
std::string CommandPath(const CLI::App& app, const CLI::App** deepest) {
  std::string path;
  const CLI::App* at = &app;
  while (true) {
    std::vector<CLI::App*> chosen = at->get_subcommands();
    if (chosen.empty()) break;
    at = chosen.front();
    absl::StrAppend(&path, path.empty() ? "" : " ", at->get_name());
  }
  *deepest = at;
  return path;
}

// What went wrong, in the words an operator needs: a word that is not a
// command is named as such rather than as a missing command.
std::string Problem(const CLI::ParseError& e, const CLI::App& app,
                    const CLI::App& at, const std::string& path) {
  // Unclaimed words fall through to the top.
  std::vector<std::string> rest = app.remaining(/*recurse=*/true);
  bool takes_commands =
      !at.get_subcommands([](const CLI::App*) { return true; }).empty();
  if (takes_commands && !rest.empty()) {
    return absl::StrCat("unknown command '", path, path.empty() ? "" : " ",
                        rest.front(), "'");
  }
  return e.what();
}

}  // namespace

int RunCtl(const std::vector<std::string>& args, CtlIo io) {
  Ctl ctl(io);
  Commands commands(ctl);
  CLI::App app("trellisctl: the Trellis admin and help-desk CLI", "trellisctl");
  // Global options may also follow the command ("device show X --json").
  app.fallthrough();
  app.require_subcommand(1);
  app.set_version_flag("--version", "trellisctl " TRELLIS_VERSION);
  app.add_option("--credentials", ctl.credentials_option(),
                 "operator credentials file");
  AddEndpointOption(&app, "--server", &ctl.server_option(),
                    "server address (default: the one in the credentials)");
  app.add_flag("--json", ctl.json_option(), "print the response as JSON");
  app.footer(kFooter);

  AddOperatorCommands(app, commands);
  AddTokenCommands(app, commands);
  AddDeviceCommands(app, commands);
  AddExceptionCommands(app, commands);
  AddAuditCommands(app, commands);
  AddPolicyCommands(app, commands);
  AddComplianceCommands(app, commands);
  AddFactsCommands(app, commands);

  if (args.empty()) {
    io.err << app.help();
    return kExitUsage;
  }
  // CLI11 consumes the arguments from the back.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    // --help and --version: their text on stdout, exit 0.
    if (e.get_exit_code() == 0) return app.exit(e, io.out, io.err);
    const CLI::App* at = &app;
    std::string path = CommandPath(app, &at);
    io.err << "trellisctl: " << Problem(e, app, *at, path) << "\n"
           << "see: trellisctl " << (path.empty() ? "" : path + " ")
           << "--help\n";
    return kExitUsage;
  }
  return commands.RunChosen();
}

int RunCtl(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  std::istringstream no_input;
  return RunCtl(args, CtlIo{no_input, out, err, /*interactive=*/false});
}

}  // namespace trellis::ctl
