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

# dp_reached NS SRC DST: one UDP datagram from SRC in NS to DST port 9
# shows up on DST's host (its interface counters are too coarse; ask the
# receiving socket).
dp_reached()
{
	ip netns exec "$1" "$DP_PY" - "$2" "$3" "$4" <<-'PY' >/dev/null 2>&1
	import ctypes, os, select, socket, sys
	src, dst, dst_ns = sys.argv[1], sys.argv[2], sys.argv[3]
	fam = socket.AF_INET6 if ":" in src else socket.AF_INET
	libc = ctypes.CDLL(None, use_errno=True)
	home = os.open("/proc/self/ns/net", os.O_RDONLY)
	fd = os.open("/run/netns/" + dst_ns, os.O_RDONLY)
	libc.setns(fd, 0x40000000)
	rx = socket.socket(fam, socket.SOCK_DGRAM)
	rx.bind((dst, 9))
	libc.setns(home, 0x40000000)
	tx = socket.socket(fam, socket.SOCK_DGRAM)
	tx.bind((src, 0))
	for _ in range(10):
	    tx.sendto(b"reach", (dst, 9))
	    if select.select([rx], [], [], 0.2)[0]:
	        sys.exit(0)
	sys.exit(1)
	PY
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

	n "$voice" ip addr add $V4_VOICE/24 dev v0 &&
	n "$voice" ip addr add $V4_VOICE2/24 dev v0 &&
	n "$voice" ip addr add $V6_VOICE/64 dev v0 nodad &&
	n "$voice" ip addr add $V6_VOICE2/64 dev v0 nodad &&
	n "$voice" ip link set v0 up &&
	n "$voice" ip route add default via 10.1.0.254 &&
	n "$voice" ip -6 route add default via fd00:1::fe &&
	n "$data" ip addr add $V4_DATA/24 dev d0 &&
	n "$data" ip addr add $V6_DATA/64 dev d0 nodad &&
	n "$data" ip link set d0 up &&
	n "$data" ip route add default via 10.2.0.254 &&
	n "$data" ip -6 route add default via fd00:2::fe &&
	n "$gateway" ip addr add $V4_GW/24 dev g0 &&
	n "$gateway" ip addr add $V4_GW2/24 dev g0 &&
	n "$gateway" ip addr add $V6_GW/64 dev g0 nodad &&
	n "$gateway" ip addr add $V6_GW2/64 dev g0 nodad &&
	n "$gateway" ip link set g0 up &&
	n "$gateway" ip route add default via 10.3.0.254 &&
	n "$gateway" ip -6 route add default via fd00:3::fe &&
	n "$router" ip addr add 10.1.0.254/24 dev rv &&
	n "$router" ip addr add fd00:1::fe/64 dev rv nodad &&
	n "$router" ip addr add fd00:1:0:1::fe/64 dev rv nodad &&
	n "$router" ip addr add 10.2.0.254/24 dev rd &&
	n "$router" ip addr add fd00:2::fe/64 dev rd nodad &&
	n "$router" ip addr add 10.3.0.254/24 dev rg &&
	n "$router" ip addr add fd00:3::fe/64 dev rg nodad &&
	n "$router" ip link set rv up &&
	n "$router" ip link set rd up &&
	n "$router" ip link set rg up &&
	n "$router" sysctl -qw net.ipv4.ip_forward=1 &&
	n "$router" sysctl -qw net.ipv6.conf.all.forwarding=1 || return 1

	# The hosts' own voipguard: count, never drop, never mark.
	local ns
	for ns in "$voice" "$data" "$gateway"; do
		"$VGCTL" -n "$ns" config set mode monitor dscp-rtp 0 dscp-sip 0 ||
			{ echo "# cannot configure host namespace $ns"; return 1; }
	done

	# Every path works and every neighbour is resolved before a test.
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V4_VOICE $V4_GW "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V4_VOICE2 $V4_GW2 "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V4_VOICE2 $V4_GW "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V4_VOICE $V4_GW2 "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$data" $V4_DATA $V4_GW "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V6_VOICE $V6_GW "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V6_VOICE2 $V6_GW2 "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V6_VOICE2 $V6_GW "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$voice" $V6_VOICE $V6_GW2 "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$data" $V6_DATA $V6_GW "$gateway" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$gateway" $V4_GW $V4_VOICE "$voice" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$gateway" $V6_GW $V6_VOICE "$voice" &&
	slowwait $((10 * DP_SLOW)) dp_reached "$gateway" $V6_GW2 $V6_VOICE2 "$voice"
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

# dp_call ARGS...: run one scripted call (dp_voip.py call) between the
# voice host and the gateway; its JSON result goes to stdout.
dp_call()
{
	echo "# dp_voip.py call $*" >&2
	"$DP_PY" "$DP_VOIP" call --voice "$voice" --gateway "$gateway" \
		--router "$router" --vgctl "$VGCTL" \
		--voice-iface v0 --gw-iface g0 --pace-ms 20 \
		--timeout $((5 * DP_SLOW)) "$@"
}

# dp_capture NAME NS IFACE DIR: a packet-socket capture of what arrives on
# IFACE, in the background; DIR/NAME.json is written when it is stopped
# (dp_capture_stop NAME DIR). Waits until it is capturing.
dp_capture()
{
	"$DP_PY" "$DP_VOIP" capture --ns "$2" --iface "$3" \
		--ready "$4/$1.ready" --out "$4/$1.json" &
	printf -v "DP_CAP_$1" '%s' $!
	defer kill $!
	busywait $((5000 * DP_SLOW)) test -e "$4/$1.ready"
}

dp_capture_stop()
{
	local var="DP_CAP_$1"

	kill "${!var}" 2>/dev/null
	busywait $((5000 * DP_SLOW)) test -e "$2/$1.json"
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
