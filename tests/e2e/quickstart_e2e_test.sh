#!/usr/bin/env bash
# Runs the README's quick start against the built binaries, as separate real
# processes, and checks what a new user would see; then checks a server
# restart keeps the fleet and a SIGTERM stops the server cleanly.
#   quickstart_e2e_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1"
build="$2"
state="$(mktemp -d /tmp/trellis-e2e-XXXXXX)"
cleanup() {
  # Wait for the server to exit: it still writes its state while stopping,
  # and a file it creates during rm -rf makes the removal fail.
  if [ -f "$state/server.pid" ]; then
    local pid
    pid="$(cat "$state/server.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$state"
}
trap cleanup EXIT

out="$("$src/installers/quickstart.sh" --skip-setup --build-dir "$build" --state-dir "$state" 2>&1)"
echo "$out"
fail() { echo "FAIL: $*" >&2; exit 1; }
grep -q "Enrolled as device d" <<<"$out" || fail "agent did not enrol"
grep -q "Check-in accepted." <<<"$out" || fail "no check-in"
grep -q "1 device(s)" <<<"$out" || fail "fleet listing does not show one device"
grep -q "$(hostname)" <<<"$out" || fail "fleet listing lacks this host's name"
grep -q "Published bundle version 1." <<<"$out" || fail "shipped policies were not published"
grep -q "Compliance:" <<<"$out" || fail "no server-side compliance report"
grep -q "Policy bundle version 1" <<<"$out" || fail "agent check did not use the fetched bundle"
grep -q "evaluated devices compliant" <<<"$out" || fail "no fleet compliance summary"
[ -f "$state/agent/policy-bundle.pb" ] || fail "agent did not keep the bundle"

# show-data lists what is sent, grouped by privacy class.
data="$("$build/agent/trellis-agent" show-data --state-dir "$state/agent")"
grep -q "== basic ==" <<<"$data" || fail "show-data has no basic section"
grep -q "\[os_version\]" <<<"$data" || fail "show-data lacks os_version"
"$build/agent/trellis-agent" check --json --state-dir "$state/agent" >"$state/check.json" || true
grep -q '"bundle_version": "1"' "$state/check.json" || fail "check --json lacks the bundle version"
[ "$(stat -c %a "$state/server/ca.key")" = 600 ] || fail "ca.key is not 0600"
[ "$(stat -c %a "$state/agent/device.key")" = 600 ] || fail "device.key is not 0600"
[ "$(stat -c %a "$state/admin.creds")" = 600 ] || fail "credentials are not 0600"

# SIGTERM stops the server; a restart on the same port keeps everything.
pid="$(cat "$state/server.pid")"
address="$(cat "$state/server/server.address")"
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "server did not stop on SIGTERM"
grep -q "server: stopped" "$state/server.log" || fail "server did not log a clean stop"

"$build/server/trellis-server" --state-dir "$state/server" --listen "$address" \
  >>"$state/server.log" 2>&1 &
echo $! >"$state/server.pid"
export TRELLIS_CREDENTIALS="$state/admin.creds"
for _ in $(seq 100); do "$build/tools/trellisctl/trellisctl" whoami >/dev/null 2>&1 && break; sleep 0.1; done
"$build/agent/trellis-agent" run --once --no-vpn --state-dir "$state/agent" || fail "check-in after restart"
list="$("$build/tools/trellisctl/trellisctl" device list)"
echo "$list"
grep -q "1 device(s)" <<<"$list" || fail "device lost across restart"
"$build/tools/trellisctl/trellisctl" audit verify || fail "audit chain broken"
status="$("$build/agent/trellis-agent" status --json --state-dir "$state/agent")"
grep -q '"next_sequence":3' <<<"$status" || fail "agent sequence not advanced: $status"

# A failing admin command exits non-zero with the server's reason.
if err="$("$build/tools/trellisctl/trellisctl" device show dzzzzzzzzzzzzzzzzzzzzzzzzzz 2>&1)"; then
  fail "showing an unknown device succeeded"
fi
grep -q "not found" <<<"$err" || fail "unknown device error unclear: $err"
echo "quickstart e2e: ok"
