#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data path end to end, IPv4 and IPv6: a SIP call set up through the
# router opens media pinholes from its SDP; RTP to the pinhole passes and
# leaves the router marked EF; after the BYE the same RTP is dropped as
# rtp_no_pinhole. Then expiry by the garbage collector: a call left
# without BYE loses its idle pinholes and ends after media-timeout, an
# unanswered INVITE ends after call-timeout.
#
#   phone A                     router                     phone B
#   10.0.1.1/24    veth    10.0.1.254 | 10.0.2.254   veth   10.0.2.1/24
#   fd00:1::1/64  ------  fd00:1::fe  | fd00:2::fe  ------  fd00:2::1/64
#
# B reads the DSCP of each RTP packet with IP_RECVTOS / IPV6_RECVTCLASS.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json, socket'" "python3"
checktool "ip -V" "iproute2"

RTP_N=${VG_DP_BASIC_RTP:-40}
[ "${VG_DEBUG_KERNEL:-0}" = 1 ] && RTP_N=20

ktap_print_header
ktap_set_plan 18
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard

setup_ns phoneA router phoneB || skip_all "cannot create namespaces"
work=$(mktemp -d)
defer rm -rf "$work"

topology()
{
	run ip link add a0 netns "$phoneA" type veth peer name ra netns "$router" &&
	run ip link add b0 netns "$phoneB" type veth peer name rb netns "$router" &&
	n "$phoneA" ip addr add 10.0.1.1/24 dev a0 &&
	n "$phoneA" ip addr add fd00:1::1/64 dev a0 nodad &&
	n "$phoneA" ip link set a0 up &&
	n "$phoneA" ip route add default via 10.0.1.254 &&
	n "$phoneA" ip -6 route add default via fd00:1::fe &&
	n "$phoneB" ip addr add 10.0.2.1/24 dev b0 &&
	n "$phoneB" ip addr add fd00:2::1/64 dev b0 nodad &&
	n "$phoneB" ip link set b0 up &&
	n "$phoneB" ip route add default via 10.0.2.254 &&
	n "$phoneB" ip -6 route add default via fd00:2::fe &&
	n "$router" ip addr add 10.0.1.254/24 dev ra &&
	n "$router" ip addr add fd00:1::fe/64 dev ra nodad &&
	n "$router" ip addr add 10.0.2.254/24 dev rb &&
	n "$router" ip addr add fd00:2::fe/64 dev rb nodad &&
	n "$router" ip link set ra up &&
	n "$router" ip link set rb up &&
	n "$router" sysctl -qw net.ipv4.ip_forward=1 &&
	n "$router" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	# The phones' own instances only count: what B sees is the router's.
	"$VGCTL" -n "$phoneA" config set mode monitor &&
	"$VGCTL" -n "$phoneB" config set mode monitor &&
	vgctl -n "$router" config set media-strict on
}
ktap_test_result "topology and router configuration" topology

# call A B [MODE]: one call from A to B; prints a JSON result. MODE full
# (default): RTP, BYE, RTP again; open: RTP, no BYE; invite: the INVITE
# only; limit: two INVITEs and one to 911, which of them B received; tcp:
# one SIP message whole in a TCP segment, one split across two; peer: as
# full, but A's SDP names another address than A's; ef: no call, datagrams
# sent marked EF to a port that is neither SIP nor media; burst: 40 OPTIONS
# back to back, how many B received.
call()
{
	echo "# call $1 -> $2 (${3:-full}, $RTP_N RTP packets)" >&2
	python3 - "$phoneA" "$phoneB" "$1" "$2" "$RTP_N" "${3:-full}" <<'EOF'
import ctypes, json, os, socket, struct, sys, time

ns_a, ns_b, addr_a, addr_b, count, mode = sys.argv[1:7]
count = int(count)
libc = ctypes.CDLL(None, use_errno=True)
v6 = ":" in addr_a
fam = socket.AF_INET6 if v6 else socket.AF_INET


def sock_in(ns, addr, port, kind=socket.SOCK_DGRAM):
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, 0x40000000):
        sys.exit("setns failed")
    os.close(fd)
    s = socket.socket(fam, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    libc.setns(home, 0x40000000)
    os.close(home)
    return s


def recv(s, timeout=1.0):
    s.settimeout(timeout)
    try:
        return s.recv(65535)
    except socket.timeout:
        return None


ip = "IP6" if v6 else "IP4"
call_id = "basic-%d@%s" % (os.getpid(), addr_a)
ua, ub = ("[%s]" % addr_a, "[%s]" % addr_b) if v6 else (addr_a, addr_b)


def sdp(addr, port):
    return ("v=0\r\no=- 1 1 IN %s %s\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\n"
            % (ip, addr, ip, addr, port))


def msg(start, method, cseq, to_tag, body, via, cid=None, user="b",
        transport="UDP"):
    h = [start,
         "Via: SIP/2.0/%s %s:5060;branch=z9hG4bK-%s-%d"
         % (transport, via, method, cseq),
         "Max-Forwards: 70",
         "From: <sip:a@%s>;tag=aaa" % ua,
         "To: <sip:%s@%s>%s" % (user, ub, ";tag=bbb" if to_tag else ""),
         "Call-ID: " + (cid or call_id),
         "CSeq: %d %s" % (cseq, method),
         "Contact: <sip:a@%s:5060>" % ua]
    if body:
        h.append("Content-Type: application/sdp")
    h.append("Content-Length: %d" % len(body))
    return ("\r\n".join(h) + "\r\n\r\n" + body).encode()


sip_a = sock_in(ns_a, addr_a, 5060)
sip_b = sock_in(ns_b, addr_b, 5060)
rtp_a = sock_in(ns_a, addr_a, 30000)
rtp_b = sock_in(ns_b, addr_b, 20000)
if v6:
    rtp_b.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
else:
    rtp_b.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)

res = {}
if mode == "ef":
    tx = sock_in(ns_a, addr_a, 0)
    rx = sock_in(ns_b, addr_b, 9999)
    if v6:
        tx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, 46 << 2)
        rx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
    else:
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 46 << 2)
        rx.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)
    res["dscp"] = []
    rx.settimeout(1)
    for i in range(5):
        tx.sendto(b"not voice", (addr_b, 9999))
        try:
            data, anc, flags, src = rx.recvmsg(2048, 64)
        except socket.timeout:
            continue
        for level, typ, val in anc:
            tos = val[0] if len(val) == 1 else struct.unpack("i", val[:4])[0]
            res["dscp"].append(tos >> 2)
    print(json.dumps(res))
    sys.exit(0)
if mode == "burst":
    for i in range(40):
        sip_a.sendto(msg("OPTIONS sip:b@%s SIP/2.0" % ub, "OPTIONS", i + 1,
                         False, "", ua), (addr_b, 5060))
    res["received"] = 0
    while recv(sip_b, 1.0) is not None:
        res["received"] += 1
    print(json.dumps(res))
    sys.exit(0)
offer_addr = addr_a
if mode == "peer":
    offer_addr = "fd00:1::99" if v6 else "10.0.1.99"
if mode == "limit":
    for n, user in (("first", "b"), ("second", "b"), ("emergency", "911")):
        sip_a.sendto(msg("INVITE sip:%s@%s SIP/2.0" % (user, ub), "INVITE", 1,
                         False, sdp(addr_a, 30000), ua,
                         cid="%s-%s" % (n, call_id), user=user),
                     (addr_b, 5060))
        res[n] = recv(sip_b) is not None
    print(json.dumps(res))
    sys.exit(0)
if mode == "tcp":
    srv = sock_in(ns_b, addr_b, 5060, socket.SOCK_STREAM)
    srv.listen(1)
    cli = sock_in(ns_a, addr_a, 0, socket.SOCK_STREAM)
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    cli.settimeout(5)
    cli.connect((addr_b, 5060))
    conn, _ = srv.accept()
    conn.settimeout(1)
    whole = msg("OPTIONS sip:b@%s SIP/2.0" % ub, "OPTIONS", 1, False, "", ua,
                transport="TCP")
    cli.sendall(whole)
    got = b""
    while len(got) < len(whole):
        try:
            d = conn.recv(65535)
        except socket.timeout:
            break
        if not d:
            break
        got += d
    res["whole"] = got == whole
    split = msg("OPTIONS sip:b@%s SIP/2.0" % ub, "OPTIONS", 2, False, "", ua,
                transport="TCP")
    cli.sendall(split[:40])
    time.sleep(0.3)
    cli.sendall(split[40:])
    got = b""
    while len(got) < len(split):
        try:
            d = conn.recv(65535)
        except socket.timeout:
            break
        if not d:
            break
        got += d
    res["split"] = got == split
    print(json.dumps(res))
    sys.exit(0)
sip_a.sendto(msg("INVITE sip:b@%s SIP/2.0" % ub, "INVITE", 1, False,
                 sdp(offer_addr, 30000), ua), (addr_b, 5060))
res["invite"] = recv(sip_b) is not None
if mode == "invite":
    print(json.dumps(res))
    sys.exit(0)
sip_b.sendto(msg("SIP/2.0 200 OK", "INVITE", 1, True, sdp(addr_b, 20000),
                 ua), (addr_a, 5060))
res["ok"] = recv(sip_a) is not None
sip_a.sendto(msg("ACK sip:b@%s SIP/2.0" % ub, "ACK", 1, True, "", ua),
             (addr_b, 5060))
res["ack"] = recv(sip_b) is not None


def rtp(seq):
    return struct.pack("!BBHII", 0x80, 0, seq, seq * 160, 0x1234) + \
        b"\xff" * 160


def stream(first):
    got, ef = 0, 0
    for i in range(count):
        rtp_a.sendto(rtp(first + i), (addr_b, 20000))
        time.sleep(0.005)
    rtp_b.settimeout(0.5)
    while True:
        try:
            data, anc, flags, src = rtp_b.recvmsg(2048, 64)
        except socket.timeout:
            break
        got += 1
        for level, typ, val in anc:
            tos = val[0] if len(val) == 1 else struct.unpack("i", val[:4])[0]
            if tos >> 2 == 46:
                ef += 1
    return got, ef


res["rtp_in_call"], res["rtp_in_call_ef"] = stream(1)
if mode == "open":
    print(json.dumps(res))
    sys.exit(0)
sip_a.sendto(msg("BYE sip:b@%s SIP/2.0" % ub, "BYE", 2, True, "", ua),
             (addr_b, 5060))
res["bye"] = recv(sip_b) is not None
res["rtp_after_bye"], _ = stream(1 + count)
print(json.dumps(res))
EOF
}

drops()
{
	"$VGCTL" -n "$router" -j stats show |
		json_get "d['drops'].get('$1', 0)"
}

check_call()
{
	local fam=$1 a=$2 b=$3 out before after

	before=$(drops rtp_no_pinhole)
	out=$(call "$a" "$b")
	after=$(drops rtp_no_pinhole)
	echo "# $fam result: $out; rtp_no_pinhole $before -> $after"
	ktap_test_result "$fam: INVITE, 200 and ACK with SDP pass" \
		test "$(echo "$out" | json_get "d['invite'] and d['ok'] and d['ack']")" = True
	ktap_test_result "$fam: all $RTP_N RTP packets to the pinhole pass" \
		test "$(echo "$out" | json_get "d['rtp_in_call']")" = "$RTP_N"
	ktap_test_result "$fam: call media arrives marked EF" \
		test "$(echo "$out" | json_get "d['rtp_in_call_ef']")" = "$RTP_N"
	ktap_test_result "$fam: RTP after BYE is dropped as rtp_no_pinhole" \
		eval "[ \"\$(echo '$out' | json_get \"d['rtp_after_bye']\")\" = 0 ] &&
		      [ $((after - before)) -eq $RTP_N ]"
}

check_call ipv4 10.0.1.1 10.0.2.1
check_call ipv6 fd00:1::1 fd00:2::1

# occupancy FIELD: the router's current calls or streams.
occupancy()
{
	"$VGCTL" -n "$router" -j stats show | json_get "d['$1']"
}

state_is()
{
	local calls streams

	calls=$(occupancy calls)
	streams=$(occupancy streams)
	echo "# state at ${SECONDS}s: calls $calls, streams $streams (want $1, $2)"
	[ "$calls" -eq "$1" ] && [ "$streams" -eq "$2" ]
}

expiry()
{
	local t0 tmo=15

	# Timeouts well above what one scripted call takes on a slow VM.
	[ "${VG_DEBUG_KERNEL:-0}" = 1 ] && tmo=60
	echo "# expiry test starts at ${SECONDS}s"
	vgctl -n "$router" config set media-timeout $tmo call-timeout $tmo &&
	call 10.0.1.1 10.0.2.1 open >/dev/null || return 1
	# The answered call has RTP and RTCP pinholes both ways.
	state_is 1 4 || return 1
	call fd00:1::1 fd00:2::1 invite >/dev/null || return 1
	t0=$SECONDS
	# And the unanswered one (the first may be expiring already).
	[ "$(occupancy calls)" -ge 1 ] || return 1
	slowwait $((8 * tmo)) state_is 0 0
	echo "# expired after $((SECONDS - t0)) s"
	state_is 0 0
}
ktap_test_result "idle pinholes and unanswered calls expire (garbage collector)" \
	expiry

# count KIND REASON: a router counter (KIND drops or monitored).
count()
{
	"$VGCTL" -n "$router" -j stats show |
		json_get "d['$1'].get('$2', 0)"
}

limits()
{
	local before after out

	vgctl -n "$router" limit set calls-per-source 1 || return 1
	before=$(count drops call_limit)
	out=$(call 10.0.1.1 10.0.2.1 limit)
	after=$(count drops call_limit)
	echo "# $out; call_limit $before -> $after"
	vgctl -n "$router" limit set calls-per-source 0
	[ "$(echo "$out" | json_get "d['first'], d['second'], d['emergency']")" = \
	  "(True, False, True)" ] && [ $((after - before)) -eq 1 ]
}
ktap_test_result "calls-per-source: second INVITE dropped (call_limit), 911 exempt" \
	limits

tcp_sip()
{
	local before after out

	before=$(count monitored sip_tcp_split)
	out=$(call 10.0.1.1 10.0.2.1 tcp)
	after=$(count monitored sip_tcp_split)
	echo "# $out; sip_tcp_split (passed) $before -> $after"
	[ "$(echo "$out" | json_get "d['whole'], d['split']")" = "(True, True)" ] &&
	[ $((after - before)) -ge 1 ]
}
ktap_test_result "SIP over TCP: whole message passes, split one counted and passed" \
	tcp_sip

srtp()
{
	local before after out

	vgctl -n "$router" zone add za dscp-default 10 10.0.1.0/24 fd00:1::/64 &&
	vgctl -n "$router" zone add zb 10.0.2.0/24 fd00:2::/64 &&
	vgctl -n "$router" srtp require za zb || return 1
	before=$(count drops srtp_required)
	out=$(call 10.0.1.1 10.0.2.1)
	after=$(count drops srtp_required)
	echo "# $out; srtp_required $before -> $after"
	[ "$(echo "$out" | json_get "d['invite'] and d['ok'] and d['ack']")" = True ] &&
	[ "$(echo "$out" | json_get "d['rtp_in_call']")" = 0 ] &&
	[ $((after - before)) -ge 1 ]
}
ktap_test_result "require-SRTP za -> zb: SIP passes, RTP/AVP media not opened" \
	srtp

peer()
{
	local before after out

	vgctl -n "$router" srtp allow za zb &&
	vgctl -n "$router" config set peer-restrict on || return 1
	before=$(count drops rtp_wrong_source)
	out=$(call fd00:1::1 fd00:2::1 peer)
	after=$(count drops rtp_wrong_source)
	vgctl -n "$router" config set peer-restrict off
	echo "# $out; rtp_wrong_source $before -> $after"
	[ "$(echo "$out" | json_get "d['rtp_in_call']")" = 0 ] &&
	[ $((after - before)) -eq "$RTP_N" ]
}
ktap_test_result "peer-restrict: media from another address than the SDP's dropped" \
	peer

# Trust boundary: EF claimed by what is not call media is re-marked to the
# source zone's default DSCP (za: 10, AF11; B's own instance, without
# zones, would re-mark EF to 0 but leaves 10 alone).
ef()
{
	local out

	out=$(call 10.0.1.1 10.0.2.1 ef) && echo "# ipv4 $out" &&
	[ "$(echo "$out" | json_get "d['dscp']")" = "[10, 10, 10, 10, 10]" ] &&
	out=$(call fd00:1::1 fd00:2::1 ef) && echo "# ipv6 $out" &&
	[ "$(echo "$out" | json_get "d['dscp']")" = "[10, 10, 10, 10, 10]" ]
}
ktap_test_result "EF on other traffic re-marked at the trust boundary" ef

# A SIP flood from one source: limited (sip_rate), with flood start and
# end events on the events group.
flood()
{
	local before after out mon=$work/monitor.json mpid

	vgctl -n "$router" limit set sip-source 5 5 || return 1
	"$VGCTL" -n "$router" -j monitor >"$mon" 2>/dev/null &
	mpid=$!
	defer kill $mpid
	sleep 1
	before=$(count drops sip_rate)
	out=$(call 10.0.1.1 10.0.2.1 burst)
	after=$(count drops sip_rate)
	echo "# $out; sip_rate $before -> $after"
	slowwait 60 grep -q flood_end "$mon"
	kill $mpid
	vgctl -n "$router" limit set sip-source 50 100
	sed 's/^/# event: /' "$mon" | grep flood
	[ "$(echo "$out" | json_get "d['received']")" -lt 40 ] &&
	[ $((after - before)) -ge 20 ] &&
	grep -q flood_start "$mon" && grep -q flood_end "$mon"
}
ktap_test_result "SIP flood limited as sip_rate, flood start and end events" flood

global_budget()
{
	local before after out

	vgctl -n "$router" limit set global 5 5 || return 1
	before=$(count drops global_rate)
	out=$(call 10.0.1.1 10.0.2.1 burst)
	after=$(count drops global_rate)
	vgctl -n "$router" limit set global 0 0
	echo "# $out; global_rate $before -> $after"
	[ "$(echo "$out" | json_get "d['received']")" -lt 40 ] &&
	[ $((after - before)) -ge 20 ]
}
ktap_test_result "global budget: a burst over it dropped as global_rate" global_budget

vgctl -n "$router" -j stats show >/dev/null
ktap_test_result "no kernel report" kmsg_check
ktap_finished
