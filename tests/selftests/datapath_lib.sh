# SPDX-License-Identifier: GPL-2.0
#
# Shared by test_datapath_*.sh: two phones and a router running voipguard.
#
#   phone A                     router                     phone B
#   10.0.1.1/24    veth    10.0.1.254 | 10.0.2.254   veth   10.0.2.1/24
#   fd00:1::1/64  ------  fd00:1::fe  | fd00:2::fe  ------  fd00:2::1/64
#
# The phones' own instances only count (monitor mode): what B sees is the
# router's doing, except where a test says otherwise.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RTP_N=${VG_DP_BASIC_RTP:-40}
[ "${VG_DEBUG_KERNEL:-0}" = 1 ] && RTP_N=20

datapath_require()
{
	require_module
	require_vgctl
	checktool "python3 -c 'import json, socket'" "python3"
	checktool "ip -V" "iproute2"
}

# datapath_setup: module, namespaces, scratch directory $work.
datapath_setup()
{
	vg_module_load || skip_all "cannot load $VG_MODULE"
	defer rmmod voipguard
	setup_ns phoneA router phoneB || skip_all "cannot create namespaces"
	work=$(mktemp -d)
	defer rm -rf "$work"
}

topology()
{
	routed_pair "$phoneA" "$router" "$phoneB" &&
	# The phones' own instances only count: what B sees is the router's.
	"$VGCTL" -n "$phoneA" config set mode monitor &&
	"$VGCTL" -n "$phoneB" config set mode monitor &&
	vgctl -n "$router" config set media-strict on
}


# call A B [MODE]: one call from A to B; prints a JSON result. MODE full
# (default): RTP, BYE, RTP again; open: RTP, no BYE; invite: the INVITE
# only; limit: two INVITEs and one to 911, which of them B received; tcp:
# one SIP message whole in a TCP segment, one split across two; peer: as
# full, but A's SDP names another address than A's; ef: no call, datagrams
# sent marked EF to a port that is neither SIP nor media; burst: 40 OPTIONS
# back to back, how many B received; emergency: a call to 911 whose ACK and
# BYE each follow a burst of 20 OPTIONS, which of them B received.
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


def recv_exactly(conn, n):
    """Up to n octets from a stream, until the peer stops sending."""
    got = b""
    while len(got) < n:
        try:
            d = conn.recv(65535)
        except socket.timeout:
            break
        if not d:
            break
        got += d
    return got


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
if mode == "emergency":
    cid = "sos-" + call_id

    def burst(first):
        for i in range(20):
            sip_a.sendto(msg("OPTIONS sip:b@%s SIP/2.0" % ub, "OPTIONS",
                             first + i, False, "", ua), (addr_b, 5060))

    burst(1)
    sip_a.sendto(msg("INVITE sip:911@%s SIP/2.0" % ub, "INVITE", 1, False,
                     sdp(addr_a, 30000), ua, cid=cid, user="911"),
                 (addr_b, 5060))
    sip_b.sendto(msg("SIP/2.0 200 OK", "INVITE", 1, True, sdp(addr_b, 20000),
                     ua, cid=cid, user="911"), (addr_a, 5060))
    res["ok"] = recv(sip_a) is not None
    burst(100)
    sip_a.sendto(msg("ACK sip:911@%s SIP/2.0" % ub, "ACK", 1, True, "", ua,
                     cid=cid, user="911"), (addr_b, 5060))
    burst(200)
    sip_a.sendto(msg("BYE sip:911@%s SIP/2.0" % ub, "BYE", 2, True, "", ua,
                     cid=cid, user="911"), (addr_b, 5060))
    res["options"] = 0
    while True:
        d = recv(sip_b)
        if d is None:
            break
        start = d.split(b" ", 1)[0].decode()
        if start == "OPTIONS":
            res["options"] += 1
        elif ("Call-ID: " + cid).encode() in d:
            res[start.lower()] = True
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
    res["whole"] = recv_exactly(conn, len(whole)) == whole
    split = msg("OPTIONS sip:b@%s SIP/2.0" % ub, "OPTIONS", 2, False, "", ua,
                transport="TCP")
    cli.sendall(split[:40])
    time.sleep(0.3)
    cli.sendall(split[40:])
    res["split"] = recv_exactly(conn, len(split)) == split
    # a message without Content-Length would take the INVITE after it
    # for its body: the segment is dropped, the INVITE not smuggled
    bare = msg("MESSAGE sip:b@%s SIP/2.0" % ub, "MESSAGE", 3, False, "", ua,
               transport="TCP").replace(b"Content-Length: 0\r\n",
                                          b"Content-Type: text/plain\r\n")
    cli.sendall(bare + msg("INVITE sip:b@%s SIP/2.0" % ub, "INVITE", 4,
                           False, "", ua, transport="TCP"))
    res["bare_dropped"] = recv_exactly(conn, 1) == b""
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

# count KIND REASON: a router counter (KIND drops or monitored).
count()
{
	"$VGCTL" -n "$router" -j stats show |
		json_get "d['$1'].get('$2', 0)"
}
