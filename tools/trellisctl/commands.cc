#include "tools/trellisctl/commands.h"

namespace trellis::ctl {

CLI::App* Commands::Group(CLI::App& parent, const std::string& name,
                          const std::string& description) {
  CLI::App* group = parent.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

CLI::App* Commands::Add(CLI::App* parent, const std::string& name,
                        const std::string& description,
                        std::function<int()> run) {
  CLI::App* command = parent->add_subcommand(name, description);
  // Only records the choice: parsing may still fail on a later argument.
  command->callback([this, run = std::move(run)] { chosen_ = run; });
  return command;
}

int Commands::RunChosen() {
  if (!chosen_) return ctl_.UsageError("no command given (see --help)");
  return chosen_();
}

}  // namespace trellis::ctl
