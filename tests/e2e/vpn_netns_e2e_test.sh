#!/usr/bin/env bash
# VPN enforcement end to end, with real WireGuard (wireguard-go) in network
# namespaces: a hub namespace runs trellis-server and routes between a
# gateway namespace (trellis-gateway on its own WireGuard interface) and two
# device namespaces (trellis-agent managing each device's tunnel).
#
#   A compliant                 -> A pings the gateway through the tunnel
#   A's firewall rules flushed  -> A's peer leaves the gateway within 1 s of
#                                  the verdict; A's ping fails; B unaffected
#   A's rules restored          -> peer back within 1 s; ping works
#   check made quarantine,      -> B's tunnel address enters the gateway's
#   B's firewall rules flushed     nftables quarantine table within 1 s; B
#                                  keeps its peer but its ping fails
#   B revoked                   -> B's peer gone within 1 s; B's ping fails
#   gateway and server restart  -> a hand-added rogue peer is removed at
#                                  start, and later changes still arrive
#   A's agent stopped           -> A goes stale after the validity window and
#                                  loses its peer within 1 s of that verdict
#
# Latencies are measured between the server's recorded transition time and
# the moment the peer appears/disappears in `wg show` on the gateway (both on
# this machine's clock, polled every ~10 ms) and printed as "latency ...".
# The set-up is vpn_netns_env.sh; everything it makes is removed on exit.
#   vpn_netns_e2e_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
# Agents check in every 1 s plus the time to collect facts, which on a
# loaded machine can reach ~12 s: the validity window leaves room for that,
# and the restart grace (normally interval + back-off) ends soon enough for
# step 6 to see staleness after the restarts of step 5.
server_flags=(--validity-window 30s --restart-grace 15s)
vpn_devices=(a b)
source "$(dirname "$0")/vpn_netns_env.sh" "$1" "$2"
limit_ms=1000

# When the server recorded the device's last move to `state`, in ms.
transition_ms() {  # device state
  local t
  t="$(ctl device history "$1" --json | tr -d '\n' |
    grep -o '"to_state": *"COMPLIANCE_STATE_'"${2^^}"'"[^}]*' | tail -1 |
    sed -n 's/.*"time": *"\([^"]*\)".*/\1/p')"
  [ -n "$t" ] || return 1
  date -d "$t" +%s%3N
}
latencies=()
record() {  # label device state peer_ms
  local verdict
  for _ in $(seq 50); do verdict="$(transition_ms "$2" "$3")" && break; sleep 0.1; done
  [ -n "$verdict" ] || fail "$1: no transition to $3 recorded: $(ctl device history "$2" --json)"
  local ms=$(( $4 - verdict ))
  echo "latency $1: ${ms} ms (verdict to gateway)"
  latencies+=("$1=$ms")
  [ "$ms" -le "$limit_ms" ] || fail "$1 took ${ms} ms, over ${limit_ms} ms"
}

# --- 1. both compliant: peers present, pings through the tunnels work.
wait_for_peers || true
gateway_has "$key_a" || fail "A's peer never reached the gateway"
gateway_has "$key_b" || fail "B's peer never reached the gateway"
wait_for 30 pings "$ns_a" || fail "A cannot ping through the tunnel while compliant"
wait_for 30 pings "$ns_b" || fail "B cannot ping through the tunnel while compliant"
status="$(in_ns "$ns_a" "$agent_bin" status --state-dir "$work/a" --vpn-interface "$wg_a")"
grep -q "VPN access:    full" <<<"$status" || fail "A's status lacks full VPN access: $status"
grep -q "Interface:.* up" <<<"$status" || fail "A's status lacks the interface state: $status"
echo "step 1: A and B compliant, both tunnels carry traffic"

# --- 2. A's firewall rules flushed: A loses its peer; B keeps working.
in_ns "$ns_a" nft flush ruleset
removed="$(watch_peer "$key_a" 0 30)" || fail "A's peer was not removed"
record "A noncompliant" "$id_a" noncompliant "$removed"
pings "$ns_a" && fail "A still pings after losing access"
pings "$ns_b" || fail "B lost its tunnel when A became noncompliant"
gateway_has "$key_b" || fail "B's peer was touched"
wait_for 10 bash -c "ip netns exec $ns_a $agent_bin status --state-dir $work/a \
  --vpn-interface $wg_a | grep -q 'VPN access:    none - noncompliant'" ||
  fail "A's status does not say why access was removed"
echo "step 2: A noncompliant and cut off, B untouched"

# --- 3. A fixed: peer restored, ping works again.
firewall_on "$ns_a"
restored="$(watch_peer "$key_a" 1 30)" || fail "A's peer was not restored"
record "A compliant again" "$id_a" compliant "$restored"
wait_for 30 pings "$ns_a" || fail "A cannot ping after being fixed"
echo "step 3: A fixed, access back"

# --- 3b. the check becomes a quarantine check and B fails it: B keeps its
# peer, restricted by the gateway's nftables table (the nft load is on this
# path, so it is timed separately).
firewall_policy quarantine
ctl policy apply "$work/policies" >/dev/null || fail "policy apply (quarantine)"
addr_b="$(in_ns "$ns_gw" wg show "$wg_gw" allowed-ips | awk -v k="$key_b" '$1 == k { print $2 }')"
[ -n "$addr_b" ] || fail "no tunnel address for B on the gateway"
quarantined() {
  in_ns "$ns_gw" nft list table inet "trellis_$wg_gw" 2>/dev/null | grep -qF "${addr_b%/32}"
}
in_ns "$ns_b" nft flush ruleset
deadline=$(( $(now_ms) + 30000 ))
until quarantined; do
  [ "$(now_ms)" -lt "$deadline" ] || fail "B was not quarantined on the gateway"
  sleep 0.01
done
record "B quarantined" "$id_b" noncompliant "$(now_ms)"
gateway_has "$key_b" || fail "quarantined B lost its peer"
wait_for 5 bash -c "! ip netns exec $ns_b ping -c1 -W1 10.99.0.1 >/dev/null 2>&1" ||
  fail "quarantined B still reaches the gateway's address"
pings "$ns_a" || fail "A lost its tunnel when B was quarantined"
echo "step 3b: B quarantined: peer kept, traffic restricted"

# --- 4. B revoked: its peer goes, its ping fails.
ctl device revoke "$id_b" --reason "e2e: laptop reported stolen" --yes >/dev/null
removed="$(watch_peer "$key_b" 0 10)" || fail "B's peer was not removed after revoke"
record "B revoked" "$id_b" revoked "$removed"
pings "$ns_b" && fail "B still pings after revocation"
firewall_policy restrict
ctl policy apply "$work/policies" >/dev/null || fail "policy apply (restrict)"
echo "step 4: B revoked and cut off"

# --- 5. restarts: gateway down, rogue peer added by hand, server restarted;
# the gateway reconciles on start and follows changes made after.
stop_pid "$(cat "$work/gateway.pid")"
rogue="$(wg genkey | wg pubkey)"
in_ns "$ns_gw" wg set "$wg_gw" peer "$rogue" allowed-ips 10.99.0.200/32
stop_pid "$(cat "$work/server.pid")"
start_server "$address"
start_gateway
wait_for 20 bash -c "! ip netns exec $ns_gw wg show $wg_gw peers | grep -qxF '$rogue'" ||
  fail "the gateway kept a peer the server does not allow"
gateway_has "$key_a" || wait_for 10 gateway_has "$key_a" || fail "A's peer lost across restarts"
gateway_has "$key_b" && fail "revoked B came back after restarts"
wait_for 30 pings "$ns_a" || fail "A cannot ping after the restarts"
# A change after the restarts still reaches the gateway (server restarted
# with the gateway resuming its feed).
stop_pid "$(cat "$work/server.pid")"
start_server "$address"
in_ns "$ns_a" nft flush ruleset
removed="$(watch_peer "$key_a" 0 30)" || fail "change after server restart did not reach the gateway"
record "A noncompliant after restarts" "$id_a" noncompliant "$removed"
firewall_on "$ns_a"
restored="$(watch_peer "$key_a" 1 30)" || fail "A not restored after restarts"
record "A compliant after restarts" "$id_a" compliant "$restored"
[ "$(grep -c "snapshot of feed" "$work/gateway.log")" -ge 2 ] ||
  fail "the restarted gateway did not start from a snapshot"
echo "step 5: state converged after server and gateway restarts"

# --- 6. A's agent stops: stale after the validity window, peer removed.
stop_pid "$(cat "$work/agent-a.pid")"
removed="$(watch_peer "$key_a" 0 60)" || fail "silent A kept its peer"
record "A stale" "$id_a" stale "$removed"
wait_for 5 bash -c "! ip netns exec $ns_a ping -c1 -W1 10.99.0.1 >/dev/null 2>&1" ||
  fail "stale A still pings"
echo "step 6: A went stale and lost access"

ctl audit verify >/dev/null || fail "audit chain broken"
echo "latencies: ${latencies[*]}"
echo "vpn netns e2e: ok"
