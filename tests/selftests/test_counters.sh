#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-namespace packet counters, IPv4 and IPv6, read with vgctl -j:
#
#   host1                      router                      host2
#   10.0.1.1/24    veth     10.0.1.254 | 10.0.2.254    veth   10.0.2.1/24
#   fd00:1::1/64  ------  fd00:1::fe  | fd00:2::fe  ------  fd00:2::1/64
#
# host1 sends UDP to host2 through the router; the router's counters must
# show exactly those datagrams (UDP only: ND, MLD and ICMP are other
# traffic) at prerouting, none at output, and the exact byte count.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json, socket'" "python3"
checktool "ip -V" "iproute2"

N4=${VG_COUNTERS_N4:-300}
N6=${VG_COUNTERS_N6:-200}
PAYLOAD=100
PORT=9999

ktap_print_header
ktap_set_plan 8
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard

setup_ns host1 router host2 || skip_all "cannot create namespaces"

# send DST COUNT: COUNT datagrams of PAYLOAD bytes from host1.
send()
{
	n "$host1" python3 -c '
import socket, sys
dst, count, size, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
for i in range(count):
    s.sendto(b"v" * size, (dst, port))
' "$1" "$2" "$PAYLOAD" "$PORT"
}

# reached DST FAMILY: send one probe from host1; true once host2 counted
# a UDP datagram of FAMILY.
reached()
{
	send "$1" 1 >/dev/null 2>&1
	[ "$("$VGCTL" -n "$host2" -j stats show |
	     json_get "d['traffic']['$2']['prerouting']['udp']['packets']")" -gt 0 ]
}

topology()
{
	routed_pair "$host1" "$router" "$host2" &&
	# Probe until host2's own counters see a datagram: the path works and
	# every neighbour is resolved, so no datagram below waits in a queue.
	slowwait 10 reached 10.0.2.1 ipv4 &&
	slowwait 10 reached fd00:2::1 ipv6
}
ktap_test_result "topology: host1 reaches host2 through router (v4, v6)" topology

stats_json()
{
	"$VGCTL" -n "$router" -j stats show
}

# udp FAMILY HOOK FIELD: one counter of the router.
udp()
{
	stats_json | json_get "d['traffic']['$1']['$2']['udp']['$3']"
}

n "$router" "$VGCTL" stats reset
n "$host1" "$VGCTL" stats reset
reset_clears()
{
	[ "$(udp ipv4 prerouting packets)" -eq 0 ] &&
	[ "$(udp ipv6 prerouting packets)" -eq 0 ]
}
ktap_test_result "stats reset clears the UDP counters" reset_clears

send 10.0.2.1 "$N4"
send fd00:2::1 "$N6"

# Forwarding is asynchronous: wait until the counters settle at or past the
# expected values, then compare exactly.
settled()
{
	[ "$(udp ipv4 prerouting packets)" -ge "$N4" ] &&
	[ "$(udp ipv6 prerouting packets)" -ge "$N6" ]
}
busywait 5000 settled
n "$router" "$VGCTL" stats show

check_eq()
{
	local got

	got=$(udp "$1" "$2" "$3")
	echo "# $1 $2 udp $3: got $got, expected $4"
	[ "$got" -eq "$4" ]
}

ktap_test_result "ipv4 prerouting udp packets = $N4" \
	check_eq ipv4 prerouting packets "$N4"
ktap_test_result "ipv6 prerouting udp packets = $N6" \
	check_eq ipv6 prerouting packets "$N6"
ktap_test_result "udp bytes = datagrams x (IP + UDP header + payload)" \
	eval 'check_eq ipv4 prerouting bytes $((N4 * (20 + 8 + PAYLOAD))) &&
	      check_eq ipv6 prerouting bytes $((N6 * (40 + 8 + PAYLOAD)))'
ktap_test_result "router's output hook saw no udp" \
	eval 'check_eq ipv4 output packets 0 && check_eq ipv6 output packets 0'

# Per-namespace: host1 sent the datagrams through its own output hook.
host1_output()
{
	local got

	got=$("$VGCTL" -n "$host1" -j stats show |
	      json_get "d['traffic']['ipv4']['output']['udp']['packets']")
	echo "# host1 ipv4 output udp packets: got $got, expected $N4"
	[ "$got" -eq "$N4" ]
}
ktap_test_result "sender's namespace counts its own output" host1_output

ktap_test_result "no kernel report" kmsg_check
ktap_finished
