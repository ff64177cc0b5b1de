// facts reference: the fact tables policies query (offline).
#include "common/facts/fact_schema.h"
#include "tools/trellisctl/commands.h"

namespace trellis::ctl {

void AddFactsCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  CLI::App* facts = commands.Group(app, "facts", "the facts agents report");
  commands.Add(facts, "reference", "the fact tables as Markdown (offline)",
               [&ctl] {
                 ctl.out() << facts::RenderFactsReference();
                 return kExitOk;
               });
}

}  // namespace trellis::ctl
