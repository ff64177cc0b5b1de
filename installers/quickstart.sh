#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working Trellis:
# installs what is missing, builds, starts trellis-server on 127.0.0.1 with
# its embedded SQLite store, creates an admin, publishes the shipped policy
# packs, creates an enrolment token, enrols this machine's agent, checks in,
# and prints the fleet and this machine's compliance report.
#
#   installers/quickstart.sh [--state-dir DIR] [--build-dir DIR] [--skip-setup]
#
# The server keeps running afterwards (its PID is in STATE/server.pid);
# run the script again to restart it, or: kill "$(cat STATE/server.pid)".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.trellis"
build="$root/build"
skip_setup=0
while [ $# -gt 0 ]; do
  case "$1" in
    --state-dir) state="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --skip-setup) skip_setup=1; shift ;;
    *) echo "usage: $0 [--state-dir DIR] [--build-dir DIR] [--skip-setup]" >&2; exit 2 ;;
  esac
done

if [ "$skip_setup" -eq 0 ]; then
  "$root/installers/debian/install-deps.sh"
  echo "== building (first build takes several minutes)"
  # Only the binaries the quick start runs; the build directory stays
  # configured for the test suite, so installers/test.sh can share it.
  TRELLIS_BUILD_TARGETS="trellis-server trellis-agent trellisctl" \
    "$root/installers/build.sh" "$build"
fi
[ "${TRELLIS_CONFIGURE_ONLY:-0}" = 1 ] && exit 0
server_bin="$build/server/trellis-server"
agent_bin="$build/agent/trellis-agent"
ctl_bin="$build/tools/trellisctl/trellisctl"

mkdir -p "$state"
chmod 700 "$state"
if [ -f "$state/server.pid" ] && kill -0 "$(cat "$state/server.pid")" 2>/dev/null; then
  echo "== stopping the previous demo server"
  kill "$(cat "$state/server.pid")"
  for _ in $(seq 50); do kill -0 "$(cat "$state/server.pid")" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$state/server/server.address"

echo "== starting trellis-server (state in $state/server)"
"$server_bin" --state-dir "$state/server" --listen 127.0.0.1:0 \
  >"$state/server.log" 2>&1 &
echo $! >"$state/server.pid"
for _ in $(seq 100); do
  [ -s "$state/server/server.address" ] && break
  kill -0 "$(cat "$state/server.pid")" 2>/dev/null || { cat "$state/server.log" >&2; exit 1; }
  sleep 0.1
done
address="$(cat "$state/server/server.address")"
echo "   listening on $address"

echo "== creating operator 'admin'"
"$server_bin" operator create --state-dir "$state/server" --name admin \
  --role admin --out "$state/admin.creds"
export TRELLIS_CREDENTIALS="$state/admin.creds"
"$ctl_bin" whoami

echo "== publishing the shipped policy packs (policies/)"
"$ctl_bin" policy apply "$root/policies"

echo "== creating an enrolment token"
token="$("$ctl_bin" token create --group demo --ownership corporate --ttl 1h \
  --description "quickstart" --json | sed -n 's/.*"token": "\(trellis1[^"]*\)".*/\1/p')"
[ -n "$token" ] || { echo "no token created" >&2; exit 1; }

echo "== enrolling this machine's agent"
rm -rf "$state/agent"
# --no-vpn: the shipped VPN profile names a placeholder gateway, so this
# machine's own network is left alone (see docs/vpn.md to try the VPN).
"$agent_bin" enroll --token "$token" --state-dir "$state/agent" --no-vpn
"$agent_bin" run --once --state-dir "$state/agent" --no-vpn
"$agent_bin" status --state-dir "$state/agent"

echo "== fleet (trellisctl device list)"
"$ctl_bin" device list

device_id="$("$ctl_bin" device list --json | sed -n 's/.*"device_id": "\(d[a-z2-7]*\)".*/\1/p' | head -1)"
echo "== compliance report for this machine (trellisctl device show $device_id)"
"$ctl_bin" device show "$device_id" | sed '/^\[/,$d'
echo "== fleet compliance (trellisctl compliance summary)"
"$ctl_bin" compliance summary
echo "== what the employee sees (trellis-agent check)"
"$agent_bin" check --state-dir "$state/agent" || true

cat <<EOT

Trellis is running. Try:
  export TRELLIS_CREDENTIALS=$state/admin.creds
  $ctl_bin device show $device_id
  $ctl_bin audit list
  $agent_bin show-data --state-dir $state/agent
Stop the server with: kill \$(cat $state/server.pid)
EOT
