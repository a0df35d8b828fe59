#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vgctl monitor (topology in dp_lib.sh): "vgctl -j monitor" runs in the
# background on the router while sipp's built-in uac on the voice host
# calls sipp's built-in uas on the gateway through the router.
#
# Expected: every line monitor prints is one JSON object; the call's
# call_start and call_end (cause bye, with its streams in the replay
# shape) arrive, with pinhole_open events for its media; monitor exits 0
# on SIGINT and on SIGTERM; text mode prints one line per event; flow
# flush makes each pinhole expire with cause flush; an INVITE
# flood gives flood_start and, once quiet, flood_end for its source, and a
# configuration change a config event; with event-rate 1 a burst of events
# is cut and the rest counted as events_lost.
#
# A scripted call with a Call-ID of 256 octets (the longest tracked) and
# eight media lines a side (32 streams, max-streams-per-call raised to
# match) needs more than the usual message: call show, call show CALL-ID
# and its call_end event must still carry every stream.

. "$(dirname "$0")/dp_lib.sh"

dp_require
checktool "command -v sipp" "sipp"

ktap_print_header
ktap_set_plan 16
kmsg_mark

dp_setup

work=$(mktemp -d)
defer rm -rf "$work"

# The uas answers every call of this script: it lives as long as the
# script may, which on the debug kernel is several minutes.
n "$gateway" sipp -sn uas -i $V4_GW -p 5060 -mi $V4_GW -nostdin \
	-timeout $((150 * DP_SLOW))s >"$work/uas.log" 2>&1 &
uas_pid=$!
defer kill $uas_pid
listening()
{
	ss -N "$gateway" -lun | grep -qF "$V4_GW:5060"
}
busywait $((5000 * DP_SLOW)) listening || echo "# sipp uas is not listening"

# start_monitor NAME ARGS...: vgctl ARGS monitor on the router in the
# background, output in $work/NAME.out; waits until it listens.
start_monitor()
{
	local name=$1

	shift
	echo "# [router] vgctl $* monitor &" >&2
	"$VGCTL" -n "$router" "$@" monitor >"$work/$name.out" \
		2>"$work/$name.err" &
	printf -v "mon_$name" '%s' $!
	defer kill $!
	busywait $((5000 * DP_SLOW)) grep -q listening "$work/$name.err"
}

# call PORT: one sipp call from the voice host, held 1 s; sipp's status.
call()
{
	n "$voice" sipp -sn uac -i $V4_VOICE -p "$1" -mi $V4_VOICE -m 1 \
		-d $((1000 * DP_SLOW)) -nostdin -timeout 60s $V4_GW:5060 \
		>"$work/uac-$1.log" 2>&1
}

# stop_monitor NAME SIGNAL: stop it; true when it exits 0.
stop_monitor()
{
	local var="mon_$1" rc

	kill -"$2" "${!var}"
	wait "${!var}"
	rc=$?
	echo "# monitor $1 exited $rc after SIG$2"
	[ -s "$work/$1.err" ] && sed "s/^/# $1 stderr: /" "$work/$1.err"
	return $rc
}

start_monitor json -j || echo "# monitor did not start"
call 5061
call_rc=$?
ktap_test_result "sipp call completed" [ $call_rc -eq 0 ]
has_end()
{
	grep -q '"call_end"' "$work/json.out"
}
slowwait $((5 * DP_SLOW)) has_end
ktap_test_result "monitor -j exits 0 on SIGINT" stop_monitor json INT
sed 's/^/# event: /' "$work/json.out"

one_object_per_line()
{
	python3 - "$work/json.out" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "output does not end with a newline"
for line in lines[:-1]:
    obj = json.loads(line)
    assert isinstance(obj, dict) and "event" in obj, line
sys.exit(0 if len(lines) > 2 else 1)
PY
}
ktap_test_result "every line is one JSON event object" one_object_per_line

# ev EXPR: a Python expression over the list of events E.
ev()
{
	python3 -c 'import json, sys
E = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(eval(sys.argv[2]))' "$work/json.out" "$1"
}

start_ok()
{
	[ "$(ev "[(e['call']['caller'], e['call']['callee'], e['call']['from_zone'], e['call']['to_zone']) for e in E if e['event'] == 'call_start'] == [('$V4_VOICE:5061', '$V4_GW:5060', 'voice', 'gateway')]")" = True ]
}
ktap_test_result "call_start: one event with the parties and zones" start_ok

end_ok()
{
	[ "$(ev "[(e['cause'], e['call']['call_id'] == [s for s in E if s['event'] == 'call_start'][0]['call']['call_id']) for e in E if e['event'] == 'call_end'] == [('bye', True)]")" = True ]
}
ktap_test_result "call_end: same Call-ID, cause bye" end_ok

STREAM_KEYS="call_id src dst ssrc payload_type clock_rate srtp state packets bytes dropped lost duplicates reordered rtcp_packets jitter_mean_ms jitter_max_ms mos"
end_streams()
{
	[ "$(ev "[len(e['call']['streams']) >= 2 and all(set(s) == set('$STREAM_KEYS'.split()) for s in e['call']['streams']) for e in E if e['event'] == 'call_end'] == [True]")" = True ]
}
ktap_test_result "call_end: its streams with their statistics, in the replay shape" \
	end_streams

pinholes()
{
	[ "$(ev "sorted(set(e['streams'][0]['dst'] for e in E if e['event'] == 'pinhole_open' and not e['rtcp'])) == sorted(['$V4_VOICE:6000', '$V4_GW:6000'])")" = True ] ||
	[ "$(ev "len([e for e in E if e['event'] == 'pinhole_open']) >= 2")" = True ]
}
ktap_test_result "pinhole_open events for the call's media" pinholes

# Text mode, stopped with SIGTERM.
start_monitor text || echo "# text monitor did not start"
call 5063
has_text_end()
{
	grep -q '^call_end ' "$work/text.out"
}
slowwait $((5 * DP_SLOW)) has_text_end
sed 's/^/# text: /' "$work/text.out"
ktap_test_result "monitor (text) exits 0 on SIGTERM" stop_monitor text TERM
text_lines()
{
	grep -q "^call_start .* $V4_VOICE:5063 -> $V4_GW:5060 zones voice>gateway" "$work/text.out" &&
	grep -q '^call_end .* cause bye' "$work/text.out"
}
ktap_test_result "text mode: one line per event" text_lines

# ---- a call larger than the usual message ----

LONG_MEDIA=${VG_LONG_MEDIA:-8}
# RTP and RTCP, each way, per media line; vgctl folds RTCP into its stream.
LONG_FLOWS=$((4 * LONG_MEDIA))
LONG_STREAMS=$((2 * LONG_MEDIA))
cat >"$work/long_call.py" <<'PY'
# long_call.py DP_DIR VOICE GATEWAY CALLER CALLEE BASE TIMEOUT MEDIA LEN:
# INVITE, 200 OK and ACK with MEDIA m= lines a side and a Call-ID of LEN
# octets; writes the Call-ID to BASE.ready, holds the call until
# BASE.release exists, then BYE and its 200 OK.
import os, random, sys, time
sys.path.insert(0, sys.argv[1])
import dp_voip as dv

voice, gateway, caller, callee, base = sys.argv[2:7]
timeout, media, length = float(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
cport, gport = 5080, 5060
suffix = "@" + caller
cid = "%016x." % random.getrandbits(64)
cid += "x" * (length - len(cid) - len(suffix)) + suffix


def sdp(addr, first):
    lines = ["v=0", "o=- 4242 1 IN IP4 " + addr, "s=-",
             "c=IN IP4 " + addr, "t=0 0"]
    for k in range(media):
        lines += ["m=audio %d RTP/AVP 0" % (first + 2 * k),
                  "a=rtpmap:0 PCMU/8000", "a=sendrecv"]
    return ("\r\n".join(lines) + "\r\n").encode()


def wait_for(sock, start, what):
    got = dv.recv_until(sock, time.monotonic() + timeout, dv.is_msg(cid, start))
    if got is None:
        sys.exit(what + " did not arrive")
    return got


uac = dv.udp_socket(voice, caller, cport)
uas = dv.udp_socket(gateway, callee, gport)
d = dv.Dialog(caller, cport, callee, gport, call_id=cid)
uac.sendto(d.request("INVITE", 1, sdp(caller, 20000)), (callee, gport))
inv = wait_for(uas, "INVITE ", "INVITE")
uas.sendto(d.response(inv, 200, "OK", sdp(callee, 30000)), (caller, cport))
wait_for(uac, "SIP/2.0 200", "200 OK")
uac.sendto(d.request("ACK", 1, tagged=True), (callee, gport))
wait_for(uas, "ACK ", "ACK")
with open(base + ".tmp", "w") as f:
    f.write(cid)
os.rename(base + ".tmp", base + ".ready")
end = time.monotonic() + 30 * timeout
while not os.path.exists(base + ".release") and time.monotonic() < end:
    time.sleep(0.05)
uac.sendto(d.request("BYE", 2, tagged=True), (callee, gport))
bye = wait_for(uas, "BYE ", "BYE")
uas.sendto(d.response(bye, 200, "OK"), (caller, cport))
wait_for(uac, "SIP/2.0 200", "200 OK to BYE")
PY

# long_call: set up the call, read it back (dump and get), end it, and
# keep what the monitor printed. Cases below judge the files.
long_call()
{
	local pid rc

	rvg config set max-streams-per-call $LONG_FLOWS || return 1
	start_monitor long -j || return 1
	echo "# long_call.py: $LONG_MEDIA media lines, a 256-octet Call-ID" >&2
	"$DP_PY" -S "$work/long_call.py" "$DP_DIR" "$voice" "$gateway" \
		$V4_VOICE $V4_GW2 "$work/long" $((10 * DP_SLOW)) \
		$LONG_MEDIA 256 &
	pid=$!
	slowwait $((20 * DP_SLOW)) test -e "$work/long.ready" ||
		echo "# the call was not set up"
	LONG_CID=$(cat "$work/long.ready" 2>/dev/null)
	"$VGCTL" -n "$router" -j call show >"$work/long-dump.json"
	"$VGCTL" -n "$router" -j call show "$LONG_CID" >"$work/long-get.json"
	"$VGCTL" -n "$router" -s call show "$LONG_CID" | sed 's/^/# /'
	touch "$work/long.release"
	wait $pid
	rc=$?
	long_ended()
	{
		grep -q '"call_end"' "$work/long.out"
	}
	slowwait $((5 * DP_SLOW)) long_ended
	stop_monitor long INT
	rvg config set max-streams-per-call 8
	echo "# long_call.py exit $rc"
	[ $rc -eq 0 ] && [ ${#LONG_CID} -eq 256 ]
}
long_call || echo "# the long call failed"

# long_streams FILE EXPR: EXPR gives the call; true when it has every
# stream and says nothing was left out.
long_streams()
{
	python3 - "$1" "$2" "$LONG_CID" "$LONG_STREAMS" <<'PY'
import json, sys
E = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
if len(E) == 1 and isinstance(E[0], list):
    E = E[0]
cid, want = sys.argv[3], int(sys.argv[4])
calls = eval(sys.argv[2])
got = [(len(c["streams"]), c["streams_truncated"]) for c in calls]
print("# %s: (streams, truncated) %s, want %d" % (sys.argv[1], got, want))
sys.exit(0 if got == [(want, False)] and
         all(s["call_id"] == cid for c in calls for s in c["streams"]) else 1)
PY
}

long_show()
{
	long_streams "$work/long-dump.json" "[c for c in E if c['call_id'] == cid]" &&
	long_streams "$work/long-get.json" "E"
}
ktap_test_result "call show and call show CALL-ID: all $LONG_STREAMS streams of a 256-octet Call-ID" \
	long_show
ktap_test_result "call_end event: all $LONG_STREAMS streams of that call" \
	long_streams "$work/long.out" "[e['call'] for e in E if e['event'] == 'call_end' and e['call']['call_id'] == cid]"

# flow flush during a call: each of its pinholes expires with cause flush.
flush_events()
{
	local uac_pid

	start_monitor flush -j || return 1
	n "$voice" sipp -sn uac -i $V4_VOICE -p 5067 -mi $V4_VOICE -m 1 \
		-d $((10000 * DP_SLOW)) -nostdin -timeout 120s $V4_GW:5060 \
		>"$work/uac-5067.log" 2>&1 &
	uac_pid=$!
	opened()
	{
		[ "$(grep -c '"pinhole_open"' "$work/flush.out")" -ge 4 ]
	}
	slowwait $((10 * DP_SLOW)) opened || echo "# pinholes did not open"
	rvg flow flush
	expired()
	{
		[ "$(grep -c '"pinhole_expire"' "$work/flush.out")" -ge 4 ]
	}
	slowwait $((5 * DP_SLOW)) expired
	stop_monitor flush INT
	# the call is held long past this check: end sipp, not the call
	kill $uac_pid 2>/dev/null
	wait $uac_pid 2>/dev/null
	python3 - "$work/flush.out" <<'PY'
import json, sys
E = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
opened = sorted(e["flow_id"] for e in E if e["event"] == "pinhole_open")
expired = [e for e in E if e["event"] == "pinhole_expire"]
print("# opened %s, expired %s" % (opened, [(e["flow_id"], e["cause"]) for e in expired]))
ok = (opened and sorted(e["flow_id"] for e in expired) == opened and
      all(e["cause"] == "flush" and e["streams"][0]["state"] == "closed"
          for e in expired))
sys.exit(0 if ok else 1)
PY
}
ktap_test_result "flow flush: pinhole_expire with cause flush for each pinhole" \
	flush_events

# An INVITE flood from the second phone address: flood_start, then
# flood_end once it has been quiet a few seconds; a configuration change
# is an event too.
flood_events()
{
	rvg limit set sip-source 20 10 || return 1
	start_monitor flood -j || return 1
	n "$voice" sipp -sn uac -i $V4_VOICE2 -p 5070 -r 100 -m 100 -nr \
		-recv_timeout 2000 -nostdin -timeout 30s $V4_GW:5060 \
		>"$work/flood.log" 2>&1
	rvg config set event-rate 100 || return 1
	flood_ended()
	{
		grep -q '"flood_end"' "$work/flood.out"
	}
	slowwait $((15 * DP_SLOW)) flood_ended
	stop_monitor flood INT
	sed 's/^/# flood event: /' "$work/flood.out" | grep -v pinhole_open
	python3 - "$work/flood.out" "$V4_VOICE2/32" <<'PY'
import json, sys
E = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
kinds = [e["event"] for e in E if e["event"] in ("flood_start", "flood_end")]
srcs = set(e["sources"][0]["prefix"] for e in E if e["event"] in ("flood_start", "flood_end"))
start = [e for e in E if e["event"] == "flood_start"]
ok = (kinds == ["flood_start", "flood_end"] and srcs == {sys.argv[2]} and
      start[0]["sources"][0]["zone"] == "voice" and
      any(e["event"] == "config" and e["generation"] > 0 for e in E))
sys.exit(0 if ok else 1)
PY
}
ktap_test_result "flood_start and flood_end of the flooding source, config event" \
	flood_events

# With one event per second, a call's burst (start and pinholes) is cut.
rate_limit()
{
	local lost

	rvg config set event-rate 1 && rvg stats reset || return 1
	start_monitor limited -j || return 1
	call 5065 || { echo "# the call failed"; stop_monitor limited INT; return 1; }
	stop_monitor limited INT
	lost=$(rstats | json_get "d['events_lost']")
	echo "# events: $(wc -l <"$work/limited.out") received, $lost lost"
	cut -c1-120 "$work/limited.out" | sed 's/^/# limited event: /'
	[ "$lost" -gt 0 ] && [ "$(wc -l <"$work/limited.out")" -ge 1 ]
}
ktap_test_result "event-rate 1: events over the rate counted as events_lost" \
	rate_limit

ktap_test_result "no kernel report" kmsg_check
ktap_finished
