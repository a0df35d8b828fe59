#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write small captures of scripted calls for tests/corpus/replay.sh.

Each scenario is a call set up with SIP (INVITE with an SDP offer, 100, 200
with the answer, ACK), media on its pinholes, injected packets the pipeline
must drop, a BYE, and media after the BYE. For every capture NAME.pcap the
script writes NAME.expect.json: which frames must be dropped and why, and
the counts the stream must show.

    replay_synth.py OUTDIR
"""
import json
import os
import socket
import struct
import sys

LINK_ETHERNET = 1
LINK_RAW = 101
LINK_SLL = 113
LINK_SLL2 = 276


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def ip_packet(src, dst, proto, l4):
    if family(src) == socket.AF_INET:
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0x4000,
                          64, proto, 0, socket.inet_aton(src),
                          socket.inet_aton(dst))
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        return hdr + l4
    return struct.pack("!IHBB16s16s", 6 << 28, len(l4), proto, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + l4


def fragments(ip, size, ident):
    """Split an IP packet (no options or extension headers) into fragments
    carrying at most size octets of L4 data each (size a multiple of 8)."""
    v6 = ip[0] >> 4 == 6
    hlen = 40 if v6 else 20
    hdr, l4 = ip[:hlen], ip[hlen:]
    out = []
    for off in range(0, len(l4), size):
        piece = l4[off:off + size]
        more = off + size < len(l4)
        if v6:
            fh = struct.pack("!BBHI", hdr[6], 0, off | int(more), ident)
            h = bytearray(hdr)
            h[4:6] = struct.pack("!H", len(fh) + len(piece))
            h[6] = 44
            out.append(bytes(h) + fh + piece)
        else:
            h = bytearray(hdr)
            h[2:4] = struct.pack("!H", 20 + len(piece))
            h[4:6] = struct.pack("!H", ident & 0xFFFF)
            h[6:8] = struct.pack("!H", (off // 8) | (0x2000 if more else 0))
            h[10:12] = b"\0\0"
            h[10:12] = struct.pack("!H", csum(bytes(h)))
            out.append(bytes(h) + piece)
    return out


def pseudo(src, dst, proto, length):
    fam = family(src)
    s, d = socket.inet_pton(fam, src), socket.inet_pton(fam, dst)
    if fam == socket.AF_INET:
        return s + d + struct.pack("!BBH", 0, proto, length)
    return s + d + struct.pack("!IxxxB", length, proto)


def udp(src, sport, dst, dport, payload):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = csum(pseudo(src, dst, 17, len(seg)) + seg) or 0xFFFF
    return ip_packet(src, dst, 17, seg[:6] + struct.pack("!H", c) + seg[8:])


class TcpFlow:
    def __init__(self):
        self.seq = {}

    def segment(self, src, sport, dst, dport, payload):
        key = (src, sport, dst, dport)
        seq = self.seq.get(key, 1000)
        self.seq[key] = seq + len(payload)
        seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 1, 5 << 4, 0x18,
                          65535, 0, 0) + payload
        c = csum(pseudo(src, dst, 6, len(seg)) + seg)
        return ip_packet(src, dst, 6, seg[:16] + struct.pack("!H", c) +
                         seg[18:])


def frame(link, ip):
    v6 = ip[0] >> 4 == 6
    etype = 0x86DD if v6 else 0x0800
    if link == LINK_ETHERNET:
        return (b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" +
                struct.pack("!H", etype) + ip)
    if link == LINK_SLL:
        return struct.pack("!HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\x01\0\0",
                           etype) + ip
    if link == LINK_SLL2:
        return struct.pack("!HHIHBB8s", etype, 0, 2, 1, 0, 6,
                           b"\x02\0\0\0\0\x01\0\0") + ip
    return ip


def write_pcap(path, link, frames):
    with open(path, "wb") as f:
        # nanosecond-resolution pcap
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, link))
        for ts_ns, data in frames:
            f.write(struct.pack("<IIII", ts_ns // 10**9, ts_ns % 10**9,
                                len(data), len(data)))
            f.write(data)


def hostport(addr, port):
    return "[%s]:%d" % (addr, port) if ":" in addr else "%s:%d" % (addr, port)


def sdp(addr, port, pts, proto="RTP/AVP"):
    ipv = "IP6" if ":" in addr else "IP4"
    body = ("v=0\r\no=- 1 1 IN %s %s\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\n"
            "m=audio %d %s %s\r\n" % (ipv, addr, ipv, addr, port, proto,
                                      " ".join(str(p) for p in pts)))
    if proto == "RTP/SAVP":
        body += ("a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                 "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n")
    for pt in pts:
        if pt == 0:
            body += "a=rtpmap:0 PCMU/8000\r\n"
        elif pt == 101:
            body += "a=rtpmap:101 telephone-event/8000\r\n"
    body += "a=ptime:20\r\na=sendrecv\r\n"
    return body


def sip_msg(start, headers, body=""):
    text = start + "\r\n"
    for name, value in headers:
        text += "%s: %s\r\n" % (name, value)
    if body:
        text += "Content-Type: application/sdp\r\n"
    text += "Content-Length: %d\r\n\r\n" % len(body.encode())
    return (text + body).encode()


def rtp(seq, ts, ssrc, pt=0, payload_len=160, marker=False):
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt,
                       seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + \
        b"\xd5" * payload_len


def rtcp_rr(ssrc):
    # RR with no report blocks, then an SDES with one empty chunk
    rr = struct.pack("!BBHI", 0x80, 201, 1, ssrc)
    sdes = struct.pack("!BBHI", 0x81, 202, 2, ssrc) + b"\x01\x00\x00\x00"
    return rr + sdes


def scenario(name, link, caller, callee, third, tcp=False, frag=0,
             outdir="."):
    """One call; returns the expectations written next to the capture."""
    frames, drops = [], {}
    counts = {"reassembled": 0}
    t = [1_000_000_000]
    flow = TcpFlow()
    a_sip, b_sip = 5060, 5060
    a_rtp, b_rtp = 40000, 50000
    call_id = "%s-call@%s" % (name, caller.strip("[]"))

    def emit(ip, reason=None, step_ns=20_000_000):
        frames.append((t[0], frame(link, ip)))
        if reason:
            drops[len(frames)] = reason
        t[0] += step_ns

    def sip(src, dst, msg):
        if tcp:
            emit(flow.segment(src, a_sip if src == caller else b_sip, dst,
                              b_sip if dst == callee else a_sip, msg),
                 step_ns=1_000_000)
        else:
            ip = udp(src, a_sip if src == caller else b_sip, dst,
                     b_sip if dst == callee else a_sip, msg)
            if frag and len(ip) > frag + 48:
                # last fragment first, as some stacks send them
                pieces = fragments(ip, frag, 0x4242 + len(frames))
                for piece in pieces[-1:] + pieces[:-1]:
                    emit(piece, step_ns=100_000)
                counts["reassembled"] += 1
            else:
                emit(ip, step_ns=1_000_000)

    transport = "TCP" if tcp else "UDP"
    via = "SIP/2.0/%s %s:5060;branch=z9hG4bK-%s" % (
        transport, hostport(caller, 5060).rsplit(":", 1)[0], name)
    common = [("Via", via), ("From", "<sip:alice@example.com>;tag=a1"),
              ("Call-ID", call_id), ("Max-Forwards", "70")]
    to_b = ("To", "<sip:bob@example.com>")
    to_b_tag = ("To", "<sip:bob@example.com>;tag=b1")
    contact_b = ("Contact", "<sip:bob@%s>" % hostport(callee, 5060))

    # call set-up: the offer alone opens nothing; the answer does
    emit(udp(caller, a_rtp, callee, b_rtp, rtp(1, 0, 0x1111)),
         "rtp_no_pinhole")
    sip(caller, callee, sip_msg("INVITE sip:bob@example.com SIP/2.0",
                                common + [to_b, ("CSeq", "1 INVITE"),
                                          ("Contact", "<sip:alice@x>")],
                                sdp(caller, a_rtp, [0, 101])))
    sip(callee, caller, sip_msg("SIP/2.0 100 Trying",
                                common[:3] + [to_b, ("CSeq", "1 INVITE")]))
    sip(callee, caller, sip_msg("SIP/2.0 200 OK",
                                common[:3] + [to_b_tag, ("CSeq", "1 INVITE"),
                                              contact_b],
                                sdp(callee, b_rtp, [0, 101])))
    sip(caller, callee, sip_msg("ACK sip:bob@example.com SIP/2.0",
                                common + [to_b_tag, ("CSeq", "1 ACK")]))

    ssrc = 0x5EED0001
    seq, ts, sent = 100, 0, 0
    rtp_packets = 60
    for k in range(rtp_packets):
        emit(udp(caller, a_rtp, callee, b_rtp, rtp(seq, ts, ssrc)))
        seq += 1
        ts += 160
        sent += 1
        if k == 20:
            # CSRC count 15 with no room for the list: A.1 says drop
            bad = bytearray(rtp(seq, ts, ssrc, payload_len=8))
            bad[0] = 0x8F
            emit(udp(caller, a_rtp, callee, b_rtp, bytes(bad)),
                 "rtp_bad_header")
            # a payload type the SDP never offered
            emit(udp(caller, a_rtp, callee, b_rtp,
                     rtp(seq + 7, ts, ssrc, pt=96)), "rtp_bad_payload_type")
        if k == 30:
            # RTCP to the RTP port + 1: valid, then broken
            emit(udp(caller, a_rtp + 1, callee, b_rtp + 1, rtcp_rr(ssrc)))
            emit(udp(caller, a_rtp + 1, callee, b_rtp + 1,
                     rtcp_rr(ssrc)[:-3]), "rtcp_bad")
        if k == 40:
            # a third host injects into the open pinhole (another SSRC)
            emit(udp(third, 40000, callee, b_rtp, rtp(7, 7, 0xBAD00BAD)),
                 "rtp_wrong_source?")
    # the other direction flows too
    for k in range(5):
        emit(udp(callee, b_rtp, caller, a_rtp, rtp(9000 + k, 160 * k,
                                                   0x5EED0002)))

    sip(callee, caller, sip_msg("BYE sip:alice@x SIP/2.0",
                                [("Via", via.replace(name, name + "b")),
                                 ("From", "<sip:bob@example.com>;tag=b1"),
                                 ("To", "<sip:alice@example.com>;tag=a1"),
                                 ("Call-ID", call_id), ("Max-Forwards", "70"),
                                 ("CSeq", "1 BYE")]))
    sip(caller, callee, sip_msg("SIP/2.0 200 OK",
                                [("Via", via.replace(name, name + "b")),
                                 ("From", "<sip:bob@example.com>;tag=b1"),
                                 ("To", "<sip:alice@example.com>;tag=a1"),
                                 ("Call-ID", call_id), ("CSeq", "1 BYE")]))
    after_bye = 10
    for k in range(after_bye):
        emit(udp(caller, a_rtp, callee, b_rtp, rtp(seq, ts, ssrc)),
             "rtp_no_pinhole")
        seq += 1
        ts += 160
    # not media: a DNS answer from port 53 to an ephemeral port
    emit(udp(callee, 53, caller, 41000, b"\x81\x80" + b"\0" * 20))

    path = os.path.join(outdir, name + ".pcap")
    write_pcap(path, link, frames)
    expect = {
        "call_id": call_id,
        "drops": {str(k): v for k, v in drops.items()},
        "stream": {"dst": hostport(callee, b_rtp), "ssrc": "0x%08x" % ssrc,
                   "packets": sent, "lost": 0},
        "reverse": {"dst": hostport(caller, a_rtp), "packets": 5},
        "third": third,
        "reassembled": counts["reassembled"],
    }
    with open(os.path.join(outdir, name + ".expect.json"), "w") as f:
        json.dump(expect, f, indent=1)
    return expect


def tcp_split(outdir):
    """SIP over TCP: a message split over two segments, then a whole one."""
    flow, frames = TcpFlow(), []
    a, b = "192.0.2.30", "198.51.100.40"
    opts = sip_msg("OPTIONS sip:b@example.com SIP/2.0",
                   [("Via", "SIP/2.0/TCP 192.0.2.30:5060;branch=z9hG4bK-o1"),
                    ("From", "<sip:a@example.com>;tag=o1"),
                    ("To", "<sip:b@example.com>"), ("Call-ID", "opt-1"),
                    ("CSeq", "1 OPTIONS"), ("Max-Forwards", "70")])
    for piece in (opts[:60], opts[60:], opts.replace(b"1 OPTIONS",
                                                     b"2 OPTIONS")):
        frames.append((10**9 + len(frames) * 10**7,
                       frame(LINK_ETHERNET,
                             flow.segment(a, 40123, b, 5060, piece))))
    write_pcap(os.path.join(outdir, "tcp-split.pcap"), LINK_ETHERNET, frames)
    with open(os.path.join(outdir, "tcp-split.expect.json"), "w") as f:
        json.dump({"split_frames": [1, 2], "whole_frames": [3]}, f)


class Frames:
    """An Ethernet capture being written: each frame is stamped step_ns
    (by default the capture's own step) after the one before."""

    def __init__(self, step_ns=10**6):
        self.frames, self.t, self.step_ns = [], 10**9, step_ns

    def emit(self, ip, step_ns=None):
        self.frames.append((self.t, frame(LINK_ETHERNET, ip)))
        self.t += self.step_ns if step_ns is None else step_ns

    def udp(self, src, dst, data, sport=5060, dport=5060):
        self.emit(udp(src, sport, dst, dport, data))

    def write(self, path):
        write_pcap(path, LINK_ETHERNET, self.frames)


def answered_call(cap, name, a, b, pts, proto="RTP/AVP"):
    """INVITE from a (media on 40000), 200 OK from b (media on 50000),
    ACK: a call named name, ready for its media."""
    via = "SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s" % (a, name)
    common = [("Via", via), ("From", "<sip:alice@example.com>;tag=a1"),
              ("Call-ID", "%s-call@%s" % (name, a)), ("Max-Forwards", "70")]
    to_tag = ("To", "<sip:bob@example.com>;tag=b1")
    cap.emit(udp(a, 5060, b, 5060, sip_msg(
        "INVITE sip:bob@example.com SIP/2.0",
        common + [("To", "<sip:bob@example.com>"), ("CSeq", "1 INVITE"),
                  ("Contact", "<sip:alice@%s>" % a)],
        sdp(a, 40000, pts, proto))), 10**6)
    cap.emit(udp(b, 5060, a, 5060, sip_msg(
        "SIP/2.0 200 OK", common[:3] + [to_tag, ("CSeq", "1 INVITE"),
                                        ("Contact", "<sip:bob@%s>" % b)],
        sdp(b, 50000, pts, proto))), 10**6)
    cap.emit(udp(a, 5060, b, 5060, sip_msg(
        "ACK sip:bob@example.com SIP/2.0",
        common + [to_tag, ("CSeq", "1 ACK")])), 10**6)


def dtmf_call(outdir):
    """A call with a key press: audio paced exactly, then ten RFC 4733
    event packets (20 ms apart, all stamped with the event's start), then
    audio on the running clock. Only the events break the pacing."""
    a, b = "192.0.2.12", "198.51.100.22"
    cap = Frames()
    emit = cap.emit
    answered_call(cap, "dtmf", a, b, [0, 101])
    ssrc, seq, ts = 0xD7AF0001, 1, 0
    audio = events = 0
    for k in range(70):
        if k == 30:
            event_ts = ts
            for e in range(10):
                # event 5, end bit on the last, duration growing
                payload = struct.pack("!BBH", 5, 0x8A if e == 9 else 0x0A,
                                      160 * (e + 1))
                pkt = rtp(seq, event_ts, ssrc, pt=101, payload_len=0,
                          marker=(e == 0)) + payload
                emit(udp(a, 40000, b, 50000, pkt), 20_000_000)
                seq += 1
                ts += 160
                events += 1
        emit(udp(a, 40000, b, 50000, rtp(seq, ts, ssrc)), 20_000_000)
        seq += 1
        ts += 160
        audio += 1
    cap.write(os.path.join(outdir, "dtmf.pcap"))
    with open(os.path.join(outdir, "dtmf.expect.json"), "w") as f:
        json.dump({"dst": hostport(b, 50000), "ssrc": "0x%08x" % ssrc,
                   "packets": audio + events}, f)


def srtp_call(outdir):
    """An RTP/SAVP G.729 call: SRTP with an 80-bit tag, and SRTCP to the
    RTCP port, whose compound is encrypted past the first packet's header
    and followed by the E flag and index and the tag. The last packet is
    a telephone event: the score stays G.729's, the SDP's codec."""
    a, b = "192.0.2.13", "198.51.100.23"
    cap = Frames()
    emit = cap.emit
    answered_call(cap, "srtp", a, b, [18, 101], "RTP/SAVP")
    ssrc, srtcp = 0x5A7F0001, 0
    for k in range(50):
        tag = bytes((k * 7 + i) & 0xFF for i in range(10))
        emit(udp(a, 40000, b, 50000,
                 rtp(k + 1, 160 * k, ssrc, pt=18, payload_len=20) + tag),
             20_000_000)
        if k % 10 == 9:
            plain = rtcp_rr(ssrc)
            secret = bytes((x ^ 0x5C ^ k) & 0xFF for x in plain[8:])
            index = struct.pack("!I", 0x80000000 | srtcp)
            emit(udp(a, 40001, b, 50001, plain[:8] + secret + index + tag),
                 1_000_000)
            srtcp += 1
    event = struct.pack("!BBH", 1, 0x8A, 160)
    emit(udp(a, 40000, b, 50000, rtp(51, 160 * 50, ssrc, pt=101,
                                     payload_len=0, marker=True) + event),
         20_000_000)
    cap.write(os.path.join(outdir, "srtp.pcap"))
    with open(os.path.join(outdir, "srtp.expect.json"), "w") as f:
        json.dump({"dst": hostport(b, 50000), "packets": 51,
                   "rtcp_packets": srtcp}, f)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(outdir, exist_ok=True)
    scenario("call-v4-eth", LINK_ETHERNET, "192.0.2.10", "198.51.100.20",
             "203.0.113.66", outdir=outdir)
    scenario("call-v6-sll2-tcp", LINK_SLL2, "2001:db8::10", "2001:db8:1::20",
             "2001:db8:666::66", tcp=True, outdir=outdir)
    # SIP with SDP in IP fragments, reassembled before it is judged
    scenario("call-v4-raw-frag", LINK_RAW, "192.0.2.11", "198.51.100.21",
             "203.0.113.67", frag=256, outdir=outdir)
    scenario("call-v6-sll-frag", LINK_SLL, "2001:db8::11", "2001:db8:1::21",
             "2001:db8:666::67", frag=200, outdir=outdir)
    tcp_split(outdir)
    dtmf_call(outdir)
    srtp_call(outdir)


if __name__ == "__main__":
    main()
