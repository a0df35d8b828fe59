#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fragments that reach the hook whole-less, IPv4 and IPv6: the router's
# admin untracks packets in a chain before defragmentation (priority -450),
# so nf_defrag lets them through as they came (as it also does with IPv6
# fragments it cannot queue). A fragment is not a datagram: the first one
# must not be judged as a UDP datagram cut short (malformed_l4), the later
# ones not at all, so a datagram of 3000 octets to a port voipguard has no
# business with still reaches B.
#
#   phone A                     router                     phone B
#   10.0.1.1/24    veth    10.0.1.254 | 10.0.2.254   veth   10.0.2.1/24
#   fd00:1::1/64  ------  fd00:1::fe  | fd00:2::fe  ------  fd00:2::1/64

. "$(dirname "$0")/datapath_lib.sh"

datapath_require
checktool "nft --version" "nftables"
ktap_print_header
ktap_set_plan 7
kmsg_mark
datapath_setup
ktap_test_result "topology and router configuration" topology

untrack()
{
	n "$router" nft -f - <<-EOF
	table inet vgfrag {
		chain pre {
			type filter hook prerouting priority -450;
			notrack
		}
	}
	EOF
}
ktap_test_result "router untracks before defragmentation" untrack

# big A B: one 3000-octet datagram from A to B:9999; prints a JSON result.
big()
{
	echo "# 3000 octets $1 -> $2:9999" >&2
	python3 - "$phoneA" "$phoneB" "$1" "$2" "$router" "$VGCTL" \
		"$(dirname "$0")" <<'EOF'
import json, socket, subprocess, sys

ns_a, ns_b, addr_a, addr_b, router, vgctl, here = sys.argv[1:8]
sys.path.insert(0, here)
from dp_voip import udp_socket


def malformed():
    out = subprocess.run([vgctl, "-n", router, "-j", "stats", "show"],
                         capture_output=True, check=True).stdout
    return json.loads(out)["drops"].get("malformed_l4", 0)


a, b = udp_socket(ns_a, addr_a, 9998), udp_socket(ns_b, addr_b, 9999)
m0 = malformed()
a.sendto(b"F" * 3000, (addr_b, 9999))
b.settimeout(2.0)
try:
    got = len(b.recv(65535))
except socket.timeout:
    got = 0
print(json.dumps({"received": got, "malformed": malformed() - m0}))
EOF
}

check_big()
{
	local fam=$1 out

	out=$(big "$2" "$3")
	echo "# $fam result: $out"
	ktap_test_result "$fam: the fragmented datagram reaches B whole" \
		test "$(echo "$out" | json_get "d['received']")" = 3000
	ktap_test_result "$fam: no fragment counted as malformed_l4" \
		test "$(echo "$out" | json_get "d['malformed']")" = 0
}

check_big ipv4 10.0.1.1 10.0.2.1
check_big ipv6 fd00:1::1 fd00:2::1

ktap_test_result "no kernel report" kmsg_check
ktap_finished
