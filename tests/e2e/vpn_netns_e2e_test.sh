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
#   B revoked                   -> B's peer gone within 1 s; B's ping fails
#   gateway and server restart  -> a hand-added rogue peer is removed at
#                                  start, and later changes still arrive
#   A's agent stopped           -> A goes stale after the validity window and
#                                  loses its peer within 1 s of that verdict
#
# Latencies are measured between the server's recorded transition time and
# the moment the peer appears/disappears in `wg show` on the gateway (both on
# this machine's clock, polled every ~10 ms) and printed as "latency ...".
# Everything made here (namespaces, processes, sockets) is removed on exit,
# pass or fail.
#   vpn_netns_e2e_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1"
build="$2"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "network namespaces need root"
for tool in wireguard-go wg ip nft ping; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done

server_bin="$build/server/trellis-server"
agent_bin="$build/agent/trellis-agent"
gateway_bin="$build/gateway/trellis-gateway"
ctl_bin="$build/tools/trellisctl/trellisctl"

tag="$(printf '%04x' $(( (RANDOM << 1 ^ $$) & 0xffff )))"
work="$(mktemp -d /tmp/trellis-vpn-e2e-XXXXXX)"
ns_hub="trl-hub-$tag"
ns_gw="trl-gw-$tag"
ns_a="trl-a-$tag"
ns_b="trl-b-$tag"
# wireguard-go's control sockets share /var/run/wireguard: unique names.
wg_gw="tgw$tag"
wg_a="tla$tag"
wg_b="tlb$tag"
server_addr="10.77.0.1"
limit_ms=1000

# Stops a process: TERM, then KILL if it is still there after 5 s.
stop_pid() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  for f in "$work"/*.pid; do [ -f "$f" ] && stop_pid "$(cat "$f")"; done
  for ns in "$ns_a" "$ns_b" "$ns_gw" "$ns_hub"; do
    # wireguard-go does not exit when its namespace goes away: kill every
    # process in the namespace first.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  for ns in "$ns_a" "$ns_b" "$ns_gw" "$ns_hub"; do ip netns del "$ns" 2>/dev/null; done
  for ifc in "$wg_gw" "$wg_a" "$wg_b"; do rm -f "/var/run/wireguard/$ifc.sock"; done
  if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    for log in "$work"/*.log; do
      echo "---- $log (last 40 lines)"
      tail -n 40 "$log"
    done
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
now_ms() { date +%s%3N; }
ctl() { in_ns "$ns_hub" "$ctl_bin" --credentials "$work/admin.creds" "$@"; }

# --- network: hub routes between gateway (1), device A (2), device B (3).
ip netns add "$ns_hub"
in_ns "$ns_hub" ip link set lo up
in_ns "$ns_hub" ip addr add "$server_addr/32" dev lo
in_ns "$ns_hub" sysctl -qw net.ipv4.ip_forward=1
n=1
for ns in "$ns_gw" "$ns_a" "$ns_b"; do
  ip netns add "$ns"
  in_ns "$ns" ip link set lo up
  ip link add "th$tag$n" netns "$ns_hub" type veth peer name "tp$tag$n" netns "$ns"
  in_ns "$ns_hub" ip addr add "10.77.$n.1/24" dev "th$tag$n"
  in_ns "$ns_hub" ip link set "th$tag$n" up
  in_ns "$ns" ip addr add "10.77.$n.2/24" dev "tp$tag$n"
  in_ns "$ns" ip link set "tp$tag$n" up
  in_ns "$ns" ip route add default via "10.77.$n.1"
  n=$((n + 1))
done

# --- server in the hub; first on port 0, then pinned to that port.
start_server() {
  # `ip netns exec` execs the program, so $! is the server itself.
  ip netns exec "$ns_hub" "$server_bin" --state-dir "$work/server" --listen "$1" \
    --tls-ip "$server_addr" --checkin-interval 1s --validity-window 6s \
    --vpn-pool 10.99.0.0/24 >>"$work/server.log" 2>&1 &
  echo $! >"$work/server.pid"
  disown
}
start_server "$server_addr:0"
for _ in $(seq 100); do [ -s "$work/server/server.address" ] && break; sleep 0.1; done
[ -s "$work/server/server.address" ] || fail "server did not start"
address="$(cat "$work/server/server.address")"
for role in admin gateway; do
  "$server_bin" operator create --state-dir "$work/server" --name "e2e-$role" \
    --role "$role" --server "$address" --out "$work/$role.creds" >/dev/null
done
for _ in $(seq 100); do ctl whoami >/dev/null 2>&1 && break; sleep 0.1; done

# --- gateway: its WireGuard interface, then trellis-gateway on it.
(umask 077 && wg genkey >"$work/gateway.key")
gw_pub="$(wg pubkey <"$work/gateway.key")"
in_ns "$ns_gw" wireguard-go "$wg_gw" >>"$work/wireguard-go.log" 2>&1
in_ns "$ns_gw" wg set "$wg_gw" private-key "$work/gateway.key" listen-port 51820
in_ns "$ns_gw" ip addr add 10.99.0.1/24 dev "$wg_gw"
in_ns "$ns_gw" ip link set "$wg_gw" up
start_gateway() {
  ip netns exec "$ns_gw" "$gateway_bin" --credentials "$work/gateway.creds" \
    --interface "$wg_gw" >>"$work/gateway.log" 2>&1 &
  echo $! >"$work/gateway.pid"
  disown
}
start_gateway

# --- policy: one restrict check on the host firewall (per namespace, since
# nftables rules live in the network namespace), and the VPN profile.
mkdir -p "$work/policies"
cat >"$work/policies/e2e-firewall.yaml" <<'EOF'
id: e2e-firewall
title: Host firewall
applies_to: {platforms: [linux], ownership: [corporate]}
enforcement: restrict
checks:
  - id: firewall-on
    title: The host firewall has rules
    severity: high
    query: SELECT 1 FROM firewall WHERE enabled
    remediation: {text: Turn the firewall back on.}
EOF
cat >"$work/policies/e2e-vpn.yaml" <<EOF
vpn_profile:
  id: e2e-remote
  title: End-to-end remote access
  gateway: {endpoint: "10.77.1.2:51820", public_key: "$gw_pub"}
  routes: [10.99.0.0/24]
  keepalive: 1s
  mode: always-on
EOF
ctl policy apply "$work/policies" >/dev/null || fail "policy apply"

firewall_on() {
  in_ns "$1" nft -f - <<'EOF'
table inet e2e {
  chain input {
    type filter hook input priority 0; policy accept;
    ct state established,related accept
  }
}
EOF
}
firewall_on "$ns_a"
firewall_on "$ns_b"

# --- devices: enrol and run agents, each managing its own interface.
token="$(ctl token create --group staff --ownership corporate --uses 2 --ttl 1h --json |
  sed -n 's/.*"token": "\(trellis1[^"]*\)".*/\1/p')"
[ -n "$token" ] || fail "no token"
start_agent() {  # name ns interface
  ip netns exec "$2" "$agent_bin" run --state-dir "$work/$1" --interval 1s \
    --max-backoff 2s --vpn-interface "$3" >>"$work/agent-$1.log" 2>&1 &
  echo $! >"$work/agent-$1.pid"
  disown
}
for dev in a b; do
  ns_var="ns_$dev"; wg_var="wg_$dev"
  in_ns "${!ns_var}" "$agent_bin" enroll --token "$token" --state-dir "$work/$dev" \
    >"$work/enroll-$dev.out" || fail "enrol $dev"
  start_agent "$dev" "${!ns_var}" "${!wg_var}"
done
id_a="$(sed -n 's/.*device \(d[a-z0-9]*\).*/\1/p' "$work/enroll-a.out" | head -1)"
id_b="$(sed -n 's/.*device \(d[a-z0-9]*\).*/\1/p' "$work/enroll-b.out" | head -1)"
[ -n "$id_a" ] && [ -n "$id_b" ] || fail "no device ids"

wg_key_of() {  # device id -> its WireGuard key as the server knows it
  ctl device show "$1" --json | sed -n 's/.*"wireguardPublicKey": "\([^"]*\)".*/\1/p;s/.*"wireguard_public_key": "\([^"]*\)".*/\1/p' | head -1
}
gateway_has() { in_ns "$ns_gw" wg show "$wg_gw" peers 2>/dev/null | grep -qxF "$1"; }
pings() { in_ns "$1" ping -c1 -W1 10.99.0.1 >/dev/null 2>&1; }
wait_for() {  # seconds command...
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
# Polls the gateway every ~10 ms until the peer is present (want=1) or gone
# (want=0); prints the time in ms.
watch_peer() {  # key want timeout_s
  local deadline=$(( $(now_ms) + $3 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if gateway_has "$1"; then [ "$2" = 1 ] && { now_ms; return 0; }
    else [ "$2" = 0 ] && { now_ms; return 0; }; fi
    sleep 0.01
  done
  return 1
}
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
for _ in $(seq 300); do
  key_a="$(wg_key_of "$id_a")"; key_b="$(wg_key_of "$id_b")"
  [ -n "$key_a" ] && [ -n "$key_b" ] && gateway_has "$key_a" && gateway_has "$key_b" && break
  sleep 0.2
done
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

# --- 4. B revoked: its peer goes, its ping fails.
ctl device revoke "$id_b" --reason "e2e: laptop reported stolen" --yes >/dev/null
removed="$(watch_peer "$key_b" 0 10)" || fail "B's peer was not removed after revoke"
record "B revoked" "$id_b" revoked "$removed"
pings "$ns_b" && fail "B still pings after revocation"
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
removed="$(watch_peer "$key_a" 0 30)" || fail "silent A kept its peer"
record "A stale" "$id_a" stale "$removed"
wait_for 5 bash -c "! ip netns exec $ns_a ping -c1 -W1 10.99.0.1 >/dev/null 2>&1" ||
  fail "stale A still pings"
echo "step 6: A went stale and lost access"

ctl audit verify >/dev/null || fail "audit chain broken"
echo "latencies: ${latencies[*]}"
echo "vpn netns e2e: ok"
