# SPDX-License-Identifier: GPL-2.0
"""The router's call and source tables under their timeouts and bounds,
for test_state_limits.sh (topology of dp_lib.sh). Built on dp_voip.py.

  python3 dp_state.py ring [options]      a call that rings a long time
  python3 dp_state.py sources [options]   a full source table, calls held
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dp_voip import (SLOW, Dialog, Failed, is_msg, recv_until,  # noqa: E402
                     rtp_packet, sdp, udp_socket, vgctl_json)


def call_listed(args, call_id):
    calls = vgctl_json(args, "call", "show")
    if isinstance(calls, dict):
        calls = calls.get("calls", [])
    return any(c.get("call_id") == call_id for c in calls or [])


def run_ring(args):
    """INVITE; the gateway answers 183 with SDP (early media), then 180
    every --every seconds (none when 0) for --ring seconds, then 200 OK.
    Reports whether
    the call is still in the router's table after the ringing and whether
    RTP to the caller passes its pinhole after the answer."""
    res = {"ok": False, "listed_after_ring": False, "rtp_after_answer": 0}
    step_to = args.timeout * SLOW
    caller, gw = args.caller, args.callee
    uac = udp_socket(args.voice, caller, 5060)
    uas = udp_socket(args.gateway, gw, 5060)
    c_rtp = udp_socket(args.voice, caller, args.caller_media)
    g_rtp = udp_socket(args.gateway, gw, args.gw_media)
    d = Dialog(caller, 5060, gw, 5060)

    def ring():
        uas.sendto(d.response(inv, 180, "Ringing"), (caller, 5060))

    try:
        uac.sendto(d.request("INVITE", 1, sdp(caller, args.caller_media)),
                   (gw, 5060))
        inv = recv_until(uas, time.monotonic() + step_to,
                         is_msg(d.call_id, "INVITE "))
        if inv is None:
            raise Failed("INVITE did not reach the gateway")
        uas.sendto(d.response(inv, 183, "Session Progress",
                              sdp(gw, args.gw_media)), (caller, 5060))
        end = time.monotonic() + args.ring
        if args.every <= 0:
            time.sleep(args.ring)
        while args.every > 0 and time.monotonic() < end:
            time.sleep(args.every)
            ring()
        res["listed_after_ring"] = call_listed(args, d.call_id)
        if args.every > 0:
            # listing takes seconds on a slow VM: ring once more, so the
            # answer comes within call-timeout of the last 1xx
            ring()
        uas.sendto(d.response(inv, 200, "OK", sdp(gw, args.gw_media)),
                   (caller, 5060))
        if recv_until(uac, time.monotonic() + step_to,
                      is_msg(d.call_id, "SIP/2.0 200")) is None:
            raise Failed("200 OK did not reach the caller")
        uac.sendto(d.request("ACK", 1, tagged=True), (gw, 5060))
        c_rtp.setblocking(False)
        for i in range(args.rtp):
            g_rtp.sendto(rtp_packet(i, i * 160, 0x5151, marker=(i == 0)),
                         (caller, args.caller_media))
            time.sleep(0.02)
        deadline = time.monotonic() + 1.0 * SLOW
        while time.monotonic() < deadline:
            try:
                if c_rtp.recv(2048):
                    res["rtp_after_answer"] += 1
            except BlockingIOError:
                time.sleep(0.02)
        uac.sendto(d.request("BYE", 2, tagged=True), (gw, 5060))
        res["ok"] = True
    except Failed as e:
        res["error"] = str(e)
    finally:
        for s in (uac, uas, c_rtp, g_rtp):
            s.close()
    return res


def run_sources(args):
    """An unanswered INVITE from each --holders address (each holds a call,
    so its source cannot go), then an OPTIONS from each --fillers address
    (sources without calls), then an INVITE from each --late address.
    Reports which requests reached the gateway."""
    res = {"ok": False, "holders": 0, "fillers": 0, "late": []}
    step_to = args.timeout * SLOW
    gw = args.callee
    uas = udp_socket(args.gateway, gw, 5060)

    def send(addr, method):
        uac = udp_socket(args.voice, addr, 5060)
        d = Dialog(addr, 5060, gw, 5060)
        body = sdp(addr, 20000) if method == "INVITE" else b""
        uac.sendto(d.request(method, 1, body), (gw, 5060))
        got = recv_until(uas, time.monotonic() + step_to,
                         is_msg(d.call_id, method + " "))
        uac.close()
        return got is not None

    try:
        for a in args.holders.split(","):
            res["holders"] += send(a, "INVITE")
        for a in args.fillers.split(","):
            res["fillers"] += send(a, "OPTIONS")
        res["stats_full"] = vgctl_json(args, "-s", "stats", "show")
        for a in args.late.split(","):
            res["late"].append(send(a, "INVITE"))
        res["stats_after"] = vgctl_json(args, "-s", "stats", "show")
        res["ok"] = True
    finally:
        uas.close()
    return res


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("ring", "sources"):
        p = sub.add_parser(name)
        p.add_argument("--voice", required=True)
        p.add_argument("--gateway", required=True)
        p.add_argument("--router", required=True)
        p.add_argument("--vgctl", required=True)
        p.add_argument("--callee", required=True)
        p.add_argument("--timeout", type=float, default=5.0)
        if name == "ring":
            p.add_argument("--caller", required=True)
            p.add_argument("--caller-media", type=int, default=20100)
            p.add_argument("--gw-media", type=int, default=30100)
            p.add_argument("--ring", type=float, required=True)
            p.add_argument("--every", type=float, default=1.0)
            p.add_argument("--rtp", type=int, default=10)
        else:
            p.add_argument("--holders", required=True)
            p.add_argument("--fillers", required=True)
            p.add_argument("--late", required=True)
    args = ap.parse_args()
    res = run_ring(args) if args.cmd == "ring" else run_sources(args)
    json.dump(res, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
