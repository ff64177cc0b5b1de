# Shared by the VPN end-to-end tests (source it; bash). Builds, with real
# WireGuard (wireguard-go) in network namespaces: a hub namespace running
# trellis-server and routing between a gateway namespace (trellis-gateway on
# its own WireGuard interface) and one namespace per device (trellis-agent
# managing the device's tunnel); then a restrict policy on the host firewall
# and a VPN profile, enrols the devices and starts their agents.
#
#   vpn_devices=(a b)              # before sourcing; default: a b
#   server_flags=(--validity-window 6s ...)   # extra trellis-server flags
#   source vpn_netns_env.sh SOURCE_DIR BUILD_DIR
#
# Afterwards: $work, $ns_hub, $ns_gw, $ns_<dev>, $wg_gw, $wg_<dev>,
# $id_<dev>, $key_<dev> (set by wait_for_peers), the process helpers
# (start_server, start_gateway, start_agent, stop_pid) and the probes below.
# Everything made (namespaces, processes, sockets) is removed on exit, pass
# or fail; a test that exits 77 was skipped (not root, a tool missing).
set -euo pipefail
src="$1"
build="$2"
declare -p vpn_devices >/dev/null 2>&1 || vpn_devices=(a b)
declare -p server_flags >/dev/null 2>&1 || server_flags=()

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
# wireguard-go's control sockets share /var/run/wireguard: unique names.
wg_gw="tgw$tag"
all_ns=("$ns_gw")
all_wg=("$wg_gw")
for dev in "${vpn_devices[@]}"; do
  printf -v "ns_$dev" '%s' "trl-$dev-$tag"
  printf -v "wg_$dev" '%s' "tl$dev$tag"
  ns_var="ns_$dev"; wg_var="wg_$dev"
  all_ns+=("${!ns_var}")
  all_wg+=("${!wg_var}")
done
server_addr="10.77.0.1"

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
  for ns in "${all_ns[@]}" "$ns_hub"; do
    # wireguard-go does not exit when its namespace goes away: kill every
    # process in the namespace first.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  for ns in "${all_ns[@]}" "$ns_hub"; do ip netns del "$ns" 2>/dev/null; done
  for ifc in "${all_wg[@]}"; do rm -f "/var/run/wireguard/$ifc.sock"; done
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

# --- network: the hub routes between the gateway (10.77.1.0/24) and the
# devices (10.77.2.0/24, ...).
ip netns add "$ns_hub"
in_ns "$ns_hub" ip link set lo up
in_ns "$ns_hub" ip addr add "$server_addr/32" dev lo
in_ns "$ns_hub" sysctl -qw net.ipv4.ip_forward=1
n=1
for ns in "${all_ns[@]}"; do
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
    --tls-ip "$server_addr" --checkin-interval 1s --vpn-pool 10.99.0.0/24 \
    "${server_flags[@]}" >>"$work/server.log" 2>&1 &
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
    --interface "$wg_gw" --nft-dir "$work/nft" >>"$work/gateway.log" 2>&1 &
  echo $! >"$work/gateway.pid"
  disown
}
start_gateway

# --- policy: one restrict check on the host firewall (per namespace, since
# nftables rules live in the network namespace), and the VPN profile, whose
# remediation destination is not the gateway's address (so a quarantined
# device cannot ping it).
mkdir -p "$work/policies"
firewall_policy() {  # enforcement: restrict | quarantine
  cat >"$work/policies/e2e-firewall.yaml" <<POLICY
id: e2e-firewall
title: Host firewall
applies_to: {platforms: [linux], ownership: [corporate]}
enforcement: $1
checks:
  - id: firewall-on
    title: The host firewall has rules
    severity: high
    query: SELECT 1 FROM firewall WHERE enabled
    remediation: {text: Turn the firewall back on.}
POLICY
}
firewall_policy restrict
cat >"$work/policies/e2e-vpn.yaml" <<PROFILE
vpn_profile:
  id: e2e-remote
  title: End-to-end remote access
  gateway: {endpoint: "10.77.1.2:51820", public_key: "$gw_pub"}
  routes: [10.99.0.0/24]
  keepalive: 1s
  mode: always-on
  remediation_destinations: [10.99.0.250/32]
PROFILE
ctl policy apply "$work/policies" >/dev/null || fail "policy apply"

firewall_on() {
  in_ns "$1" nft -f - <<'RULES'
table inet e2e {
  chain input {
    type filter hook input priority 0; policy accept;
    ct state established,related accept
  }
}
RULES
}

# --- devices: enrol and run agents, each managing its own interface.
token="$(ctl token create --group staff --ownership corporate \
  --uses "${#vpn_devices[@]}" --ttl 1h --json |
  sed -n 's/.*"token": "\(trellis1[^"]*\)".*/\1/p')"
[ -n "$token" ] || fail "no token"
start_agent() {  # name ns interface
  ip netns exec "$2" "$agent_bin" run --state-dir "$work/$1" --interval 1s \
    --max-backoff 2s --vpn-interface "$3" >>"$work/agent-$1.log" 2>&1 &
  echo $! >"$work/agent-$1.pid"
  disown
}
for dev in "${vpn_devices[@]}"; do
  ns_var="ns_$dev"; wg_var="wg_$dev"
  firewall_on "${!ns_var}"
  in_ns "${!ns_var}" "$agent_bin" enroll --token "$token" --state-dir "$work/$dev" \
    >"$work/enroll-$dev.out" || fail "enrol $dev"
  start_agent "$dev" "${!ns_var}" "${!wg_var}"
  printf -v "id_$dev" '%s' \
    "$(sed -n 's/.*device \(d[a-z0-9]*\).*/\1/p' "$work/enroll-$dev.out" | head -1)"
  id_var="id_$dev"
  [ -n "${!id_var}" ] || fail "no device id for $dev"
done

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
# Waits until every device's key is known and its peer is on the gateway;
# sets key_<dev>.
wait_for_peers() {
  local dev id_var all
  for _ in $(seq 300); do
    all=1
    for dev in "${vpn_devices[@]}"; do
      id_var="id_$dev"
      printf -v "key_$dev" '%s' "$(wg_key_of "${!id_var}")"
      key_var="key_$dev"
      { [ -n "${!key_var}" ] && gateway_has "${!key_var}"; } || all=0
    done
    [ "$all" = 1 ] && return 0
    sleep 0.2
  done
  return 1
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
