// trellis-gateway: applies the server's VPN allow-list to a WireGuard
// interface. See app/gateway_app.h.
#include <iostream>

#include "common/exec/command_runner.h"
#include "gateway/app/gateway_app.h"

int main(int argc, char** argv) {
  trellis::RealCommandRunner runner;
  return trellis::gateway::RunGateway({argv + 1, argv + argc}, &runner,
                                      std::cout, std::cerr);
}
