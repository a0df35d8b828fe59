#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "vgctl -j replay" over the corpus captures and over scripted calls:
# calls found, RTP stream packet counts and jitter against Wireshark's
# (the corpus README's reference numbers, and tshark's -z rtp,streams
# when tshark is installed), RTP after BYE or a failure response dropped,
# malformed and foreign media dropped while the call goes on, -f with the
# file format of "vgctl apply" and "vgctl save", captures cut short
# reported up to the cut, libpcap opened by replay only. TAP output.
set -u
cd "$(dirname "$0")/../.."
vgctl=build/vgctl
corpus=../shared/corpus/pcap

if ! command -v python3 >/dev/null; then
	echo "# python3 not found"
	exit 4
fi
if [ ! -x "$vgctl" ]; then
	echo "# $vgctl not built (make vgctl)"
	exit 4
fi
if [ ! -d "$corpus" ]; then
	echo "# corpus $corpus not found"
	exit 4
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vg-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "# python3 tests/corpus/replay_synth.py $work"
if ! python3 tests/corpus/replay_synth.py "$work"; then
	echo "not ok 1 - scripted captures written"
	echo "1..1"
	exit 1
fi

VGCTL=$vgctl CORPUS=$corpus WORK=$work python3 - <<'PY'
import json, os, re, shutil, struct, subprocess, sys

vgctl, corpus, work = os.environ["VGCTL"], os.environ["CORPUS"], os.environ["WORK"]
tshark = shutil.which("tshark")
editcap = shutil.which("editcap")
n = failed = 0


def tap(ok, name, diag=None, skip=None):
    global n, failed
    n += 1
    if skip:
        print("ok %d - %s # SKIP %s" % (n, name, skip))
        return
    print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
    if not ok:
        failed += 1
        if diag:
            for line in str(diag).splitlines():
                print("#   " + line)


def replay(path, *opts):
    cmd = [vgctl, "-j", "replay", "--list-drops", *opts, path]
    print("# " + " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p
    try:
        return json.loads(p.stdout), p
    except ValueError as e:
        return None, p


def replay_any(path, *opts):
    """replay whatever its exit status: (JSON or None, process)."""
    cmd = [vgctl, "-j", "replay", "--list-drops", *opts, path]
    print("# " + " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(p.stdout), p
    except ValueError:
        return None, p


def pcap_to_pcapng(src, dst):
    """The records of a little-endian nanosecond pcap as one pcapng section."""
    with open(src, "rb") as f:
        raw = f.read()
    magic, _, _, _, _, snaplen, link = struct.unpack("<IHHiIII", raw[:24])
    assert magic == 0xA1B23C4D, "not a nanosecond pcap"

    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        return (struct.pack("<II", btype, len(body) + 12) + body +
                struct.pack("<I", len(body) + 12))

    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    # one interface, if_tsresol 9 (nanoseconds), end of options
    out += block(1, struct.pack("<HHI", link, 0, snaplen) +
                 struct.pack("<HHB3xHH", 9, 1, 9, 0, 0))
    off = 24
    while off + 16 <= len(raw):
        sec, nsec, incl, orig = struct.unpack("<IIII", raw[off:off + 16])
        ts = sec * 10**9 + nsec
        out += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                    incl, orig) +
                     raw[off + 16:off + 16 + incl])
        off += 16 + incl
    with open(dst, "wb") as f:
        f.write(out)


def same_report(a, b):
    keys = ("packets", "verdicts", "drops", "calls", "streams",
            "dropped_packets")
    return (a is not None and b is not None and
            {k: a[k] for k in keys} == {k: b[k] for k in keys})


def pcap_frames(path):
    """Frame count of a classic pcap, read independently of libpcap."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, count = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        off += 16 + incl
        count += 1
    return count


def tshark_streams(path):
    """Rows of tshark -z rtp,streams: ssrc -> dict."""
    p = subprocess.run([tshark, "-r", path, "-q", "-z", "rtp,streams"],
                       capture_output=True, text=True)
    rows = {}
    for line in p.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)\s+([\d.]+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)"
                     r"\s+(0x[0-9A-Fa-f]+)\s+(.+?)\s+(\d+)\s+(-?\d+)\s+\(.*?\)"
                     r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                     r"\s+([\d.]+)", line)
        if not m:
            continue
        rows[m.group(7).lower()] = {
            "src": "%s:%s" % (m.group(3), m.group(4)),
            "dst": "%s:%s" % (m.group(5), m.group(6)),
            "payload": m.group(8), "packets": int(m.group(9)),
            "lost": int(m.group(10)),
            "jitter_mean_ms": float(m.group(15)),
            "jitter_max_ms": float(m.group(16)),
        }
    return rows


def close(got, want, rel=0.05, absolute=0.0):
    return got is not None and abs(got - want) <= max(rel * want, absolute)


def basic(name, j, path):
    tap(j is not None, "%s: replay exits 0 with one JSON object" % name)
    if j is None:
        return False
    frames = pcap_frames(path)
    tap(j["packets"] == frames and
        j["verdicts"]["accept"] + j["verdicts"]["drop"] == frames,
        "%s: one verdict for each of the %d frames" % (name, frames),
        "packets %s verdicts %s" % (j["packets"], j["verdicts"]))
    tap(sum(j["drops"].values()) == j["verdicts"]["drop"],
        "%s: drop reasons add up to the drops" % name, j["drops"])
    return True


def media_streams(j):
    return [s for s in j["streams"] if s["packets"] > 0]


def compare_tshark(name, j, path, expect_streams):
    """Live comparison: every RTP stream tshark sees, with our numbers."""
    if not tshark:
        tap(True, "%s: streams match tshark -z rtp,streams" % name,
            skip="tshark not installed")
        return
    rows = tshark_streams(path)
    tap(len(rows) == expect_streams,
        "%s: tshark lists %d RTP stream(s)" % (name, expect_streams), rows)
    ours = {s["ssrc"]: s for s in j["streams"] if s["ssrc"]}
    for ssrc, row in sorted(rows.items()):
        s = ours.get(ssrc)
        tap(s is not None and s["packets"] == row["packets"] and
            s["lost"] == row["lost"] and s["dst"] == row["dst"] and
            s["src"] == row["src"],
            "%s: stream %s %s -> %s: %d packets, %d lost, as tshark" %
            (name, ssrc, row["src"], row["dst"], row["packets"], row["lost"]),
            "ours %s" % s)
        # tshark prints 3 decimals: allow its rounding besides the 5%
        ok = s is not None and close(s["jitter_mean_ms"], row["jitter_mean_ms"],
                                     absolute=0.0006) and \
            close(s["jitter_max_ms"], row["jitter_max_ms"], absolute=0.0006)
        tap(ok, "%s: stream %s jitter mean %s max %s ms within 5%% of "
            "tshark's %.3f / %.3f" %
            (name, ssrc, s and s["jitter_mean_ms"], s and s["jitter_max_ms"],
             row["jitter_mean_ms"], row["jitter_max_ms"]))


# ---- sip-rtp-g711.pcap: two calls, PCMU then PCMA ------------------------
path = os.path.join(corpus, "sip-rtp-g711.pcap")
j, p = replay(path)
if basic("g711", j, path):
    ids = [c["call_id"] for c in j["calls"]]
    tap(sorted(ids) == ["1-1966@10.0.2.20", "1-1968@10.0.2.20"],
        "g711: both calls found by Call-ID", ids)
    states = {c["call_id"]: c["state"] for c in j["calls"]}
    tap(states.get("1-1966@10.0.2.20") == "ended",
        "g711: call 1 ended by its BYE", states)
    tap(states.get("1-1968@10.0.2.20") == "confirmed",
        "g711: call 2 confirmed (the capture ends before its BYE)", states)
    media = {s["payload_type"]: s for s in media_streams(j)}
    ref = {0: ("PCMU", "0x343da99b", 425, 0.006179, 0.010245),
           8: ("PCMA", "0x343ffa34", 414, 0.004463, 0.019305)}
    tap(sorted(media) == [0, 8], "g711: two RTP streams carry media",
        [(s["payload_type"], s["packets"]) for s in media_streams(j)])
    for pt, (codec, ssrc, pkts, jmean, jmax) in sorted(ref.items()):
        s = media.get(pt, {})
        tap(s.get("packets") == pkts and s.get("ssrc") == ssrc and
            s.get("lost") == 0 and s.get("dropped") == 0,
            "g711: %s stream %s: exactly %d packets accepted, none lost" %
            (codec, ssrc, pkts), s)
        tap(close(s.get("jitter_mean_ms"), jmean),
            "g711: %s mean jitter %s ms within 5%% of Wireshark's %s" %
            (codec, s.get("jitter_mean_ms"), jmean))
        tap(close(s.get("jitter_max_ms"), jmax),
            "g711: %s max jitter %s ms within 5%% of Wireshark's %s" %
            (codec, s.get("jitter_max_ms"), jmax))
        tap(s.get("mos") is not None and 4.0 <= s["mos"] <= 4.5,
            "g711: %s MOS %s for a clean G.711 stream" % (codec, s.get("mos")))
        call = [c for c in j["calls"] if c["call_id"] == s.get("call_id")]
        tap(bool(call) and j["streams"].index(s) in call[0]["streams"],
            "g711: %s stream listed under its call" % codec)
    # frame 431: four 0xff octets to the answerer's send-only media port
    drops = {d["frame"]: d["reason"] for d in j["dropped_packets"]}
    tap(drops == {431: "rtp_no_pinhole"},
        "g711: only the junk datagram to the send-only side is dropped",
        drops)
    compare_tshark("g711", j, path, 2)

# The capture has no RTP of call 1 after its BYE (call 2 reuses the port
# only once its own answer opened it). Replay call 1 as captured, through
# the BYE and its 200, then its last 10 RTP packets again, 20 ms apart.
src = os.path.join(corpus, "sip-rtp-g711.pcap")
path = os.path.join(work, "g711-rtp-after-bye.pcap")
with open(src, "rb") as f:
    raw = f.read()
recs, off = [], 24
while off + 16 <= len(raw):
    incl = struct.unpack("<I", raw[off + 8:off + 12])[0]
    recs.append(raw[off:off + 16 + incl])
    off += 16 + incl
head = recs[:433]			# frames 1..433: call 1 up to the BYE's 200
sec, usec = struct.unpack("<II", head[-1][:8])
tail = []
for k, rec in enumerate(recs[419:429]):	# frames 420..429: call 1 RTP
    t = sec * 10**6 + usec + 20000 * (k + 1)
    tail.append(struct.pack("<II", t // 10**6, t % 10**6) + rec[8:])
with open(path, "wb") as f:
    f.write(raw[:24] + b"".join(head + tail))
j, p = replay(path)
if basic("g711 RTP after BYE", j, path):
    got = {d["frame"]: d["reason"] for d in j["dropped_packets"]}
    want = {431: "rtp_no_pinhole"}
    want.update({f: "rtp_no_pinhole" for f in range(434, 444)})
    tap(got == want, "g711: call 1's RTP replayed after its BYE is dropped "
        "(rtp_no_pinhole)", got)
    pcmu = [s for s in j["streams"] if s["ssrc"] == "0x343da99b"]
    tap(len(pcmu) == 1 and pcmu[0]["packets"] == 425 and
        pcmu[0]["state"] == "closed",
        "g711: the PCMU stream keeps its 425 packets and is closed", pcmu)

# ---- sip-rtp-g729a.pcap and sip-rtp-gsm.pcap: one call each -------------
for name, pt in (("g729a", 18), ("gsm", 3)):
    path = os.path.join(corpus, "sip-rtp-%s.pcap" % name)
    j, p = replay(path)
    if not basic(name, j, path):
        continue
    tap(len(j["calls"]) == 1, "%s: one call found" % name,
        [c["call_id"] for c in j["calls"]])
    tap(j["calls"] and j["calls"][0]["state"] == "ended" and
        j["calls"][0]["end_s"] is not None,
        "%s: the BYE ends the call" % name, j["calls"])
    media = media_streams(j)
    tap(len(media) == 1 and media[0]["payload_type"] == pt and
        media[0]["packets"] > 0 and media[0]["lost"] == 0,
        "%s: one RTP stream (PT %d) with packets, none lost" % (name, pt),
        media)
    tap(all(s["state"] == "closed" for s in j["streams"]),
        "%s: every pinhole closed after the BYE" % name)
    compare_tshark(name, j, path, 1)

# ---- aaa.pcap: registrations, failed INVITEs, media after a 480 ----------
path = os.path.join(corpus, "aaa.pcap")
j, p = replay(path)
if basic("aaa", j, path):
    sip = j["sip"]
    tap(sip["messages"] == 81 and sip["invalid"] == 0,
        "aaa: 81 SIP messages, all valid", sip)
    tap(sip["invites"] == 11, "aaa: 11 INVITEs (retransmissions and "
        "authenticated retries included)", sip)
    tap(sip["keepalives"] == 21 and j["drops"]["sip_bad_start_line"] == 0,
        "aaa: the 21 whitespace keep-alives on 5060 pass", sip)
    ids = sorted(c["call_id"] for c in j["calls"])
    tap(len(ids) == 4, "aaa: 4 calls (distinct INVITE Call-IDs; REGISTER "
        "dialogs are no calls)", ids)
    tap(all(c["state"] == "ended" for c in j["calls"]),
        "aaa: every call ended by a final failure response",
        [(c["call_id"], c["state"]) for c in j["calls"]])
    early = [c for c in j["calls"] if c["call_id"] == "11894297-4432a9f8@192.168.1.2"]
    # The 183 answers the offer and opens media; the 480 that follows ends
    # the call and closes it; the 9 RTP packets (and one RTCP) come later.
    st = [s for s in j["streams"] if s["dst"] == "212.242.33.36:40392"]
    tap(len(early) == 1 and len(st) == 1 and st[0]["state"] == "closed" and
        st[0]["call_id"] == early[0]["call_id"],
        "aaa: the 183's SDP opened 212.242.33.36:40392, the 480 closed it",
        st)
    drops = {d["frame"]: d["reason"] for d in j["dropped_packets"]}
    want = {f: "rtp_no_pinhole" for f in range(624, 634)}
    tap(drops == want,
        "aaa: the 9 RTP packets and 1 RTCP packet after the 480 are dropped "
        "(rtp_no_pinhole)", drops)
    tap(st and st[0]["packets"] == 0 and early and
        early[0]["end_s"] is not None and early[0]["end_s"] < 1444.5,
        "aaa: no media accepted on the closed pinhole")
    if tshark:
        rows = tshark_streams(path)
        tap(sum(r["packets"] for r in rows.values()) ==
            j["classes"]["rtp"] == 9,
            "aaa: tshark's RTP stream is the 9 packets judged as RTP",
            (rows, j["classes"]))
    else:
        tap(True, "aaa: RTP count as tshark's", skip="tshark not installed")

# ---- scripted calls: BYE, malformed and foreign media ---------------------
restrict = os.path.join(work, "restrict.conf")
with open(restrict, "w") as f:
    f.write("# media only from the signalling peer\n"
            "config set peer-restrict yes\n"
            "sip-ports 5060\n"
            "media-ports = 1024-65535\n"
            "zone voice 10.0.0.0/8\n")
for name in ("call-v4-eth", "call-v4-raw-frag", "call-v6-sll-frag",
             "call-v6-sll2-tcp"):
    path = os.path.join(work, name + ".pcap")
    with open(os.path.join(work, name + ".expect.json")) as f:
        exp = json.load(f)
    for mode in ("default", "peer-restrict"):
        opts = ["-f", restrict] if mode == "peer-restrict" else []
        j, p = replay(path, *opts)
        tag = "%s (%s)" % (name, mode)
        if not basic(tag, j, path):
            continue
        want = {}
        for frame, reason in exp["drops"].items():
            if reason == "rtp_wrong_source?":
                if mode == "default":
                    continue	# foreign SSRC passes without restriction
                reason = "rtp_wrong_source"
            want[int(frame)] = reason
        got = {d["frame"]: d["reason"] for d in j["dropped_packets"]}
        tap(got == want, "%s: exactly the expected frames dropped, each with "
            "its reason (early RTP, bad header, bad PT, bad RTCP, RTP after "
            "BYE%s)" % (tag, ", foreign source" if opts else ""),
            "got %s\nwant %s" % (got, want))
        calls = j["calls"]
        tap(len(calls) == 1 and calls[0]["call_id"] == exp["call_id"] and
            calls[0]["state"] == "ended", "%s: the call ends with its BYE" % tag,
            calls)
        fwd = [s for s in j["streams"] if s["dst"] == exp["stream"]["dst"]]
        s = fwd[0] if fwd else {}
        tap(s.get("packets") == exp["stream"]["packets"] and
            s.get("ssrc") == exp["stream"]["ssrc"] and s.get("lost") == 0,
            "%s: the stream goes on past the bad packets: %s packets, "
            "none lost" % (tag, exp["stream"]["packets"]), s)
        if exp["reassembled"]:
            tap(j["decode"]["reassembled"] == exp["reassembled"] and
                j["decode"]["fragments_dropped"] == 0,
                "%s: the %d fragmented SIP messages reassembled" %
                (tag, exp["reassembled"]), j["decode"])
        rev = [s for s in j["streams"] if s["dst"] == exp["reverse"]["dst"]]
        tap(rev and rev[0]["packets"] == exp["reverse"]["packets"],
            "%s: the other direction has its own stream" % tag, rev)
    if editcap:
        ng = os.path.join(work, name + ".pcapng")
        subprocess.run([editcap, "-F", "pcapng", path, ng], check=True)
        a, _ = replay(path)
        b, _ = replay(ng)
        tap(a is not None and b is not None and
            {k: a[k] for k in ("packets", "verdicts", "drops", "calls", "streams")} ==
            {k: b[k] for k in ("packets", "verdicts", "drops", "calls", "streams")},
            "%s: pcapng gives the same result as pcap" % name)

# ---- a key press: RFC 4733 events kept out of jitter ------------------------
path = os.path.join(work, "dtmf.pcap")
with open(os.path.join(work, "dtmf.expect.json")) as f:
    exp = json.load(f)
j, p = replay(path)
if basic("dtmf", j, path):
    s = [s for s in j["streams"] if s["dst"] == exp["dst"]]
    s = s[0] if s else {}
    tap(s.get("ssrc") == exp["ssrc"] and s.get("packets") == exp["packets"]
        and s.get("lost") == 0,
        "dtmf: audio and the 10 event packets in one stream of %d packets"
        % exp["packets"], s)
    # taken as media, the events alone would give a ~20 ms peak
    tap(s.get("jitter_max_ms") is not None and s["jitter_max_ms"] < 0.1 and
        s["jitter_mean_ms"] < 0.1,
        "dtmf: events still-stamped for 200 ms leave jitter at 0 "
        "(mean %s, max %s ms)" % (s.get("jitter_mean_ms"),
                                  s.get("jitter_max_ms")), s)

path = os.path.join(work, "srtp.pcap")
with open(os.path.join(work, "srtp.expect.json")) as f:
    exp = json.load(f)
j, p = replay(path)
if basic("srtp", j, path):
    s = [s for s in j["streams"] if s["dst"] == exp["dst"]]
    s = s[0] if s else {}
    tap(j["verdicts"]["drop"] == 0 and s.get("srtp") and
        s.get("packets") == exp["packets"] and
        s.get("rtcp_packets") == exp["rtcp_packets"],
        "srtp: SRTCP, encrypted past its first header, passes (%d of them)"
        % exp["rtcp_packets"], (j["drops"], s))
    # G.729 (Ie 11) scores below 4.1; as G.711 the stream would get 4.4
    tap(s.get("mos") is not None and 3.9 < s["mos"] < 4.1,
        "srtp: MOS %s is G.729's, the SDP's codec, though the last packet "
        "was a telephone event" % s.get("mos"), s)

# ---- SIP over TCP split across segments -----------------------------------
path = os.path.join(work, "tcp-split.pcap")
dropconf = os.path.join(work, "tcp-split-drop.conf")
with open(dropconf, "w") as f:
    f.write("tcp-split drop\n")
for mode, opts in (("pass", []), ("drop", ["-f", dropconf])):
    j, p = replay(path, *opts)
    if not basic("tcp-split (%s)" % mode, j, path):
        continue
    got = {d["frame"]: d["reason"] for d in j["dropped_packets"]}
    want = {} if mode == "pass" else {1: "sip_tcp_split", 2: "sip_tcp_split"}
    tap(j["sip"]["tcp_split"] == 2 and j["sip"]["messages"] == 1 and
        j["sip"]["invalid"] == 0 and got == want,
        "tcp-split (%s): both pieces of the split message counted%s, the "
        "whole one judged" % (mode, " and dropped" if want else " and passed"),
        (j["sip"], got))

# ---- SIP over TCP without Content-Length ---------------------------------
# RFC 3261 18.3: on a stream the body would run to the segment's end and
# take the INVITE after it along, unjudged: the segment is dropped.
def tcp_no_cl(name):
    import replay_synth as rs
    flow = rs.TcpFlow()
    a, b = "192.0.2.30", "198.51.100.40"

    def hdrs(method, cseq):
        return [("Via", "SIP/2.0/TCP %s:5060;branch=z9hG4bK-n%d" % (a, cseq)),
                ("From", "<sip:a@example.com>;tag=n1"),
                ("To", "<sip:b@example.com>"), ("Call-ID", "nocl-1"),
                ("CSeq", "%d %s" % (cseq, method)), ("Max-Forwards", "70")]
    bare = rs.sip_msg("MESSAGE sip:b@example.com SIP/2.0",
                      hdrs("MESSAGE", 1) + [("Content-Type", "text/plain")])
    bare = bare.replace(b"Content-Length: 0\r\n", b"")
    inv = rs.sip_msg("INVITE sip:b@example.com SIP/2.0", hdrs("INVITE", 2))
    frames = [(10**9, rs.frame(rs.LINK_ETHERNET,
                               flow.segment(a, 40124, b, 5060, bare + inv)))]
    path = os.path.join(work, name + ".pcap")
    rs.write_pcap(path, rs.LINK_ETHERNET, frames)
    return path


sys.path.insert(0, "tests/corpus")
path = tcp_no_cl("tcp-no-cl")
j, p = replay(path)
if basic("tcp-no-cl", j, path):
    tap(j["verdicts"]["drop"] == 1 and
        j["drops"].get("sip_bad_content_length") == 1,
        "tcp-no-cl: a TCP message without Content-Length is dropped, with "
        "the INVITE it would swallow", j["drops"])

# ---- a proxy forking the INVITE: one target refuses, another answers ------
# Parallel: both copies out (each with its own Via branch), one 486, the
# other 200. Serial: the 486 first, then the copy for the next target.
# Either way the call goes on with the answering target and its media
# passes, as on the data path.
sys.path.insert(0, "tests/corpus")
import replay_synth as rs


def forked(name, serial):
    prx, b1, b2, a = "192.0.2.50", "198.51.100.31", "198.51.100.32", "192.0.2.10"
    cap = rs.Frames()
    emit = cap.udp
    cid = "%s@192.0.2.10" % name

    def hdrs(br, to_tag=None):
        return [("Via", "SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s" % (prx, br)),
                ("From", "<sip:alice@example.com>;tag=a1"),
                ("To", "<sip:bob@example.com>" +
                 (";tag=%s" % to_tag if to_tag else "")),
                ("Call-ID", cid), ("CSeq", "1 INVITE"), ("Max-Forwards", "69")]

    def invite(dst, br):
        emit(prx, dst, rs.sip_msg("INVITE sip:bob@%s SIP/2.0" % dst, hdrs(br),
                                  rs.sdp(a, 40000, [0])))

    def refuse():
        emit(b1, prx, rs.sip_msg("SIP/2.0 486 Busy Here", hdrs("f1", "t1")))
        ack = hdrs("f1", "t1")
        ack[4] = ("CSeq", "1 ACK")
        emit(prx, b1, rs.sip_msg("ACK sip:bob@%s SIP/2.0" % b1, ack))

    invite(b1, "f1")
    if serial:
        refuse()
    invite(b2, "f2")
    if not serial:
        refuse()
    emit(b2, prx, rs.sip_msg("SIP/2.0 200 OK", hdrs("f2", "t2"),
                             rs.sdp(b2, 50000, [0])))
    ack = hdrs("f2b", "t2")
    ack[4] = ("CSeq", "1 ACK")
    emit(prx, b2, rs.sip_msg("ACK sip:bob@%s SIP/2.0" % b2, ack))
    for k in range(20):
        emit(a, b2, rs.rtp(k + 1, 160 * k, 0xF0F0F0F0), 40000, 50000)
        emit(b2, a, rs.rtp(k + 1, 160 * k, 0x0F0F0F0F), 50000, 40000)
    path = os.path.join(work, name + ".pcap")
    cap.write(path)
    return path


for name, serial in (("fork-parallel", False), ("fork-serial", True)):
    path = forked(name, serial)
    j, p = replay(path)
    if basic(name, j, path):
        calls = [c for c in j["calls"] if c["call_id"].startswith(name)]
        tap(j["verdicts"]["drop"] == 0 and len(calls) == 1 and
            calls[0]["state"] == "confirmed" and
            sum(s["packets"] for s in media_streams(j)) == 40,
            "%s: the call goes on with the target that answered, its 40 "
            "RTP packets pass" % name,
            (j["drops"], calls, media_streams(j)))

# ---- hold the old way: c=0.0.0.0 (RFC 3264 8.4) --------------------------
# The callee holds with c=0.0.0.0: nothing may be sent to it any more, but
# its music on hold still reaches the caller.
def hold_zero(name):
    a, b = "192.0.2.10", "198.51.100.20"
    cap = rs.Frames(20 * 10**6)
    emit = cap.udp
    cid = "%s@192.0.2.10" % name

    def hdrs(via, cseq, frm, to):
        return [("Via", "SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s-%s"
                 % (via, name, cseq.replace(" ", "-"))),
                ("From", frm), ("To", to), ("Call-ID", cid),
                ("CSeq", cseq), ("Max-Forwards", "70")]

    alice = "<sip:alice@example.com>;tag=a1"
    bob = "<sip:bob@example.com>;tag=b1"
    emit(a, b, rs.sip_msg("INVITE sip:bob@%s SIP/2.0" % b,
                          hdrs(a, "1 INVITE", alice, "<sip:bob@example.com>"),
                          rs.sdp(a, 40000, [0])))
    emit(b, a, rs.sip_msg("SIP/2.0 200 OK", hdrs(a, "1 INVITE", alice, bob),
                          rs.sdp(b, 50000, [0])))
    emit(a, b, rs.sip_msg("ACK sip:bob@%s SIP/2.0" % b,
                          hdrs(a, "1 ACK", alice, bob)))
    for k in range(10):
        emit(a, b, rs.rtp(k + 1, 160 * k, 0xA1A1A1A1), 40000, 50000)
        emit(b, a, rs.rtp(k + 1, 160 * k, 0xB1B1B1B1), 50000, 40000)
    emit(b, a, rs.sip_msg("INVITE sip:alice@%s SIP/2.0" % a,
                          hdrs(b, "7 INVITE", bob, alice),
                          rs.sdp("0.0.0.0", 50000, [0])))
    emit(a, b, rs.sip_msg("SIP/2.0 200 OK", hdrs(b, "7 INVITE", bob, alice),
                          rs.sdp(a, 40000, [0])))
    emit(b, a, rs.sip_msg("ACK sip:alice@%s SIP/2.0" % a,
                          hdrs(b, "7 ACK", bob, alice)))
    for k in range(10, 20):
        emit(b, a, rs.rtp(k + 1, 160 * k, 0xB1B1B1B1), 50000, 40000)
        emit(a, b, rs.rtp(k + 1, 160 * k, 0xA1A1A1A1), 40000, 50000)
    path = os.path.join(work, name + ".pcap")
    cap.write(path)
    return path


path = hold_zero("hold-zero")
j, p = replay(path)
if basic("hold-zero", j, path):
    tap({k: v for k, v in j["drops"].items() if v} == {"rtp_no_pinhole": 10},
        "hold-zero: after c=0.0.0.0 the 10 RTP to the holder drop, its 10 "
        "of music on hold pass", j["drops"])

# ---- -f with the file format of "vgctl apply" and "vgctl save" -----------
g711 = os.path.join(corpus, "sip-rtp-g711.pcap")
base, _ = replay(g711)
j, p = replay_any(g711, "-f", "userspace/voipguard.conf")
tap(p.returncode == 0 and j is not None,
    "-f userspace/voipguard.conf: read, replay exits 0", p.stderr)
tap(same_report(j, base), "-f userspace/voipguard.conf: its keys (SIP on "
    "5060) give the default run's verdicts on g711")
conf = os.path.join(work, "sip-5080.conf")
with open(conf, "w") as f:
    f.write("config sip-ports 5080\nconfig media-strict on\n")
j, p = replay_any(g711, "-f", conf)
tap(p.returncode == 0 and j is not None and j["sip"]["messages"] == 0 and
    not j["calls"], "-f: \"config sip-ports 5080\" takes effect (no SIP "
    "judged on 5060)", p.stderr if j is None else j["sip"])

# What "vgctl save" prints: every key on a "config" line, zones continued
# with '\' every 8 prefixes, limits, policy and srtp entries.
saved = os.path.join(work, "saved.conf")
with open(saved, "w") as f:
    f.write("# voipguard configuration, as \"vgctl save\" writes it\n"
            "config mode enforce\nconfig sip-ports 5060\n"
            "config media-ports 1024-65535\nconfig dscp-rtp 46\n"
            "config dscp-sip 24\nconfig priority-rtp 6\n"
            "config priority-sip 4\nconfig mark-rtp 0\nconfig mark-sip 0\n"
            "config media-timeout 60\nconfig call-timeout 7200\n"
            "config max-streams 16384\nconfig max-calls 4096\n"
            "config max-sources 65536\nconfig max-streams-per-call 8\n"
            "config media-strict on\nconfig direct-media off\n"
            "config peer-restrict on\nconfig tcp-split pass\n"
            "config source-prefix6 64\n"
            "config emergency 911,112,urn:service:sos\n"
            "config sip-max-msg 8192\nconfig sip-max-headers 64\n"
            "config sip-max-header-len 1024\nconfig sip-max-uri-len 512\n"
            "config event-rate 100\n")
    pfx = ["10.%d.0.0/16" % i for i in range(20)]
    f.write("zone voice " + " \\\n    ".join(
        " ".join(pfx[i:i + 8]) for i in range(0, 20, 8)) + "\n")
    f.write("zone data 192.168.0.0/16\n"
            "limit sip-source 20 40\nlimit invite-weight 2\n"
            "limit calls-per-zone voice 400\n"
            "policy data voice sip drop\nsrtp require voice data\n")
path = os.path.join(work, "call-v4-eth.pcap")
ref, _ = replay(path, "-f", restrict)
j, p = replay_any(path, "-f", saved)
tap(p.returncode == 0 and j is not None,
    "-f with a saved file (continued zone lines): read, replay exits 0",
    p.stderr)
tap(same_report(j, ref) and 51 in [d["frame"] for d in j["dropped_packets"]],
    "-f saved file: \"config peer-restrict on\" drops the foreign source "
    "(frame 51) as the older form does",
    j and [(d["frame"], d["reason"]) for d in j["dropped_packets"]])

bad = os.path.join(work, "bad-statement.conf")
with open(bad, "w") as f:
    f.write("config sip-ports 5060\nconfig no-such-key 1\n")
j, p = replay_any(g711, "-f", bad)
tap(p.returncode == 1 and "bad-statement.conf:2:" in p.stderr and
    "no-such-key" in p.stderr, "-f: an unknown config key reported as "
    "file:line", p.stderr)
with open(bad, "w") as f:
    f.write("# voice\nzone voice 10.0.0.0/16 \\\n    10.1.2.3/8\n")
j, p = replay_any(g711, "-f", bad)
tap(p.returncode == 1 and "bad-statement.conf:2:" in p.stderr and
    "10.1.2.3/8" in p.stderr, "-f: a bad prefix on a continuation line "
    "reported at the statement's first line", p.stderr)

# ---- a capture cut short: reported up to the cut --------------------------
src = os.path.join(work, "call-v4-eth.pcap")
ng = os.path.join(work, "call-v4-eth-own.pcapng")
pcap_to_pcapng(src, ng)
full, _ = replay(src)
frames = pcap_frames(src)
with open(src, "rb") as f:
    raw = f.read()
cuts = {"pcap, 1 byte short": (src, 1, "t1.pcap"),
        "pcap, cut inside the last record header": (src, None, "t2.pcap"),
        "pcapng, 1 byte short": (ng, 1, "t1.pcapng")}
ngfull, _ = replay(ng)
tap(full is not None and full.get("truncated") is False and
    same_report(ngfull, full),
    "whole capture: \"truncated\": false, pcapng copy gives the same report")
offs, off = [], 24
while off + 16 <= len(raw):
    offs.append(off)
    off += 16 + struct.unpack("<I", raw[off + 8:off + 12])[0]
for name, (whole, cut, out) in sorted(cuts.items()):
    with open(whole, "rb") as f:
        data = f.read()
    # 8 bytes into the last record's header: no packet of it was read
    keep = len(data) - cut if cut else offs[-1] + 8
    tpath = os.path.join(work, out)
    with open(tpath, "wb") as f:
        f.write(data[:keep])
    j, p = replay_any(tpath)
    tap(p.returncode == 1 and "truncated" in p.stderr and
        "after %d packets" % (frames - 1) in p.stderr,
        "%s: exit 1, the cut named on stderr" % name, p.stderr)
    tap(j is not None and j.get("truncated") is True and
        j["packets"] == frames - 1 and
        j["verdicts"]["accept"] + j["verdicts"]["drop"] == frames - 1,
        "%s: JSON report of the %d packets before the cut, "
        "\"truncated\": true" % (name, frames - 1),
        p.stdout[:300] if j is None else (j["packets"], j.get("truncated")))
    want = [d for d in full["dropped_packets"] if d["frame"] < frames]
    tap(j is not None and j["dropped_packets"] == want and
        [c["call_id"] for c in j["calls"]] ==
        [c["call_id"] for c in full["calls"]],
        "%s: the same drops and call as the whole capture up to the cut"
        % name, j and j["dropped_packets"])
p = subprocess.run([vgctl, "replay", os.path.join(work, "t1.pcap")],
                   capture_output=True, text=True)
tap(p.returncode == 1 and "packets %d" % (frames - 1) in p.stdout and
    re.search(r"^truncated: .*%d packets" % (frames - 1), p.stdout, re.M),
    "truncated capture, text output: the report and a line saying so",
    p.stdout[:400])

# ---- command-line errors -------------------------------------------------
bad = os.path.join(work, "bad.conf")
with open(bad, "w") as f:
    f.write("sip-ports 5060\nno-such-key 1\n")
j, p = replay(os.path.join(corpus, "sip-rtp-gsm.pcap"), "-f", bad)
tap(p.returncode == 1 and "bad.conf:2" in p.stderr and "no-such-key" in p.stderr,
    "config error reported as file:line with the key", p.stderr)
with open(bad, "w") as f:
    f.write("media-ports 2000-1000\n")
j, p = replay(os.path.join(corpus, "sip-rtp-gsm.pcap"), "-f", bad)
tap(p.returncode == 1 and "bad.conf:1" in p.stderr,
    "reversed port range refused", p.stderr)
j, p = replay(os.path.join(work, "no-such.pcap"))
tap(p.returncode == 1 and p.stderr.strip() != "", "missing capture: exit 1 "
    "with a message", p.stderr)
p = subprocess.run([vgctl, "replay"], capture_output=True, text=True)
tap(p.returncode == 2, "no capture given: usage error (exit 2)", p.stderr)
p = subprocess.run([vgctl, "replay", os.path.join(corpus, "sip-rtp-g711.pcap")],
                   capture_output=True, text=True)
tap(p.returncode == 0 and "0x343da99b" in p.stdout and "1-1968@10.0.2.20" in p.stdout,
    "text output lists the calls and streams", p.stdout[-2000:])

# libpcap is opened by replay alone; the other commands start without it.
p = subprocess.run(["ldd", vgctl], capture_output=True, text=True)
tap(p.returncode == 0 and "libnl-genl-3" in p.stdout and "libpcap" not in p.stdout,
    "vgctl is not linked with libpcap (replay opens it)", p.stdout)

print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
