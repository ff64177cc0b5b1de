// whoami: the operator behind the credentials in use.
#include "absl/strings/str_cat.h"
#include "tools/trellisctl/commands.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {

void AddOperatorCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  commands.Add(
      &app, "whoami", "the operator, role and credential expiry", [&ctl] {
        return ctl.CallAndPrint(
            &Ctl::Stub::WhoAmI, v1::WhoAmIRequest(),
            [](const v1::WhoAmIResponse& r) {
              return absl::StrCat(
                  "operator:    ", Safe(r.operator_name()), "\n",
                  "role:        ", EnumWord(v1::Role_Name(r.role()), "ROLE_"),
                  "\n", "credentials: expire ",
                  When(r.certificate_expires_at()), " UTC\n");
            });
      });
}

}  // namespace trellis::ctl
