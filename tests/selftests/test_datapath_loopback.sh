#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host's own traffic to itself over lo, IPv4 and IPv6, with the module
# enforcing and media-strict on: LOCAL_OUT learns from it and never drops
# it, and it is not judged again when lo hands it back to PRE_ROUTING.
#
# - RTP between two media ports with no pinhole reaches the other socket;
#   nothing is counted as rtp_no_pinhole;
# - a datagram to the SIP port that is not SIP reaches the other socket;
#   nothing is counted as sip_bad_start_line;
# - each packet is counted once (at LOCAL_OUT), not once more on the way in.
#
#   host: 127.0.0.1:22000 -> 127.0.0.1:32000, 127.0.0.1:5062 -> :5060
#         [::1]:22000     -> [::1]:32000,     [::1]:5062     -> :5060

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json, socket'" "python3"
ktap_print_header
ktap_set_plan 8
kmsg_mark
vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
host=
setup_ns host || skip_all "cannot create namespaces"

ktap_test_result "media-strict on, enforcing" \
	vgctl -n "$host" config set mode enforce media-strict on

# lo_case ADDR: the datagrams above on ADDR; prints a JSON result.
lo_case()
{
	echo "# loopback $1" >&2
	python3 - "$host" "$1" "$VGCTL" "$(dirname "$0")" <<'EOF'
import json, socket, subprocess, sys

ns, addr, vgctl, here = sys.argv[1:5]
sys.path.insert(0, here)
from dp_voip import rtp_packet, udp_socket

N = 5


def stats():
    out = subprocess.run([vgctl, "-n", ns, "-j", "stats", "show"],
                         capture_output=True, check=True).stdout
    return json.loads(out)


def drain(sock):
    got = 0
    sock.settimeout(1.0)
    try:
        while True:
            sock.recv(65535)
            got += 1
            sock.settimeout(0.3)
    except socket.timeout:
        pass
    return got


def pkts(st):
    # every packet counter of the stats, whatever its breakdown
    def walk(v):
        if isinstance(v, dict):
            return sum(walk(x) for x in v.values())
        return v if isinstance(v, int) else 0
    return walk(st.get("packets", {}))


res = {}
a, b = udp_socket(ns, addr, 22000), udp_socket(ns, addr, 32000)
s0 = stats()
for i in range(N):
    a.sendto(rtp_packet(i + 1, (i + 1) * 160, 0x10ca1), (addr, 32000))
res["rtp"] = drain(b)
s1 = stats()
res["rtp_drops"] = s1["drops"].get("rtp_no_pinhole", 0) - \
    s0["drops"].get("rtp_no_pinhole", 0)
res["rtp_counted"] = pkts(s1) - pkts(s0)

a, b = udp_socket(ns, addr, 5062), udp_socket(ns, addr, 5060)
s0 = stats()
for i in range(N):
    a.sendto(b"not SIP at all\r\n\r\n", (addr, 5060))
res["sip"] = drain(b)
s1 = stats()
res["sip_drops"] = s1["drops"].get("sip_bad_start_line", 0) - \
    s0["drops"].get("sip_bad_start_line", 0)
print(json.dumps(res))
EOF
}

check_lo()
{
	local fam=$1 out

	out=$(lo_case "$2")
	echo "# $fam result: $out"
	ktap_test_result "$fam: RTP with no pinhole over lo reaches the other socket" \
		test "$(echo "$out" | json_get "d['rtp'] == 5 and d['rtp_drops'] == 0")" = True
	ktap_test_result "$fam: each of those packets is counted once" \
		test "$(echo "$out" | json_get "d['rtp_counted']")" = 5
	ktap_test_result "$fam: a datagram that is not SIP over lo reaches the SIP socket" \
		test "$(echo "$out" | json_get "d['sip'] == 5 and d['sip_drops'] == 0")" = True
}

check_lo ipv4 127.0.0.1
check_lo ipv6 ::1

ktap_test_result "no kernel report" kmsg_check
ktap_finished
