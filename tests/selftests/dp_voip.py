# SPDX-License-Identifier: GPL-2.0
"""SIP calls, RTP streams and probes across network namespaces, for the
data-path selftests. One process drives both ends: it enters each namespace
with setns(2) only to create its sockets there, so every step happens in a
known order and nothing waits on another process.

  python3 dp_voip.py call [options]        a call voice -> gateway, JSON result
  python3 dp_voip.py datagrams [options] FILE...   each FILE as one UDP datagram
  python3 dp_voip.py zones [options]       data-zone probes, per class
  python3 dp_voip.py capture --ns NS --iface IF --ready FILE --out FILE
                                           wire capture until SIGTERM

What passed the router is seen on the receiving host's interface with a
packet socket (before that host's own netfilter hooks), so the DSCP and
counts reported are what the router forwarded.
"""
import argparse
import ctypes
import json
import os
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_RCVBUFFORCE = 33

_libc = ctypes.CDLL(None, use_errno=True)

# Timeouts scale with the kernel's speed (the debug kernel is far slower).
SLOW = 8.0 if os.environ.get("VG_DEBUG_KERNEL") == "1" else 1.0


def log(*args):
    print("#", *args, file=sys.stderr, flush=True)


class Netns:
    """with Netns(name): sockets created inside belong to namespace name."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.name, os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET) != 0:
                err = ctypes.get_errno()
                raise OSError(err, "setns %s: %s" % (self.name, os.strerror(err)))
        finally:
            os.close(fd)
        return self

    def __exit__(self, *exc):
        _libc.setns(self.home, CLONE_NEWNET)
        os.close(self.home)
        return False


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def udp_socket(ns, addr, port):
    with Netns(ns):
        s = socket.socket(family_of(addr), socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        except OSError:
            pass
        s.bind((addr, port))
    return s


def recv_until(sock, deadline, want):
    """Read datagrams until want(data) is true; None at the deadline."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        r, _, _ = select.select([sock], [], [], left)
        if not r:
            return None
        data = sock.recv(65535)
        if want(data):
            return data


# ---- wire capture ----

class Capture:
    """Packets arriving on one interface (not those the host sends)."""

    def __init__(self, ns, iface):
        with Netns(ns):
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                                      socket.htons(ETH_P_ALL))
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
            except OSError:
                pass
            self.sock.bind((iface, ETH_P_ALL))
        self.sock.setblocking(False)
        self.packets = []

    def drain(self):
        while True:
            try:
                data, addr = self.sock.recvfrom(65535)
            except BlockingIOError:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            pkt = parse_ip(data)
            if pkt:
                self.packets.append(pkt)

    def close(self):
        self.drain()
        self.sock.close()


def parse_ip(data):
    """(family, src, dst, proto, sport, dport, tos, payload) or None."""
    if len(data) < 1:
        return None
    ver = data[0] >> 4
    if ver == 4 and len(data) >= 20:
        ihl = (data[0] & 15) * 4
        tos = data[1]
        proto = data[9]
        frag = struct.unpack("!H", data[6:8])[0]
        src = socket.inet_ntop(socket.AF_INET, data[12:16])
        dst = socket.inet_ntop(socket.AF_INET, data[16:20])
        l4 = data[ihl:]
        if frag & 0x1fff:       # a later fragment: no L4 header
            return {"fam": 4, "src": src, "dst": dst, "proto": proto,
                    "sport": None, "dport": None, "tos": tos, "payload": b"",
                    "frag": True}
    elif ver == 6 and len(data) >= 40:
        tos = ((data[0] & 15) << 4) | (data[1] >> 4)
        proto = data[6]
        src = socket.inet_ntop(socket.AF_INET6, data[8:24])
        dst = socket.inet_ntop(socket.AF_INET6, data[24:40])
        l4 = data[40:]
        if proto == 44:         # fragment header
            if len(l4) < 8:
                return None
            off = struct.unpack("!H", l4[2:4])[0] >> 3
            proto = l4[0]
            l4 = l4[8:]
            if off:
                return {"fam": 6, "src": src, "dst": dst, "proto": proto,
                        "sport": None, "dport": None, "tos": tos,
                        "payload": b"", "frag": True}
    else:
        return None
    sport = dport = None
    payload = b""
    if proto == 17 and len(l4) >= 8:
        sport, dport = struct.unpack("!HH", l4[:4])
        payload = l4[8:]
    elif proto == 6 and len(l4) >= 20:
        sport, dport = struct.unpack("!HH", l4[:4])
        payload = l4[(l4[12] >> 4) * 4:]
    return {"fam": ver, "src": src, "dst": dst, "proto": proto,
            "sport": sport, "dport": dport, "tos": tos, "payload": payload,
            "frag": False}


def dscp_counts(pkts):
    out = {}
    for p in pkts:
        k = str(p["tos"] >> 2)
        out[k] = out.get(k, 0) + 1
    return out


# ---- SIP ----

def host_in_uri(addr):
    return "[%s]" % addr if ":" in addr else addr


def sdp(addr, port, pts=(0, 8), rtcp_mux=False, srtp=False):
    ipv = "IP6" if ":" in addr else "IP4"
    lines = ["v=0", "o=- 4242 1 IN %s %s" % (ipv, addr), "s=-",
             "c=IN %s %s" % (ipv, addr), "t=0 0",
             "m=audio %d %s %s" % (port, "RTP/SAVP" if srtp else "RTP/AVP",
                                   " ".join(str(p) for p in pts))]
    if srtp:
        lines.append("a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                     "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz")
    names = {0: "PCMU/8000", 8: "PCMA/8000", 101: "telephone-event/8000"}
    for p in pts:
        lines.append("a=rtpmap:%d %s" % (p, names.get(p, "PCMU/8000")))
    lines += ["a=ptime:20", "a=sendrecv"]
    if rtcp_mux:
        lines.append("a=rtcp-mux")
    return ("\r\n".join(lines) + "\r\n").encode()


def sip_message(start, headers, body=b""):
    text = start + "\r\n"
    for name, value in headers:
        text += "%s: %s\r\n" % (name, value)
    text += "Content-Length: %d\r\n\r\n" % len(body)
    return text.encode() + body


def branch():
    return "z9hG4bK" + "%016x" % random.getrandbits(64)


class Dialog:
    def __init__(self, caller, cport, callee, gport, call_id=None):
        self.caller, self.cport, self.callee, self.gport = caller, cport, callee, gport
        self.call_id = call_id or "%x@%s" % (random.getrandbits(64), host_in_uri(caller))
        self.ftag = "%x" % random.getrandbits(32)
        self.ttag = "%x" % random.getrandbits(32)
        self.ruri = "sip:gw@%s:%d" % (host_in_uri(callee), gport)

    def from_hdr(self):
        return "<sip:phone@%s>;tag=%s" % (host_in_uri(self.caller), self.ftag)

    def to_hdr(self, tagged):
        to = "<sip:gw@%s>" % host_in_uri(self.callee)
        return to + (";tag=%s" % self.ttag if tagged else "")

    def request(self, method, cseq, body=b"", via_branch=None, tagged=False):
        hdrs = [("Via", "SIP/2.0/UDP %s:%d;branch=%s" % (host_in_uri(self.caller),
                                                         self.cport, via_branch or branch())),
                ("Max-Forwards", "70"),
                ("From", self.from_hdr()),
                ("To", self.to_hdr(tagged)),
                ("Call-ID", self.call_id),
                ("CSeq", "%d %s" % (cseq, method)),
                ("Contact", "<sip:phone@%s:%d>" % (host_in_uri(self.caller), self.cport))]
        if body:
            hdrs.append(("Content-Type", "application/sdp"))
        return sip_message("%s %s SIP/2.0" % (method, self.ruri), hdrs, body)

    def response(self, req, code, text, body=b"", tagged=True):
        via = header(req, "Via")
        cseq = header(req, "CSeq")
        hdrs = [("Via", via), ("From", self.from_hdr()), ("To", self.to_hdr(tagged)),
                ("Call-ID", self.call_id), ("CSeq", cseq),
                ("Contact", "<sip:gw@%s:%d>" % (host_in_uri(self.callee), self.gport))]
        if body:
            hdrs.append(("Content-Type", "application/sdp"))
        return sip_message("SIP/2.0 %d %s" % (code, text), hdrs, body)


def header(msg, name):
    for line in msg.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == name.lower().encode():
            return v.strip().decode()
    return None


def is_msg(call_id, start):
    def want(data):
        return (data.startswith(start.encode()) and
                header(data, "Call-ID") == call_id)
    return want


# ---- RTP ----

MAGIC = {"norm": b"NORM", "bad": b"BADH", "rogue": b"ROGU", "after": b"AFTR",
         "flood": b"FLOD", "dtmf": b"DTMF"}


def rtp_packet(seq, ts, ssrc, pt=0, marker=False, magic=b"NORM"):
    hdr = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt,
                      seq & 0xffff, ts & 0xffffffff, ssrc)
    return hdr + magic + b"\xd5" * 156


def rtcp_rr(ssrc, about):
    """An RTCP receiver report with one block (RFC 3550 6.4.2)."""
    block = struct.pack("!IIIIII", about, 0, 0, 0, 0, 0)
    return struct.pack("!BBHI", 0x81, 201, 7, ssrc) + block


def srtcp(rtcp, index):
    """RTCP as SRTCP sends it (RFC 3711 3.4): all but the first 8 octets
    encrypted, then the E flag and index and an 80-bit tag."""
    body = bytes(b ^ 0xa5 for b in rtcp[8:])
    tag = bytes((index * 31 + k) & 0xff for k in range(10))
    return rtcp[:8] + body + struct.pack("!I", 0x80000000 | index) + tag


def bad_rtp_packet(i):
    """Malformed RTP headers (RFC 3550 A.1 checks), cycling through kinds."""
    kind = i % 3
    if kind == 0:       # version 1
        return struct.pack("!BBHII", 0x40, 0, i, i * 160, 0x0bad0001) + b"BADH" + b"\0" * 156
    if kind == 1:       # CSRC count larger than the packet
        return struct.pack("!BBHII", 0x8f, 0, i, i * 160, 0x0bad0001) + b"BADH" + b"\0" * 4
    # padding bit set with a padding count larger than the payload
    return struct.pack("!BBHII", 0xa0, 0, i, i * 160, 0x0bad0001) + b"BADH" + b"\0" * 11 + b"\xff"


def magic_of(payload):
    if len(payload) >= 16:
        return payload[12:16]
    # a short malformed packet: its magic may sit anywhere
    return b"BADH" if b"BADH" in payload else b""


def count_magic(pkts, dport, magic, src=None):
    return sum(1 for p in pkts if p["proto"] == 17 and p["dport"] == dport and
               (src is None or p["src"] == src) and magic_of(p["payload"]) == magic)


# ---- vgctl snapshots ----

def vgctl_json(args, *cmd):
    if not args.vgctl or not args.router:
        return None
    argv = [args.vgctl, "-n", args.router, "-j"] + list(cmd)
    try:
        out = subprocess.run(argv, capture_output=True, timeout=30 * SLOW)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"error": str(e)}
    if out.returncode != 0:
        return {"error": out.stderr.decode(errors="replace").strip(),
                "status": out.returncode}
    try:
        return json.loads(out.stdout)
    except ValueError:
        return {"error": "not JSON: " + out.stdout[:200].decode(errors="replace")}


# ---- the call ----

class Failed(Exception):
    pass


def flood(args, dst, gport, result):
    """--flood-count INVITEs from --flood-from, each its own call."""
    s = udp_socket(args.voice, args.flood_from, 5070)
    for i in range(args.flood_count):
        d = Dialog(args.flood_from, 5070, dst, gport)
        s.sendto(d.request("INVITE", 1, sdp(args.flood_from, 30000 + 2 * (i % 1000))),
                 (dst, gport))
    s.close()
    result["flood_sent"] = args.flood_count


def run_call(args):
    result = {"ok": False, "step": "setup", "sent": {}, "stats": {}}
    caller, callee = args.caller, args.callee
    cport, gport = args.sip_port, args.gw_sip_port
    cmedia, gmedia = args.caller_media, args.gw_media
    step_to = args.timeout * SLOW

    cap_gw = Capture(args.gateway, args.gw_iface)
    cap_vo = Capture(args.voice, args.voice_iface)
    uac = udp_socket(args.voice, caller, cport)
    uas = udp_socket(args.gateway, callee, gport)
    c_rtp = udp_socket(args.voice, caller, cmedia)
    g_rtp = udp_socket(args.gateway, callee, gmedia)
    for s in (c_rtp, g_rtp):
        s.setblocking(False)

    def drain_all():
        cap_gw.drain()
        cap_vo.drain()
        for s in (c_rtp, g_rtp):
            try:
                while s.recv(65535):
                    pass
            except BlockingIOError:
                pass

    result["stats"]["start"] = vgctl_json(args, "stats", "show")
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("ready\n")
    try:
        if args.wait_sip_from:
            # start only once the other source's requests reach the wire
            deadline = time.monotonic() + step_to
            while time.monotonic() < deadline:
                cap_gw.drain()
                if any(p["src"] == args.wait_sip_from and p["dport"] == 5060
                       for p in cap_gw.packets):
                    break
                time.sleep(0.01)
            else:
                raise Failed("no SIP from %s reached the gateway" % args.wait_sip_from)
        if args.flood_count:
            flood(args, callee, gport, result)

        d = Dialog(caller, cport, callee, gport)
        result["call_id"] = d.call_id
        result["step"] = "INVITE"
        mux = args.rtcp_mux > 0
        pts = (0, 8, 101) if args.dtmf else (0, 8)
        invite = d.request("INVITE", 1, sdp(caller, cmedia, pts, rtcp_mux=mux,
                                            srtp=args.srtp),
                           via_branch=branch())
        uac.sendto(invite, (callee, gport))
        got = recv_until(uas, time.monotonic() + step_to, is_msg(d.call_id, "INVITE "))
        if got is None:
            raise Failed("INVITE did not reach the gateway")
        result["step"] = "200 OK"
        uas.sendto(d.response(got, 100, "Trying", tagged=False), (caller, cport))
        uas.sendto(d.response(got, 200, "OK", sdp(callee, gmedia, pts, rtcp_mux=mux,
                                                  srtp=args.srtp)),
                   (caller, cport))
        if recv_until(uac, time.monotonic() + step_to, is_msg(d.call_id, "SIP/2.0 200")) is None:
            raise Failed("200 OK did not reach the caller")
        result["step"] = "ACK"
        uac.sendto(d.request("ACK", 1, tagged=True), (callee, gport))
        if recv_until(uas, time.monotonic() + step_to, is_msg(d.call_id, "ACK ")) is None:
            raise Failed("ACK did not reach the gateway")

        result["step"] = "media"
        ssrc_c, ssrc_g = random.getrandbits(32), random.getrandbits(32)
        result["ssrc"] = {"up": "0x%08x" % ssrc_c, "down": "0x%08x" % ssrc_g}
        sent = {"norm_up": 0, "norm_down": 0, "bad": 0, "rogue": 0, "after": 0,
                "rtcp": 0, "dtmf": 0}
        half = args.rtp // 2
        # a key press upstream after the injections: --dtmf RFC 4733 event
        # packets in place of audio, all stamped with the press's start
        # while the clock runs on, as phones send them
        dtmf_end = half + 1 + args.dtmf
        next_t = time.monotonic()
        for i in range(args.rtp):
            if half < i < dtmf_end:
                c_rtp.sendto(rtp_packet(i, (half + 1) * 160, ssrc_c, pt=101,
                                        marker=(i == half + 1), magic=MAGIC["dtmf"]),
                             (callee, gmedia))
                sent["dtmf"] += 1
            else:
                c_rtp.sendto(rtp_packet(i, i * 160, ssrc_c, marker=(i == 0)), (callee, gmedia))
                sent["norm_up"] += 1
            g_rtp.sendto(rtp_packet(i, i * 160, ssrc_g, marker=(i == 0)), (caller, cmedia))
            sent["norm_down"] += 1
            if i == half:
                # RTCP on the RTP port, as rtcp-mux negotiated it
                for k in range(args.rtcp_mux):
                    rr = rtcp_rr(ssrc_c, ssrc_g)
                    c_rtp.sendto(srtcp(rr, k) if args.srtp else rr,
                                 (callee, gmedia))
                    sent["rtcp"] += 1
                # inside the live call: malformed packets on the call's own
                # 5-tuple, then well-formed RTP from another host
                for k in range(args.bad):
                    c_rtp.sendto(bad_rtp_packet(k), (callee, gmedia))
                    sent["bad"] += 1
                if args.rogue:
                    r = udp_socket(args.voice, args.rogue, cmedia)
                    for k in range(args.rogue_count):
                        r.sendto(rtp_packet(k, k * 160, 0x0badf00d, magic=MAGIC["rogue"]),
                                 (callee, gmedia))
                        sent["rogue"] += 1
                    r.close()
            # steady pacing; when late, do not catch up with a burst (a
            # burst would meet the stream's policer, not what is tested)
            next_t = max(next_t + args.pace_ms / 1000.0, time.monotonic())
            delay = next_t - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            drain_all()

        # wait until every forwarded packet is seen (bounded)
        deadline = time.monotonic() + step_to
        while time.monotonic() < deadline:
            drain_all()
            if (count_magic(cap_gw.packets, gmedia, b"NORM") >= sent["norm_up"] and
                    count_magic(cap_vo.packets, cmedia, b"NORM") >= sent["norm_down"]):
                break
            time.sleep(0.02)
        result["flows"] = vgctl_json(args, "flow", "show")
        result["stats"]["media"] = vgctl_json(args, "stats", "show")

        result["step"] = "BYE"
        uac.sendto(d.request("BYE", 2, tagged=True), (callee, gport))
        bye = recv_until(uas, time.monotonic() + step_to, is_msg(d.call_id, "BYE "))
        if bye is None:
            raise Failed("BYE did not reach the gateway")
        uas.sendto(d.response(bye, 200, "OK"), (caller, cport))
        if recv_until(uac, time.monotonic() + step_to, is_msg(d.call_id, "SIP/2.0 200")) is None:
            raise Failed("200 OK to BYE did not reach the caller")
        result["step"] = "after BYE"
        result["stats"]["bye"] = vgctl_json(args, "stats", "show")
        for k in range(args.after_bye):
            c_rtp.sendto(rtp_packet(args.rtp + k, (args.rtp + k) * 160, ssrc_c,
                                    magic=MAGIC["after"]), (callee, gmedia))
            sent["after"] += 1
            time.sleep(args.pace_ms / 1000.0)
        result["sent"] = sent
        result["step"] = "done"
        result["ok"] = True
    except Failed as e:
        result["error"] = str(e)
    finally:
        # let the last packets arrive: wait for a probe sent after them
        time.sleep(0.05)
        probe_deadline = time.monotonic() + step_to
        probe = udp_socket(args.voice, caller, 0)
        while time.monotonic() < probe_deadline:
            probe.sendto(b"PROBE", (callee, 9))
            time.sleep(0.05)
            cap_gw.drain()
            if any(p["dport"] == 9 for p in cap_gw.packets):
                break
        probe.close()
        drain_all()
        result["stats"]["end"] = vgctl_json(args, "stats", "show")
        cap_gw.close()
        cap_vo.close()

    gw, vo = cap_gw.packets, cap_vo.packets
    sip_up = [p for p in gw if p["src"] == caller and p["dport"] == gport and
              p["payload"][:3] in (b"INV", b"ACK", b"BYE")]
    sip_down = [p for p in vo if p["src"] == callee and p["sport"] == gport and
                p["payload"].startswith(b"SIP/2.0")]
    rtp_up = [p for p in gw if p["dport"] == gmedia and p["src"] == caller and
              magic_of(p["payload"]) == b"NORM"]
    rtp_down = [p for p in vo if p["dport"] == cmedia and magic_of(p["payload"]) == b"NORM"]
    result["seen"] = {
        "sip_up": len(sip_up), "sip_down": len(sip_down),
        "sip_up_dscp": dscp_counts(sip_up), "sip_down_dscp": dscp_counts(sip_down),
        "rtp_up": len(rtp_up), "rtp_down": len(rtp_down),
        "rtp_up_dscp": dscp_counts(rtp_up), "rtp_down_dscp": dscp_counts(rtp_down),
        "bad": count_magic(gw, gmedia, b"BADH"),
        "rogue": count_magic(gw, gmedia, b"ROGU"),
        "after": count_magic(gw, gmedia, b"AFTR"),
        "dtmf": count_magic(gw, gmedia, b"DTMF", src=caller),
        "rtcp": sum(1 for p in gw if p["dport"] == gmedia and p["src"] == caller and
                    p["payload"][:2] == b"\x81\xc9"),
    }
    if args.flood_count or args.wait_sip_from:
        src = args.flood_from or args.wait_sip_from
        result["seen"]["invites_from_flooder"] = sum(
            1 for p in gw if p["src"] == src and p["payload"].startswith(b"INVITE "))
    return result


# ---- two calls, one gateway media port ----

def run_shared_port(args):
    """Call A is up; call B's answer announces the gateway media address
    and port A's answer did (a B2BUA handing a port on), then B ends. Later
    call C takes the port, A announces it again (re-INVITE), C ends. After
    each step a burst of A's RTP goes to that port; the gateway counts what
    arrives, EF-marked, per burst, and the router's flow table tells how
    many packets A's upstream stream has seen by then."""
    result = {"ok": False, "step": "setup", "seen": {}, "a_packets": {}}
    caller, caller2, gw = args.caller, args.caller2, args.callee
    gm, cm = args.gw_media, args.caller_media
    step_to = args.timeout * SLOW
    uac = udp_socket(args.voice, caller, 5060)
    uac2 = udp_socket(args.voice, caller2, 5062)
    uas = udp_socket(args.gateway, gw, 5060)
    a_rtp = udp_socket(args.voice, caller, cm)
    g_rtp = udp_socket(args.gateway, gw, gm)
    cap = Capture(args.gateway, args.gw_iface)
    ssrc = random.getrandbits(32)
    seq = [0]

    def expect(sock, want, what):
        if recv_until(sock, time.monotonic() + step_to, want) is None:
            raise Failed(what + " did not arrive")

    def invite(d, sock, cmedia, cseq, tagged=False):
        result["step"] = "INVITE %s" % d.call_id
        sock.sendto(d.request("INVITE", cseq, sdp(d.caller, cmedia), tagged=tagged),
                    (gw, 5060))
        got = recv_until(uas, time.monotonic() + step_to, is_msg(d.call_id, "INVITE "))
        if got is None:
            raise Failed("INVITE did not reach the gateway")
        uas.sendto(d.response(got, 200, "OK", sdp(gw, gm)), (d.caller, d.cport))
        expect(sock, is_msg(d.call_id, "SIP/2.0 200"), "200 OK")
        sock.sendto(d.request("ACK", cseq, tagged=True), (gw, 5060))
        expect(uas, is_msg(d.call_id, "ACK "), "ACK")

    def bye(d, sock, cseq):
        result["step"] = "BYE %s" % d.call_id
        sock.sendto(d.request("BYE", cseq, tagged=True), (gw, 5060))
        got = recv_until(uas, time.monotonic() + step_to, is_msg(d.call_id, "BYE "))
        if got is None:
            raise Failed("BYE did not reach the gateway")
        uas.sendto(d.response(got, 200, "OK"), (d.caller, d.cport))
        expect(sock, is_msg(d.call_id, "SIP/2.0 200"), "200 OK to BYE")

    def burst(name):
        magic = ("B%03d" % len(result["seen"])).encode()
        for _ in range(args.rtp):
            i = seq[0]
            seq[0] += 1
            a_rtp.sendto(rtp_packet(i, i * 160, ssrc, marker=(i == 0), magic=magic),
                         (gw, gm))
            time.sleep(args.pace_ms / 1000.0)
        deadline = time.monotonic() + 1.0 * SLOW
        while time.monotonic() < deadline:
            cap.drain()
            if count_magic(cap.packets, gm, magic) >= args.rtp:
                break
            time.sleep(0.02)
        got = [p for p in cap.packets if p["dport"] == gm and magic_of(p["payload"]) == magic]
        result["seen"][name] = {"packets": len(got), "ef": sum(1 for p in got if p["tos"] >> 2 == 46)}
        flows = vgctl_json(args, "flow", "show")
        fl = flows if isinstance(flows, list) else (flows or {}).get("streams", [])
        result["a_packets"][name] = sum(f.get("packets", 0) for f in fl
                                        if f.get("call_id") == a.call_id and
                                        f.get("dst") == "%s:%d" % (gw, gm))

    a = Dialog(caller, 5060, gw, 5060)
    try:
        invite(a, uac, cm, 1)
        burst("alone")
        b = Dialog(caller2, 5062, gw, 5060)
        invite(b, uac2, cm + 2, 1)
        bye(b, uac2, 2)
        burst("after_b_ended")
        c = Dialog(caller2, 5062, gw, 5060)
        invite(c, uac2, cm + 4, 1)
        invite(a, uac, cm, 2, tagged=True)
        burst("a_announced_again")
        bye(c, uac2, 2)
        burst("after_c_ended")
        bye(a, uac, 3)
        result["step"] = "done"
        result["ok"] = True
    except Failed as e:
        result["error"] = str(e)
    finally:
        cap.close()
        for sock in (uac, uac2, uas, a_rtp, g_rtp):
            sock.close()
    return result


# ---- many calls at once (the router's tables grow) ----

def table_buckets(args):
    st = vgctl_json(args, "-s", "stats", "show") or {}
    return {k: st.get(k) for k in ("call_buckets", "stream_buckets",
                                   "source_buckets", "calls", "streams",
                                   "sources")}


def run_many(args):
    """--calls calls, each from its own caller address and with its own
    media ports, all up at once; then, once the router's tables have grown
    (--grown: bucket counts to wait for), one RTP packet each way on every
    call, then a BYE for each."""
    callers = args.callers.split(",")
    callee, n = args.callee, args.calls
    step_to = args.timeout * SLOW
    res = {"ok": False, "up": 0, "rtp_up": 0, "rtp_down": 0, "ended": 0}
    uas = udp_socket(args.gateway, callee, 5060)
    uacs = [udp_socket(args.voice, callers[i % len(callers)], 5060)
            for i in range(min(n, len(callers)))]
    dialogs = []
    try:
        res["before"] = table_buckets(args)
        for i in range(n):
            caller, uac = callers[i % len(callers)], uacs[i % len(uacs)]
            d = Dialog(caller, 5060, callee, 5060)
            uac.sendto(d.request("INVITE", 1, sdp(caller, 20000 + 2 * i)),
                       (callee, 5060))
            got = recv_until(uas, time.monotonic() + step_to,
                             is_msg(d.call_id, "INVITE "))
            if got is None:
                raise Failed("INVITE %d did not reach the gateway" % i)
            uas.sendto(d.response(got, 200, "OK", sdp(callee, 30000 + 2 * i)),
                       (caller, 5060))
            if recv_until(uac, time.monotonic() + step_to,
                          is_msg(d.call_id, "SIP/2.0 200")) is None:
                raise Failed("200 OK %d did not reach the caller" % i)
            uac.sendto(d.request("ACK", 1, tagged=True), (callee, 5060))
            dialogs.append(d)
            res["up"] += 1
        # the tables grow from the router's garbage collector, once a second
        want = dict(zip(("call_buckets", "stream_buckets", "source_buckets"),
                        (int(x) for x in args.grown.split(","))))
        deadline = time.monotonic() + step_to
        while True:
            res["grown"] = table_buckets(args)
            if all((res["grown"].get(k) or 0) >= v for k, v in want.items()):
                break
            if time.monotonic() > deadline:
                raise Failed("tables did not grow: %s" % res["grown"])
            time.sleep(0.2)
        # every pinhole is found in the grown media table
        ups, downs = [], []
        for i, d in enumerate(dialogs):
            c = udp_socket(args.voice, d.caller, 20000 + 2 * i)
            g = udp_socket(args.gateway, callee, 30000 + 2 * i)
            c.setblocking(False)
            g.setblocking(False)
            c.sendto(rtp_packet(1, 160, 0x10000 + i), (callee, 30000 + 2 * i))
            g.sendto(rtp_packet(1, 160, 0x20000 + i), (d.caller, 20000 + 2 * i))
            ups.append(g)
            downs.append(c)
        deadline = time.monotonic() + step_to
        got_up, got_down = set(), set()
        while time.monotonic() < deadline and (len(got_up) < n or len(got_down) < n):
            for k in range(n):
                for socks, seen in ((ups, got_up), (downs, got_down)):
                    try:
                        if socks[k].recv(2048):
                            seen.add(k)
                    except BlockingIOError:
                        pass
            time.sleep(0.02)
        res["rtp_up"], res["rtp_down"] = len(got_up), len(got_down)
        for s in ups + downs:
            s.close()
        # every call is found again in the grown call table by its BYE
        for i, d in enumerate(dialogs):
            uac = uacs[i % len(uacs)]
            uac.sendto(d.request("BYE", 2, tagged=True), (callee, 5060))
            bye = recv_until(uas, time.monotonic() + step_to,
                             is_msg(d.call_id, "BYE "))
            if bye is None:
                raise Failed("BYE %d did not reach the gateway" % i)
            uas.sendto(d.response(bye, 200, "OK"), (d.caller, 5060))
            if recv_until(uac, time.monotonic() + step_to,
                          is_msg(d.call_id, "SIP/2.0 200")) is not None:
                res["ended"] += 1
        res["after"] = table_buckets(args)
        res["ok"] = True
    except Failed as e:
        res["error"] = str(e)
    finally:
        for s in uacs + [uas]:
            s.close()
    return res


# ---- datagrams (RFC 4475 messages) ----

def run_datagrams(args):
    tx = udp_socket(args.voice, args.src, args.sport)
    rx = udp_socket(args.gateway, args.dst, args.port)
    rx.setblocking(False)
    payloads = []
    for f in args.files:
        with open(f, "rb") as fh:
            payloads.append((f, fh.read()))
    received = {}
    for f, data in payloads:
        tx.sendto(data, (args.dst, args.port))
        time.sleep(args.pace_ms / 1000.0)
    # a final marker datagram (valid OPTIONS) tells that all before it arrived
    marker = sip_message("OPTIONS sip:gw@%s SIP/2.0" % host_in_uri(args.dst), [
        ("Via", "SIP/2.0/UDP %s:%d;branch=%s" % (host_in_uri(args.src), args.sport, branch())),
        ("Max-Forwards", "70"), ("From", "<sip:t@%s>;tag=1" % host_in_uri(args.src)),
        ("To", "<sip:gw@%s>" % host_in_uri(args.dst)),
        ("Call-ID", "end-marker-%x" % random.getrandbits(32)), ("CSeq", "1 OPTIONS")])
    deadline = time.monotonic() + args.timeout * SLOW
    got_marker = False
    next_marker = 0.0
    bodies = {}
    for f, data in payloads:
        bodies.setdefault(data, []).append(f)
    while time.monotonic() < deadline and not got_marker:
        if time.monotonic() >= next_marker:
            tx.sendto(marker, (args.dst, args.port))
            next_marker = time.monotonic() + 0.5
        r, _, _ = select.select([rx], [], [], 0.1)
        if not r:
            continue
        while True:
            try:
                data = rx.recv(65535)
            except BlockingIOError:
                break
            if data == marker:
                got_marker = True
            for f in bodies.get(data, []):
                received[f] = True
    return {"marker": got_marker,
            "received": {os.path.basename(f): bool(received.get(f)) for f, _ in payloads}}


# ---- data-zone probes ----

def run_zones(args):
    """Per class, N probes from the data host to the gateway; report what
    reached the gateway's wire."""
    cap = Capture(args.gateway, args.gw_iface)
    src, dst, n = args.src, args.dst, args.count
    fam = family_of(src)
    sent = {}
    udp_probes = {"sip": 5060, "h323_udp": 1719, "mgcp_2427": 2427,
                  "mgcp_2727": 2727, "other_udp": 9999}
    s = udp_socket(args.data, src, 0)
    for name, port in udp_probes.items():
        for i in range(n):
            if name == "sip":
                d = Dialog(src, s.getsockname()[1], dst, 5060)
                payload = d.request("OPTIONS", 1)
            elif name.startswith("mgcp"):
                payload = b"AUEP %d aaln/1@gw MGCP 1.0\r\n" % (1000 + i)
            else:
                payload = b"probe %s %d" % (name.encode(), i)
            s.sendto(payload, (dst, port))
        sent[name] = n
    s.close()

    # TCP: H.323 call signalling (1720) must not connect; other TCP must.
    tcp_result = {}
    for name, port in (("h323_tcp", 1720), ("other_tcp", 8080)):
        with Netns(args.gateway):
            ls = socket.socket(fam, socket.SOCK_STREAM)
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind((dst, port))
            ls.listen(4)
        with Netns(args.data):
            c = socket.socket(fam, socket.SOCK_STREAM)
        c.settimeout(args.tcp_timeout * SLOW)
        try:
            c.connect((dst, port))
            c.sendall(b"hello over tcp\n")
            ls.settimeout(2 * SLOW)
            conn, _ = ls.accept()
            conn.settimeout(2 * SLOW)
            tcp_result[name] = conn.recv(100) == b"hello over tcp\n"
            conn.close()
        except OSError as e:
            tcp_result[name] = False
            log("%s: %s" % (name, e))
        c.close()
        ls.close()

    time.sleep(0.05)
    deadline = time.monotonic() + args.timeout * SLOW
    while time.monotonic() < deadline:
        cap.drain()
        if sum(1 for p in cap.packets if p["dport"] == 9999) >= n:
            break
        time.sleep(0.05)
    cap.close()
    seen = {}
    for name, port in udp_probes.items():
        seen[name] = sum(1 for p in cap.packets if p["proto"] == 17 and p["dport"] == port
                         and p["src"] == src)
    for name, port in (("h323_tcp", 1720), ("other_tcp", 8080)):
        seen[name] = sum(1 for p in cap.packets if p["proto"] == 6 and p["dport"] == port
                         and p["src"] == src)
    return {"sent": sent, "seen": seen, "tcp_connected": tcp_result}


# ---- reachability ----

def run_reach(args):
    """Each PATH "SRCNS,SRC,DSTNS,DST": a datagram from SRC reaches a socket
    on DST port 9, retried until the deadline; exit status 1 if one fails."""
    deadline = time.monotonic() + args.timeout * SLOW
    failed = []
    for path in args.paths:
        sns, src, dns, dst = path.split(",")
        rx = udp_socket(dns, dst, 9)
        tx = udp_socket(sns, src, 0)
        ok = False
        while not ok and time.monotonic() < deadline:
            tx.sendto(b"reach", (dst, 9))
            ok = bool(select.select([rx], [], [], 0.2)[0])
        rx.close()
        tx.close()
        if not ok:
            failed.append(path)
    for path in failed:
        log("no path: %s" % path)
    sys.exit(1 if failed else 0)


def run_pollflows(args):
    """Read `vgctl -j flow show` until every --dst stream has --min packets
    (or the deadline passes); write the last good listing to --out."""
    deadline = time.monotonic() + args.timeout * SLOW
    last = error = None
    while True:
        flows = vgctl_json(args, "flow", "show")
        if isinstance(flows, dict) and "streams" in flows:
            flows = flows["streams"]
        if isinstance(flows, list):
            last = flows
            counts = [sum(f.get("packets", 0) for f in flows if f.get("dst") == dst)
                      for dst in args.dst]
            if all(c >= args.min for c in counts):
                break
        else:
            error = flows
        if time.monotonic() >= deadline:
            log("streams did not reach %d packets in time" % args.min)
            if last is None:
                log("flow show: %s" % error)
            break
        time.sleep(0.1)
    with open(args.out, "w") as f:
        json.dump(last, f)
        f.write("\n")


def run_vals(args):
    """Print one line per Python expression over the JSON document d (an
    empty line when it cannot be evaluated), so callers can index them."""
    try:
        with open(args.file) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        log("%s: %s" % (args.file, e))
        d = None
    for expr in args.exprs:
        try:
            v = eval(expr, {"d": d, "json": json})
        except Exception as e:  # a missing key is a failed check, shown
            log("%s: %s: %s" % (expr[:60], type(e).__name__, e))
            v = ""
        print(v)


# ---- background capture (for sipp runs) ----

def run_capture(args):
    cap = Capture(args.ns, args.iface)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    with open(args.ready, "w") as f:
        f.write("ready\n")
    while not stop:
        select.select([cap.sock], [], [], 0.1)
        cap.drain()
    cap.close()
    out = {}
    for p in cap.packets:
        if p["proto"] != 17 or p["dport"] is None:
            continue
        key = "%s>%s:%d" % (p["src"], p["dst"], p["dport"])
        e = out.setdefault(key, {"packets": 0, "dscp": {}, "sip_requests": {}})
        e["packets"] += 1
        dscp = str(p["tos"] >> 2)
        e["dscp"][dscp] = e["dscp"].get(dscp, 0) + 1
        first = p["payload"].split(b" ", 1)[0]
        if first.isalpha() and first.isupper() and b"SIP/2.0" in p["payload"][:300]:
            m = first.decode()
            e["sip_requests"][m] = e["sip_requests"].get(m, 0) + 1
    with open(args.out + ".tmp", "w") as f:
        json.dump(out, f)
        f.write("\n")
    os.rename(args.out + ".tmp", args.out)
    return None


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)

    c = sub.add_parser("call")
    c.add_argument("--voice", required=True)
    c.add_argument("--gateway", required=True)
    c.add_argument("--router")
    c.add_argument("--vgctl")
    c.add_argument("--voice-iface", default="eth0")
    c.add_argument("--gw-iface", default="eth0")
    c.add_argument("--caller", required=True)
    c.add_argument("--callee", required=True)
    c.add_argument("--sip-port", type=int, default=5060)
    c.add_argument("--gw-sip-port", type=int, default=5060)
    c.add_argument("--caller-media", type=int, default=20000)
    c.add_argument("--gw-media", type=int, default=30000)
    c.add_argument("--rtp", type=int, default=100)
    c.add_argument("--pace-ms", type=float, default=20.0)
    c.add_argument("--bad", type=int, default=0)
    c.add_argument("--rogue")
    c.add_argument("--rogue-count", type=int, default=5)
    c.add_argument("--after-bye", type=int, default=0)
    c.add_argument("--dtmf", type=int, default=0,
                   help="telephone-event packets sent upstream mid-call")
    c.add_argument("--rtcp-mux", type=int, default=0,
                   help="negotiate rtcp-mux and send this many RTCP RRs up")
    c.add_argument("--srtp", action="store_true",
                   help="offer RTP/SAVP and send the RTCP as SRTCP")
    c.add_argument("--flood-from")
    c.add_argument("--flood-count", type=int, default=0)
    c.add_argument("--wait-sip-from")
    c.add_argument("--ready", help="file to create once capturing")
    c.add_argument("--timeout", type=float, default=5.0)

    sp = sub.add_parser("shared-port")
    sp.add_argument("--voice", required=True)
    sp.add_argument("--gateway", required=True)
    sp.add_argument("--router", required=True)
    sp.add_argument("--vgctl", required=True)
    sp.add_argument("--gw-iface", default="eth0")
    sp.add_argument("--caller", required=True)
    sp.add_argument("--caller2", required=True)
    sp.add_argument("--callee", required=True)
    sp.add_argument("--caller-media", type=int, default=22000)
    sp.add_argument("--gw-media", type=int, default=32000)
    sp.add_argument("--rtp", type=int, default=20)
    sp.add_argument("--pace-ms", type=float, default=20.0)
    sp.add_argument("--timeout", type=float, default=5.0)

    m = sub.add_parser("many")
    m.add_argument("--voice", required=True)
    m.add_argument("--gateway", required=True)
    m.add_argument("--router", required=True)
    m.add_argument("--vgctl", required=True)
    m.add_argument("--callers", required=True, help="comma-separated")
    m.add_argument("--callee", required=True)
    m.add_argument("--calls", type=int, required=True)
    m.add_argument("--grown", required=True,
                   help="CALLS,STREAMS,SOURCES: bucket counts to wait for")
    m.add_argument("--timeout", type=float, default=10.0)

    g = sub.add_parser("datagrams")
    g.add_argument("--voice", required=True)
    g.add_argument("--gateway", required=True)
    g.add_argument("--src", required=True)
    g.add_argument("--dst", required=True)
    g.add_argument("--sport", type=int, default=5060)
    g.add_argument("--port", type=int, default=5060)
    g.add_argument("--pace-ms", type=float, default=5.0)
    g.add_argument("--timeout", type=float, default=10.0)
    g.add_argument("files", nargs="+")

    z = sub.add_parser("zones")
    z.add_argument("--data", required=True)
    z.add_argument("--gateway", required=True)
    z.add_argument("--gw-iface", default="eth0")
    z.add_argument("--src", required=True)
    z.add_argument("--dst", required=True)
    z.add_argument("--count", type=int, default=5)
    z.add_argument("--tcp-timeout", type=float, default=2.0)
    z.add_argument("--timeout", type=float, default=5.0)

    p = sub.add_parser("capture")
    p.add_argument("--ns", required=True)
    p.add_argument("--iface", required=True)
    p.add_argument("--ready", required=True)
    p.add_argument("--out", required=True)

    r = sub.add_parser("reach")
    r.add_argument("--timeout", type=float, default=10.0)
    r.add_argument("paths", nargs="+")

    f = sub.add_parser("pollflows")
    f.add_argument("--router", required=True)
    f.add_argument("--vgctl", required=True)
    f.add_argument("--dst", action="append", required=True)
    f.add_argument("--min", type=int, required=True)
    f.add_argument("--timeout", type=float, default=20.0)
    f.add_argument("--out", required=True)

    j = sub.add_parser("merge")
    j.add_argument("pairs", nargs="+", help="KEY=FILE; unreadable files give null")

    v = sub.add_parser("vals")
    v.add_argument("file")
    v.add_argument("exprs", nargs="+")

    args = ap.parse_args()
    if args.cmd == "reach":
        run_reach(args)
    if args.cmd == "vals":
        run_vals(args)
        return
    if args.cmd == "pollflows":
        run_pollflows(args)
        return
    if args.cmd == "merge":
        out = {}
        for pair in args.pairs:
            key, _, path = pair.partition("=")
            try:
                with open(path) as f:
                    out[key] = json.load(f)
            except (OSError, ValueError) as e:
                log("%s: %s" % (path, e))
                out[key] = None
        json.dump(out, sys.stdout)
        print()
        return
    if args.cmd == "call":
        res = run_call(args)
    elif args.cmd == "shared-port":
        res = run_shared_port(args)
    elif args.cmd == "many":
        res = run_many(args)
    elif args.cmd == "datagrams":
        res = run_datagrams(args)
    elif args.cmd == "zones":
        res = run_zones(args)
    else:
        res = run_capture(args)
    if res is not None:
        json.dump(res, sys.stdout)
        print()


if __name__ == "__main__":
    main()
