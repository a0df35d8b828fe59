#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP GSO packets through the router, IPv4 and IPv6: phone A sends with
# UDP_SEGMENT, so one packet of several datagrams crosses the veth links
# whole (as UDP GRO on a real input device builds it) and phone B's stack
# splits it again. Each datagram must be judged as one:
#
# - two OPTIONS in one packet reach B as two datagrams;
# - an OPTIONS followed by a datagram that is not SIP: the packet is
#   dropped (sip_bad_start_line), the junk never reaches B;
# - between two media ports with no pinhole (media-strict), a datagram that
#   is not RTP followed by one that is: dropped (rtp_no_pinhole);
# - in a call, RTP four datagrams to a packet: all reach B, and flow show
#   counts each one, not each packet.
#
#   phone A                     router                     phone B
#   10.0.1.1/24    veth    10.0.1.254 | 10.0.2.254   veth   10.0.2.1/24
#   fd00:1::1/64  ------  fd00:1::fe  | fd00:2::fe  ------  fd00:2::1/64

. "$(dirname "$0")/datapath_lib.sh"

datapath_require
ktap_print_header
ktap_set_plan 18
kmsg_mark
datapath_setup
ktap_test_result "topology and router configuration" topology

# gso A B: the cases above from A to B; prints a JSON result.
gso()
{
	echo "# gso $1 -> $2" >&2
	python3 - "$phoneA" "$phoneB" "$1" "$2" "$router" "$VGCTL" \
		"$(dirname "$0")" <<'EOF'
import json, socket, subprocess, sys, time

ns_a, ns_b, addr_a, addr_b, router, vgctl, here = sys.argv[1:8]
sys.path.insert(0, here)
from dp_voip import Dialog, header, rtp_packet, sdp, udp_socket

UDP_SEGMENT = 103
v6 = ":" in addr_a
ub = "[%s]" % addr_b if v6 else addr_b


def send_gso(sock, dst, dgrams):
    """One send of equal-sized datagrams: one GSO packet on the wire."""
    size = len(dgrams[0])
    assert all(len(d) == size for d in dgrams)
    sock.setsockopt(socket.SOL_UDP, UDP_SEGMENT, size)
    sock.sendto(b"".join(dgrams), dst)
    sock.setsockopt(socket.SOL_UDP, UDP_SEGMENT, 0)


def drain(sock, wait=1.0):
    out = []
    sock.settimeout(wait)
    try:
        while True:
            out.append(sock.recv(65535))
            sock.settimeout(0.3)
    except socket.timeout:
        pass
    return out


def options(cseq):
    # fixed-width fields: every OPTIONS here has the same length
    return ("OPTIONS sip:b@%s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bKgso%04d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:a@%s>;tag=gso%04d\r\n"
            "To: <sip:b@%s>\r\n"
            "Call-ID: gso-%04d@%s\r\n"
            "CSeq: %04d OPTIONS\r\n"
            "Content-Length: 0\r\n\r\n" %
            (ub, ub, cseq, ub, cseq, ub, cseq, ub, cseq)).encode()


def stats():
    out = subprocess.run([vgctl, "-n", router, "-j", "stats", "show"],
                         capture_output=True, check=True).stdout
    return json.loads(out)["drops"]


def delta(before, after, reason):
    return after.get(reason, 0) - before.get(reason, 0)


res = {}
sip_a = udp_socket(ns_a, addr_a, 5060)
sip_b = udp_socket(ns_b, addr_b, 5060)

send_gso(sip_a, (addr_b, 5060), [options(1), options(2)])
got = drain(sip_b)
res["sip_good"] = sum(1 for d in got if d.startswith(b"OPTIONS"))

s0 = stats()
send_gso(sip_a, (addr_b, 5060), [options(3), b"J" * len(options(3))])
got = drain(sip_b)
res["sip_junk"] = sum(1 for d in got if d.startswith(b"J"))
res["sip_junk_drops"] = delta(s0, stats(), "sip_bad_start_line")

stray_a = udp_socket(ns_a, addr_a, 22000)
stray_b = udp_socket(ns_b, addr_b, 32000)
s0 = stats()
send_gso(stray_a, (addr_b, 32000),
         [b"\0" * 172, rtp_packet(1, 160, 0x57a7), rtp_packet(2, 320, 0x57a7)])
got = drain(stray_b)
res["stray_rtp"] = sum(1 for d in got if d[0] >> 6 == 2)
res["stray_drops"] = delta(s0, stats(), "rtp_no_pinhole")

# a call: A offers A:20000, B answers B:30000
d = Dialog(addr_a, 5060, addr_b, 5060)
rtp_a = udp_socket(ns_a, addr_a, 20000)
rtp_b = udp_socket(ns_b, addr_b, 30000)
inv = d.request("INVITE", 1, sdp(addr_a, 20000))
sip_a.sendto(inv, (addr_b, 5060))
got = drain(sip_b)
res["invite"] = any(g.startswith(b"INVITE") for g in got)
sip_b.sendto(d.response(inv, 200, "OK", sdp(addr_b, 30000)), (addr_a, 5060))
res["ok"] = any(g.startswith(b"SIP/2.0 200") for g in drain(sip_a))
sip_a.sendto(d.request("ACK", 1, tagged=True), (addr_b, 5060))
drain(sip_b)

seq, sent = 1, 0
for burst in range(3):
    pkts = []
    for k in range(4):
        pkts.append(rtp_packet(seq, seq * 160, 0x600d))
        seq += 1
    send_gso(rtp_a, (addr_b, 30000), pkts)
    sent += len(pkts)
    time.sleep(0.1)
res["rtp_sent"] = sent
res["rtp_received"] = len(drain(rtp_b))
out = subprocess.run([vgctl, "-n", router, "-j", "flow", "show"],
                     capture_output=True, check=True).stdout
fl = json.loads(out)
if isinstance(fl, dict):
    fl = fl.get("streams", [])
dst = "[%s]:30000" % addr_b if v6 else "%s:30000" % addr_b
res["flow_packets"] = [f.get("packets") for f in fl if f.get("dst") == dst]
sip_a.sendto(d.request("BYE", 2, tagged=True), (addr_b, 5060))
drain(sip_b)
print(json.dumps(res))
EOF
}

check_gso()
{
	local fam=$1 out

	out=$(gso "$2" "$3")
	echo "# $fam result: $out"
	ktap_test_result "$fam: two OPTIONS in one GSO packet reach B as two datagrams" \
		test "$(echo "$out" | json_get "d['sip_good']")" = 2
	ktap_test_result "$fam: a datagram that is not SIP behind an OPTIONS does not reach B" \
		test "$(echo "$out" | json_get "d['sip_junk']")" = 0
	ktap_test_result "$fam: that packet is counted as sip_bad_start_line" \
		test "$(echo "$out" | json_get "d['sip_junk_drops']")" = 1
	ktap_test_result "$fam: RTP behind a datagram that is not RTP, with no pinhole, does not reach B" \
		test "$(echo "$out" | json_get "d['stray_rtp']")" = 0
	ktap_test_result "$fam: that packet is counted as rtp_no_pinhole" \
		test "$(echo "$out" | json_get "d['stray_drops']")" = 1
	ktap_test_result "$fam: INVITE and 200 with SDP pass" \
		test "$(echo "$out" | json_get "d['invite'] and d['ok']")" = True
	ktap_test_result "$fam: every RTP datagram of the GSO packets reaches B" \
		test "$(echo "$out" | json_get "d['rtp_received'] == d['rtp_sent'] == 12")" = True
	ktap_test_result "$fam: flow show counts each datagram" \
		test "$(echo "$out" | json_get "d['flow_packets']")" = "[12]"
}

check_gso ipv4 10.0.1.1 10.0.2.1
check_gso ipv6 fd00:1::1 fd00:2::1

vgctl -n "$router" -j stats show >/dev/null
ktap_test_result "no kernel report" kmsg_check
ktap_finished
