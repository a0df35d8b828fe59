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
#
# Zone pairs: zones near (host1's subnet), far (host2's) and lab (host1
# alone) on the router. A deleted zone's pairs are not reported as "none",
# a zone added in its place starts from zero, and an apply that lists the
# zones in another order relabels no counts; after each, host1's datagrams
# are counted exactly, under the right names.

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
ktap_set_plan 11
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

# ---- zone pairs ----

N_Z=${VG_COUNTERS_NZ:-40}
work=$(mktemp -d)
defer rm -rf "$work"

# pairs: the router's zone pairs, as FROM>TO=PACKETS words.
pairs()
{
	stats_json | json_get "' '.join('%s>%s=%d' % (p['from'], p['to'], p['packets']) for p in d['zone_pairs'])"
}

# pair FROM TO: packets of that pair (0 when not listed).
pair()
{
	stats_json | json_get "sum(p['packets'] for p in d['zone_pairs'] if (p['from'], p['to']) == ('$1', '$2'))"
}

pair_at_least()
{
	[ "$(pair "$1" "$2")" -ge "$3" ]
}

# sent_as ZONE COUNT: host1 sends COUNT datagrams to host2; true when the
# pair (ZONE, far) grew by exactly COUNT.
sent_as()
{
	local before got

	before=$(pair "$1" far)
	send 10.0.2.1 "$2"
	busywait 5000 pair_at_least "$1" far $((before + $2))
	got=$(pair "$1" far)
	echo "# $1>far: $before + $2 datagrams -> $got"
	[ "$got" -eq $((before + $2)) ]
}

zone_del_pairs()
{
	vgctl -n "$router" zone add near 10.0.1.0/24 &&
	vgctl -n "$router" zone add far 10.0.2.0/24 &&
	vgctl -n "$router" zone add lab 10.0.1.1/32 &&
	sent_as lab "$N_Z" || return 1
	echo "# before zone del: $(pairs)"
	vgctl -n "$router" zone del lab || return 1
	echo "# after zone del lab: $(pairs)"
	[ "$(pair none far)" -eq 0 ] &&
	[ "$(stats_json | json_get "len(d['zone_pairs']) == len(set((p['from'], p['to']) for p in d['zone_pairs']))")" = True ]
}
ktap_test_result "zone del: its pairs are not reported as none, no pair twice" \
	zone_del_pairs

zone_reuse_pairs()
{
	vgctl -n "$router" zone add guest 10.0.1.1/32 || return 1
	echo "# after zone add guest: $(pairs)"
	[ "$(pair guest far)" -eq 0 ] && sent_as guest $((N_Z / 2))
}
ktap_test_result "a zone added after a deleted one starts from zero" \
	zone_reuse_pairs

# save, then apply the same zones in reverse order: guest and near trade
# places, far keeps its own.
reorder_pairs()
{
	local saved=$work/saved.conf conf=$work/reordered.conf

	"$VGCTL" -n "$router" save >"$saved" || return 1
	{
		grep '^config ' "$saved"
		grep '^zone ' "$saved" | tac
		grep -v -e '^config ' -e '^zone ' "$saved"
	} >"$conf"
	vgctl -n "$router" apply "$conf" || return 1
	[ "$("$VGCTL" -n "$router" -j zone show | json_get "[z['name'] for z in d]")" = \
	  "['guest', 'far', 'near']" ] || return 1
	echo "# after apply: $(pairs)"
	[ "$(pair near far)" -eq 0 ] && [ "$(pair guest far)" -eq 0 ] &&
	sent_as guest $((N_Z / 4)) && [ "$(pair near far)" -eq 0 ]
}
ktap_test_result "apply that reorders the zones relabels no pair counts" \
	reorder_pairs

ktap_test_result "no kernel report" kmsg_check
ktap_finished
