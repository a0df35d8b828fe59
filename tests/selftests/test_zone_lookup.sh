#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Longest-prefix match and the most-specific policy entry, seen through
# the packet path: UDP from addresses in nested prefixes is counted under
# the zone of the longest match, and the most specific policy entry
# decides what happens to it.
#
#   host a: 10.1.2.3  10.1.9.9  10.200.0.1     router r: 10.0.0.254
#           fd00:1::5 fd00:1:1::5 fd00:2::5              fd00::fe
#   zones on r: one   10.1.2.3/32 fd00:1::5/128
#               voice 10.1.0.0/16 fd00:1::/32
#               wide  10.0.0.0/8  fd00::/16

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json, socket'" "python3"

ktap_print_header
ktap_set_plan 6
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
setup_ns a r || skip_all "cannot create namespaces"

topology()
{
	local mac_a=02:00:00:00:00:0a mac_r=02:00:00:00:00:0b addr

	ip link add veth0 netns "$a" address $mac_a type veth \
		peer name veth0 netns "$r" address $mac_r || return 1
	for addr in 10.1.2.3/8 10.1.9.9/8 10.200.0.1/8; do
		ip -n "$a" addr add $addr dev veth0 || return 1
	done
	for addr in fd00:1::5 fd00:1:1::5 fd00:2::5; do
		ip -n "$a" addr add $addr/16 dev veth0 nodad || return 1
	done
	ip -n "$r" addr add 10.0.0.254/8 dev veth0 &&
	ip -n "$r" addr add fd00::fe/16 dev veth0 nodad &&
	ip -n "$a" link set veth0 up && ip -n "$r" link set veth0 up &&
	# No ARP or neighbour discovery: only the test's packets cross.
	ip -n "$a" neigh add 10.0.0.254 lladdr $mac_r dev veth0 nud permanent &&
	ip -n "$a" neigh add fd00::fe lladdr $mac_r dev veth0 nud permanent
}
ktap_test_result "topology: host and router" topology

zones()
{
	vgctl -n "$r" zone add one 10.1.2.3 fd00:1::5 &&
	vgctl -n "$r" zone add voice 10.1.0.0/16 fd00:1::/32 &&
	vgctl -n "$r" zone add wide 10.0.0.0/8 fd00::/16 &&
	vgctl -n "$r" policy set any wide other drop &&
	vgctl -n "$r" policy set voice any other accept &&
	vgctl -n "$r" policy set one wide any drop &&
	vgctl -n "$r" stats reset
}
ktap_test_result "nested zones and policy configured" zones

# send SRC DST N: N UDP datagrams from SRC to DST port 9.
send()
{
	ip netns exec "$a" python3 - "$@" <<'PY'
import socket, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in src else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((src, 0))
for i in range(n):
    s.sendto(b"zone lookup %d" % i, (dst, 9))
PY
}

N=20
traffic()
{
	send 10.1.2.3 10.0.0.254 $N && send 10.1.9.9 10.0.0.254 $N &&
	send 10.200.0.1 10.0.0.254 $N && send fd00:1::5 fd00::fe $N &&
	send fd00:1:1::5 fd00::fe $N && send fd00:2::5 fd00::fe $N
}
ktap_test_result "UDP from six addresses sent" traffic

# pair FROM TO FIELD: a zone pair's counter in "stats show -j".
pair()
{
	"$VGCTL" -n "$r" -j stats show |
		json_get "sum(p['$3'] for p in d['zone_pairs'] if p['from'] == '$1' and p['to'] == '$2')"
}

in_range()
{
	[ "$1" -ge $((2 * N)) ] && [ "$1" -lt $((2 * N + N / 2)) ]
}

lpm()
{
	local one voice wide

	one=$(pair one wide packets)
	voice=$(pair voice wide packets)
	wide=$(pair wide wide packets)
	echo "# one->wide $one, voice->wide $voice, wide->wide $wide"
	# The host may add a stray ICMPv6 packet of its own; a source in the
	# wrong zone would move 20 or 40 packets.
	in_range "$one" && in_range "$voice" && in_range "$wide"
}
ktap_test_result "each source counted under its longest prefix's zone" lpm

most_specific()
{
	local one voice wide

	one=$(pair one wide drops)
	voice=$(pair voice wide drops)
	wide=$(pair wide wide drops)
	echo "# drops: one->wide $one, voice->wide $voice, wide->wide $wide"
	# "voice any other accept" (named source) beats "any wide other
	# drop"; "one wide any drop" (named source and destination) beats a
	# named class; wide matches only "any wide other drop".
	[ "$voice" -eq 0 ] && [ "$one" -eq $((2 * N)) ] &&
	[ "$wide" -eq $((2 * N)) ]
}
ktap_test_result "most specific policy entry decides" most_specific

ktap_test_result "no kernel report" kmsg_check
ktap_finished
