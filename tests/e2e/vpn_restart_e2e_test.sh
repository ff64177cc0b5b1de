#!/usr/bin/env bash
# A server outage longer than the validity window must not cut a compliant
# device's tunnel, with real WireGuard in network namespaces (set-up in
# vpn_netns_env.sh: one device, A).
#
# A pings the gateway's tunnel address every 0.2 s throughout. The server is
# stopped for longer than `--validity-window`, then started again. Time the
# server was down is not silence: A checks in within the restart grace and
# never goes stale, and the gateway never removes A's peer (a removed and
# re-added WireGuard peer carries no traffic for ~15 s). The test fails if
# any gap between ping replies exceeds 2 s, if A's history shows a stale
# transition, or if the gateway log shows A's peer removed.
#   vpn_restart_e2e_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
validity_s=4
outage_s=7     # longer than the validity window
after_s=20     # longer than WireGuard's ~15 s recovery from a removed peer
max_gap_ms=2000
# The default restart grace (check-in interval + 5 min) outlasts the test.
server_flags=(--validity-window "${validity_s}s")
vpn_devices=(a)
source "$(dirname "$0")/vpn_netns_env.sh" "$1" "$2"

wait_for_peers || fail "A's peer never reached the gateway"
wait_for 30 pings "$ns_a" || fail "A cannot ping through the tunnel while compliant"
echo "step 1: A compliant, its tunnel carries traffic"

# -D: a Unix timestamp on every reply, so gaps can be measured afterwards.
in_ns "$ns_a" ping -D -n -i 0.2 -W 1 10.99.0.1 >"$work/ping.out" 2>&1 &
echo $! >"$work/ping.pid"
disown
ping_started_ms="$(now_ms)"
sleep 2
stop_pid "$(cat "$work/server.pid")"
echo "step 2: server stopped for ${outage_s} s (validity window ${validity_s} s)"
sleep "$outage_s"
start_server "$address"
restarted_ms="$(now_ms)"
echo "step 3: server started again; watching A's tunnel for ${after_s} s"
sleep "$after_s"
# SIGINT: ping flushes its output and exits.
kill -INT "$(cat "$work/ping.pid")"
ping_stopped_ms="$(now_ms)"
sleep 0.5

# Reply times in ms, with the start and end of pinging as the outer edges,
# so a dead tunnel at either end counts as a gap too.
replies="$(sed -n 's/^\[\([0-9]*\)\.\([0-9]\{3\}\)[0-9]*\] .*bytes from.*/\1\2/p' "$work/ping.out")"
[ -n "$replies" ] || fail "no ping replies at all: $(tail -n 5 "$work/ping.out")"
read -r max_gap gap_end count < <(
  { echo "$ping_started_ms"; echo "$replies"; echo "$ping_stopped_ms"; } |
    awk 'NR > 1 && $1 - prev > max { max = $1 - prev; end = $1 }
         { prev = $1 } END { printf "%.0f %.0f %d\n", max, end, NR - 2 }')
echo "ping: $count replies; longest gap ${max_gap} ms, ending $(( gap_end - restarted_ms )) ms after the restart"
history="$(ctl device history "$id_a")"
grep -qi "stale" <<<"$history" && fail "A went stale across the restart: $history"
grep -q "removed peer $key_a" "$work/gateway.log" &&
  fail "the gateway removed A's peer: $(grep "peer $key_a" "$work/gateway.log")"
[ "$max_gap" -le "$max_gap_ms" ] ||
  fail "A's tunnel stopped for ${max_gap} ms (limit ${max_gap_ms} ms)"
pings "$ns_a" || fail "A cannot ping at the end"
echo "vpn restart e2e: ok"
