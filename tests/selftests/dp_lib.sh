# SPDX-License-Identifier: GPL-2.0
#
# The data-path test network, shared by the test_dp_*.sh scripts:
#
#   voice  v0 ---- rv  router  rg ---- g0  gateway
#                      (voipguard)
#   data   d0 ---- rd
#
#   voice    10.1.0.1, 10.1.0.3 (a second phone)   fd00:1::1, fd00:1:0:1::3
#   data     10.2.0.1                               fd00:2::1
#   gateway  10.3.0.1, 10.3.0.2                     fd00:3::1, fd00:3::2
#   router   10.N.0.254                             fd00:N::fe (fd00:1:0:1::fe)
#
# The second voice address sits in another /64, so IPv6 sources are not
# grouped together by the per-source SIP limit (/64 by default).
# Zones on the router: voice 10.1.0.0/24 fd00:1::/48, data 10.2.0.0/24
# fd00:2::/64, gateway 10.3.0.0/24 fd00:3::/64; NIST policy: no SIP, H.323
# or MGCP from data to gateway or voice.
#
# voipguard hooks every namespace; the hosts' own instances run in monitor
# mode with DSCP marking 0, so what the gateway sees on its wire (read with
# a packet socket, before its own hooks) is the router's doing.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DP_VOIP="$DP_DIR/dp_voip.py"
# Python with the system's modules (sipp, tshark-free): the one on PATH.
# It always runs with -S: the helpers need only the standard library, and
# without site's start-up work it starts twice as fast on the debug kernel.
DP_PY=${DP_PY:-python3}

V4_VOICE=10.1.0.1
V4_VOICE2=10.1.0.3
V4_DATA=10.2.0.1
V4_GW=10.3.0.1
V4_GW2=10.3.0.2
V6_VOICE=fd00:1::1
V6_VOICE2=fd00:1:0:1::3
V6_DATA=fd00:2::1
V6_GW=fd00:3::1
V6_GW2=fd00:3::2

# Traffic sizes: the debug kernel is ~35x slower at packets.
if [ "${VG_DEBUG_KERNEL:-0}" = 1 ]; then
	DP_RTP=${DP_RTP:-50}
	DP_SLOW=8
else
	DP_RTP=${DP_RTP:-150}
	DP_SLOW=1
fi

dp_require()
{
	require_module
	require_vgctl
	checktool "$DP_PY -c 'import ctypes, json, socket, select'" "python3"
	checktool "ip -V" "iproute2"
	[ -e /proc/self/ns/net ] || skip_all "no network namespaces"
}

# rvg ARGS...: vgctl on the router, printed.
rvg()
{
	echo "# [router] vgctl $*" >&2
	"$VGCTL" -n "$router" "$@"
}

# rstats: the router's stats as JSON.
rstats()
{
	"$VGCTL" -n "$router" -j stats show
}

# nbatch NS < COMMANDS: ip commands (one per line, without "ip") in NS, in
# one process; each is printed.
nbatch()
{
	local cmds

	cmds=$(cat)
	printf '%s\n' "$cmds" | sed "s/^/# [${VG_NS_ROLE[$1]:-$1}] ip /" >&2
	printf '%s\n' "$cmds" | ip -n "$1" -batch -
}

# dp_topology: namespaces voice data router gateway, links, addresses,
# routes, forwarding, and the module loaded. Returns non-zero on failure.
dp_topology()
{
	vg_module_load || return 1
	defer rmmod voipguard
	setup_ns voice data router gateway || return 1

	run ip link add v0 netns "$voice" type veth peer name rv netns "$router" &&
	run ip link add d0 netns "$data" type veth peer name rd netns "$router" &&
	run ip link add g0 netns "$gateway" type veth peer name rg netns "$router" ||
		return 1

	nbatch "$voice" <<-EOF || return 1
	addr add $V4_VOICE/24 dev v0
	addr add $V4_VOICE2/24 dev v0
	addr add $V6_VOICE/64 dev v0 nodad
	addr add $V6_VOICE2/64 dev v0 nodad
	link set v0 up
	route add default via 10.1.0.254
	route add default via fd00:1::fe
	EOF
	nbatch "$data" <<-EOF || return 1
	addr add $V4_DATA/24 dev d0
	addr add $V6_DATA/64 dev d0 nodad
	link set d0 up
	route add default via 10.2.0.254
	route add default via fd00:2::fe
	EOF
	nbatch "$gateway" <<-EOF || return 1
	addr add $V4_GW/24 dev g0
	addr add $V4_GW2/24 dev g0
	addr add $V6_GW/64 dev g0 nodad
	addr add $V6_GW2/64 dev g0 nodad
	link set g0 up
	route add default via 10.3.0.254
	route add default via fd00:3::fe
	EOF
	nbatch "$router" <<-EOF || return 1
	addr add 10.1.0.254/24 dev rv
	addr add fd00:1::fe/64 dev rv nodad
	addr add fd00:1:0:1::fe/64 dev rv nodad
	addr add 10.2.0.254/24 dev rd
	addr add fd00:2::fe/64 dev rd nodad
	addr add 10.3.0.254/24 dev rg
	addr add fd00:3::fe/64 dev rg nodad
	link set rv up
	link set rd up
	link set rg up
	EOF
	n "$router" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 || return 1

	# The hosts' own voipguard: count, never drop, never mark. Without
	# the DSCP keys the hosts may mark voice themselves, and the DSCP
	# checks (dp_hosts_neutral) fail rather than credit the router.
	local ns
	DP_HOSTS_NEUTRAL=1
	for ns in "$voice" "$data" "$gateway"; do
		if ! "$VGCTL" -n "$ns" config set mode monitor dscp-rtp 0 dscp-sip 0; then
			DP_HOSTS_NEUTRAL=0
			"$VGCTL" -n "$ns" config set mode monitor ||
				echo "# host namespace $ns stays in enforce mode"
		fi
	done

	# Every path works and every neighbour is resolved before a test.
	"$DP_PY" -S "$DP_VOIP" reach --timeout $((30 * DP_SLOW)) \
		"$voice,$V4_VOICE,$gateway,$V4_GW" "$voice,$V4_VOICE2,$gateway,$V4_GW2" \
		"$voice,$V4_VOICE2,$gateway,$V4_GW" "$voice,$V4_VOICE,$gateway,$V4_GW2" \
		"$data,$V4_DATA,$gateway,$V4_GW" "$gateway,$V4_GW,$voice,$V4_VOICE" \
		"$gateway,$V4_GW2,$voice,$V4_VOICE2" \
		"$voice,$V6_VOICE,$gateway,$V6_GW" "$voice,$V6_VOICE2,$gateway,$V6_GW2" \
		"$voice,$V6_VOICE2,$gateway,$V6_GW" "$voice,$V6_VOICE,$gateway,$V6_GW2" \
		"$data,$V6_DATA,$gateway,$V6_GW" "$gateway,$V6_GW,$voice,$V6_VOICE" \
		"$gateway,$V6_GW2,$voice,$V6_VOICE2"
}

# dp_hosts_neutral: true when the hosts' own instances do not mark DSCP.
dp_hosts_neutral()
{
	[ "${DP_HOSTS_NEUTRAL:-0}" = 1 ] && return 0
	echo "# the hosts' voipguard could not be set to dscp-rtp 0 dscp-sip 0"
	return 1
}

# dp_zones: the router's zones and NIST policy, through vgctl.
dp_zones()
{
	rvg zone add voice 10.1.0.0/24 fd00:1::/48 &&
	rvg zone add data 10.2.0.0/24 fd00:2::/64 &&
	rvg zone add gateway 10.3.0.0/24 fd00:3::/64 &&
	rvg policy set data gateway sip drop &&
	rvg policy set data gateway h323 drop &&
	rvg policy set data gateway mgcp drop &&
	rvg policy set data voice sip drop &&
	rvg policy set data voice h323 drop &&
	rvg policy set data voice mgcp drop &&
	rvg config set mode enforce media-strict on media-ports 16384-32767
}

# dp_setup [DESCRIPTION CMD...]: the topology, then the router's
# configuration (dp_zones unless CMD is given), as the script's first two
# cases; without a topology the script ends there.
dp_setup()
{
	if dp_topology; then
		ktap_test_pass "topology: voice, data, gateway through router"
	else
		ktap_test_fail "topology: voice, data, gateway through router"
		ktap_finished
	fi
	if [ $# -eq 0 ]; then
		ktap_test_result "zones and NIST policy configured with vgctl" dp_zones
	else
		ktap_test_result "$@"
	fi
}

# dp_call ARGS...: run one scripted call (dp_voip.py call) between the
# voice host and the gateway; its JSON result goes to stdout.
dp_call()
{
	echo "# dp_voip.py call $*" >&2
	"$DP_PY" -S "$DP_VOIP" call --voice "$voice" --gateway "$gateway" \
		--router "$router" --vgctl "$VGCTL" \
		--voice-iface v0 --gw-iface g0 --pace-ms 20 \
		--timeout $((10 * DP_SLOW)) "$@"
}

# dp_capture NAME NS IFACE DIR: a packet-socket capture of what arrives on
# IFACE, in the background; DIR/NAME.json is written when it is stopped
# (dp_capture_stop NAME DIR). Waits until it is capturing.
dp_capture()
{
	"$DP_PY" -S "$DP_VOIP" capture --ns "$2" --iface "$3" \
		--ready "$4/$1.ready" --out "$4/$1.json" &
	printf -v "DP_CAP_$1" '%s' $!
	defer kill $!
	busywait $((30000 * DP_SLOW)) test -e "$4/$1.ready"
}

dp_capture_stop()
{
	local var="DP_CAP_$1"

	kill "${!var}" 2>/dev/null
	busywait $((30000 * DP_SLOW)) test -e "$2/$1.json"
}

# vals FILE EXPR...: one line per Python expression over the JSON document
# d (empty when it fails); read them with mapfile.
vals()
{
	"$DP_PY" -S "$DP_VOIP" vals "$@"
}

# jq-like access: jget FILE EXPR (Python over the document d).
jget()
{
	json_get "$2" <"$1"
}

# reason_delta FILE FROM TO KIND REASON: a counter's change between two
# stats snapshots inside a dp_call result (KIND drops or monitored). Prints
# nothing (so the comparison fails) when a snapshot has no such map.
reason_delta()
{
	jget "$1" "d['stats']['$3']['$4'].get('$5', 0) - d['stats']['$2']['$4'].get('$5', 0)"
}

# delta FROM TO KIND REASON: the expression for reason_delta, for vals.
delta()
{
	echo "d['stats']['$2']['$3'].get('$4', 0) - d['stats']['$1']['$3'].get('$4', 0)"
}

# stat_of KIND REASON: a router counter now.
stat_of()
{
	rstats | json_get "d['$1'].get('$2', 0)"
}

# expect NAME GOT OP WANT: one KTAP case comparing integers, with the values.
expect()
{
	local name=$1 got=$2 op=$3 want=$4

	echo "# $name: got $got, want $op $want"
	if [ -n "$got" ] && [ "$got" -eq "$got" ] 2>/dev/null &&
	   [ "$got" "$op" "$want" ]; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
	fi
}

# dp_hosts_neutral_and CMD...: CMD's status, if the hosts do not mark.
dp_hosts_neutral_and()
{
	dp_hosts_neutral && "$@"
}
