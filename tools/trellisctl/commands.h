// How command groups register their commands. Each group (device, token,
// policy, ...) lives in its own <group>_commands.cc and adds its commands,
// each with only its own flags, to the parser; the chosen command's body
// runs only after the whole command line parsed cleanly, so a stray or
// misspelt flag stops the command before it does anything.
#ifndef TRELLIS_TOOLS_TRELLISCTL_COMMANDS_H_
#define TRELLIS_TOOLS_TRELLISCTL_COMMANDS_H_

#include <functional>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "tools/trellisctl/ctl.h"

namespace trellis::ctl {

class Commands {
 public:
  explicit Commands(Ctl& ctl) : ctl_(ctl) {}
  Ctl& ctl() { return ctl_; }

  // A word that groups commands ("device"); one of them must follow.
  CLI::App* Group(CLI::App& parent, const std::string& name,
                  const std::string& description);
  // A command; `run` is its body, returning the exit code.
  CLI::App* Add(CLI::App* parent, const std::string& name,
                const std::string& description, std::function<int()> run);

  int RunChosen();

 private:
  Ctl& ctl_;
  std::function<int()> chosen_;
};

// Each group's commands; see the matching <group>_commands.cc.
void AddOperatorCommands(CLI::App& app, Commands& commands);
void AddTokenCommands(CLI::App& app, Commands& commands);
void AddDeviceCommands(CLI::App& app, Commands& commands);
void AddExceptionCommands(CLI::App& app, Commands& commands);
void AddAuditCommands(CLI::App& app, Commands& commands);
void AddPolicyCommands(CLI::App& app, Commands& commands);
void AddComplianceCommands(CLI::App& app, Commands& commands);
void AddFactsCommands(CLI::App& app, Commands& commands);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_COMMANDS_H_
