#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# State dumps and counters while calls run (topology in dp_lib.sh): sipp's
# built-in uac on the voice host calls its built-in uas on the gateway
# through the router and holds the call a few seconds.
#
# Expected, on the router: call show lists the call (voice -> gateway, both
# parties, confirmed) and call show CALL-ID gets it with its streams; flow
# show lists its streams in the replay shape; source show lists the caller;
# stats show counts the call, its streams, SIP per class and per zone pair;
# flow flush empties the media table; an unknown Call-ID is an error with
# the kernel's message; UDP to a closed media port is counted as
# rtp_no_pinhole in JSON and in the Prometheus output, which parses line by
# line. Many concurrent calls make dumps that span several messages and
# must still list every call and stream exactly once, also when the
# configuration changes between the parts of the call dump (nl_inject.c):
# vgctl then dumps again.

. "$(dirname "$0")/dp_lib.sh"

dp_require
checktool "command -v sipp" "sipp"

# Each call with its four streams takes over a kilobyte in a dump; a part
# holds at most 32 KiB, so these make several parts.
if [ "${VG_DEBUG_KERNEL:-0}" = 1 ]; then
	MANY=${VG_DUMP_CALLS:-60}
	MANY_RATE=10
else
	MANY=${VG_DUMP_CALLS:-150}
	MANY_RATE=50
fi
# Long enough for every check below while the call is up: in an emulated
# VM on a busy host one vgctl run can take seconds.
HOLD_MS=$((30000 + 5000 * (DP_SLOW - 1)))

ktap_print_header
ktap_set_plan 22
kmsg_mark

setup()
{
	dp_zones &&
	rvg limit set sip-source 10000 10000 &&
	rvg limit set calls-per-source 100000
}
dp_setup "zones, policy and limits configured with vgctl" setup

work=$(mktemp -d)
defer rm -rf "$work"

n "$gateway" sipp -sn uas -i $V4_GW -p 5060 -mi $V4_GW -nostdin \
	-timeout 300s >"$work/uas.log" 2>&1 &
uas_pid=$!
defer kill $uas_pid
listening()
{
	ss -N "$gateway" -lun | grep -qF "$V4_GW:5060"
}
busywait $((5000 * DP_SLOW)) listening || echo "# sipp uas is not listening"

rvg stats reset

# One call, held HOLD_MS after the ACK.
n "$voice" sipp -sn uac -i $V4_VOICE -p 5060 -mi $V4_VOICE -m 1 \
	-d $HOLD_MS -nostdin -timeout 120s $V4_GW:5060 \
	>"$work/uac.log" 2>&1 &
uac_pid=$!
defer kill $uac_pid

rjson()
{
	"$VGCTL" -n "$router" -j "$@"
}

confirmed()
{
	rjson call show >"$work/calls.json" 2>/dev/null &&
	[ "$(jget "$work/calls.json" "len([c for c in d if c['state'] == 'confirmed'])")" = 1 ]
}
slowwait $((30 * DP_SLOW)) confirmed
CALL_ID=$(jget "$work/calls.json" "d[0]['call_id']" 2>/dev/null)
echo "# Call-ID: $CALL_ID"
rjson stats show >"$work/stats.json"
rjson call show "$CALL_ID" >"$work/call.json"
rjson flow show >"$work/flows.json"
rjson source show >"$work/sources.json"
"$VGCTL" -n "$router" call show
"$VGCTL" -n "$router" flow show
"$VGCTL" -n "$router" source show
sed 's/^/# calls: /' "$work/calls.json"
sed 's/^/# flows: /' "$work/flows.json"

call_listed()
{
	[ "$(jget "$work/calls.json" "len(d) == 1 and d[0]['state'] == 'confirmed' and d[0]['caller'] == '$V4_VOICE:5060' and d[0]['callee'] == '$V4_GW:5060' and d[0]['from_zone'] == 'voice' and d[0]['to_zone'] == 'gateway' and d[0]['age_ms'] > 0")" = True ]
}
ktap_test_result "call show: the call, its parties, zones and state" call_listed

call_get()
{
	[ "$(jget "$work/call.json" "len(d) == 1 and d[0]['call_id'] == '''$CALL_ID''' and len(d[0]['streams']) >= 2")" = True ]
}
ktap_test_result "call show CALL-ID: the call with its streams" call_get

STREAM_KEYS="call_id src dst ssrc payload_type clock_rate srtp state packets bytes dropped lost duplicates reordered rtcp_packets jitter_mean_ms jitter_max_ms mos"
flows_shape()
{
	[ "$(jget "$work/flows.json" "len(d) >= 2 and all(set(f) == set('$STREAM_KEYS'.split()) and f['state'] == 'open' for f in d)")" = True ]
}
ktap_test_result "flow show: streams in the replay shape, open before media" \
	flows_shape

flows_of_call()
{
	[ "$(jget "$work/flows.json" "sorted(f['dst'].rsplit(':', 1)[0] for f in d if f['call_id'] == '''$CALL_ID''') == sorted(['$V4_VOICE', '$V4_GW'])")" = True ]
}
ktap_test_result "flow show: one stream to each party, with the Call-ID" \
	flows_of_call

source_listed()
{
	[ "$(jget "$work/sources.json" "[(s['zone'], s['calls'], s['passed'] >= 2) for s in d if s['prefix'] == '$V4_VOICE/32'] == [('voice', 1, True)]")" = True ]
}
ktap_test_result "source show: the caller, its zone, call and requests" \
	source_listed

occupancy()
{
	jget "$work/stats.json" "'# calls %d, streams %d, sources %d' % (d['calls'], d['streams'], d['sources'])"
	[ "$(jget "$work/stats.json" "d['calls'] == 1 and d['streams'] >= 2 and d['sources'] >= 1")" = True ]
}
ktap_test_result "stats show: calls, streams and sources in the tables" \
	occupancy

per_class()
{
	[ "$(jget "$work/stats.json" "d['classes']['sip']['packets'] >= 3 and d['classes']['sip']['bytes'] > 0")" = True ]
}
ktap_test_result "stats show: SIP counted per class" per_class

per_pair()
{
	[ "$(jget "$work/stats.json" "[p['packets'] >= 2 for p in d['zone_pairs'] if p['from'] == 'voice' and p['to'] == 'gateway'] == [True]")" = True ]
}
ktap_test_result "stats show: voice -> gateway counted per zone pair" per_pair

unknown_call()
{
	local out

	out=$("$VGCTL" -n "$router" call show no-such-call-id@example 2>&1)
	local rc=$?
	echo "# $out (exit $rc)"
	[ $rc -eq 1 ] && [[ $out == *"kernel: "*"no call"* ]]
}
ktap_test_result "call show of an unknown Call-ID: error with the kernel's message" \
	unknown_call

flush()
{
	rvg flow flush &&
	[ "$(rjson flow show | json_get 'len(d)')" = 0 ] &&
	[ "$(rjson stats show | json_get "d['streams']")" = 0 ]
}
ktap_test_result "flow flush empties the media table" flush

wait $uac_pid
uac_rc=$?
echo "# sipp uac exit $uac_rc"
[ $uac_rc -ne 0 ] && tail -n 20 "$work/uac.log" | sed 's/^/# uac: /'
ended()
{
	[ "$(rjson call show | json_get 'len(d)')" = 0 ]
}
ktap_test_result "the call completed and left the call table" \
	eval '[ $uac_rc -eq 0 ] && slowwait $((5 * DP_SLOW)) ended'

# Raw requests vgctl would never send: each refused with an extack message.
raw_errors()
{
	ip netns exec "$router" python3 - "$DP_DIR" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[1])
import genl_probe as gp
E = gp.E
g = gp.Genl()
fam = g.family_id("voipguard")
nest = lambda t, b: gp.nla(t | gp.NLA_F_NESTED, b)
u64 = lambda v: struct.pack("=Q", v)
cases = [
    ("call get without a Call-ID", E["VG_CMD_CALL_GET"], b"", 22),
    ("call get with an empty nest", E["VG_CMD_CALL_GET"],
     nest(E["VG_A_CALL"], b""), 22),
    ("call get with a read-only key", E["VG_CMD_CALL_GET"],
     nest(E["VG_A_CALL"], gp.nla(E["VG_CALL_A_STATE"], gp.u8(1))), 22),
    ("flow get of an unknown id", E["VG_CMD_FLOW_GET"],
     nest(E["VG_A_FLOW"], gp.nla(E["VG_FLOW_A_ID"], u64(1 << 60))), 2),
    ("flow get with a short id", E["VG_CMD_FLOW_GET"],
     nest(E["VG_A_FLOW"], gp.nla(E["VG_FLOW_A_ID"], b"\1\0\0\0")), 22),
    ("flow flush with an attribute", E["VG_CMD_FLOW_FLUSH"],
     gp.nla(E["VG_A_GENERATION"], b"\1\0\0\0"), 22),
    ("stats reset with an attribute", E["VG_CMD_STATS_RESET"],
     gp.nla(E["VG_A_GENERATION"], b"\1\0\0\0"), 22),
]
bad = 0
for name, cmd, attrs, want in cases:
    err, _ = g.request(fam, cmd, attrs)
    print("# %s: errno %d, message %r" % (name, err["errno"], err["msg"]))
    if err["errno"] != want or not err["msg"]:
        bad += 1
sys.exit(bad)
PY
}
ktap_test_result "raw requests with missing, unknown or wrong attributes: errors with messages" \
	raw_errors

# RTP-like UDP between media ports with no pinhole (media-strict) is
# dropped.
before=$(stat_of drops rtp_no_pinhole)
n "$voice" "$DP_PY" -S -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("'$V4_VOICE'", 20002))
for i in range(5):
    s.sendto(b"\x80\x00" + bytes(10), ("'$V4_GW'", 20000))
'
no_pinhole()
{
	[ $(($(stat_of drops rtp_no_pinhole) - before)) -ge 5 ]
}
ktap_test_result "UDP to a closed media port counted as rtp_no_pinhole" \
	slowwait $((3 * DP_SLOW)) no_pinhole

rjson stats show >"$work/stats.json"
"$VGCTL" -n "$router" stats show --prometheus >"$work/prom.txt"
sed 's/^/# prometheus: /' "$work/prom.txt" | grep -v ' 0$' | head -40
prom_parses()
{
	python3 - "$work/prom.txt" <<'PY'
import re, sys
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)?\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)$')
helped, typed, seen = set(), set(), set()
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    if line.startswith("# HELP "):
        helped.add(line.split()[2])
        continue
    if line.startswith("# TYPE "):
        name, kind = line.split()[2:4]
        assert kind in ("counter", "gauge"), line
        typed.add(name)
        continue
    m = sample.match(line)
    if not m:
        sys.exit("line %d does not parse: %r" % (n, line))
    seen.add(m.group(1))
missing = seen - helped | seen - typed
if missing or not seen:
    sys.exit("no HELP/TYPE for %s" % sorted(missing))
PY
}
ktap_test_result "stats show --prometheus: every line parses, every metric has HELP and TYPE" \
	prom_parses

prom_matches_json()
{
	local want got

	want=$(jget "$work/stats.json" "d['drops']['rtp_no_pinhole']")
	got=$(sed -n 's/^voipguard_drops_total{reason="rtp_no_pinhole"} //p' "$work/prom.txt")
	echo "# rtp_no_pinhole: json $want, prometheus $got"
	[ -n "$got" ] && [ "$got" -ge 5 ] && [ "$got" -eq "$want" ]
}
ktap_test_result "prometheus drops_total{reason=rtp_no_pinhole} matches the JSON" \
	prom_matches_json

reset_zeroes()
{
	rvg stats reset &&
	[ "$(rjson stats show | json_get "d['drops']['rtp_no_pinhole'] == 0 and d['classes']['sip']['packets'] == 0")" = True ]
}
ktap_test_result "stats reset zeroes reasons and classes" reset_zeroes

# Many calls at once: dumps larger than one message. Every call is held
# past the last check (which then ends sipp): on a slow one-CPU debug VM
# the checks after the set-up have taken over four minutes.
MANY_HOLD_MS=$((MANY * 1000 / MANY_RATE + 4 * HOLD_MS))
n "$voice" sipp -sn uac -i $V4_VOICE2 -p 5062 -mi $V4_VOICE2 -m "$MANY" \
	-r $MANY_RATE -l "$MANY" -d $MANY_HOLD_MS \
	-nostdin -timeout $((MANY_HOLD_MS / 1000 + 120))s $V4_GW:5060 \
	>"$work/many.log" 2>&1 &
many_pid=$!
defer kill $many_pid
all_up()
{
	rjson call show >"$work/many-calls.json" 2>/dev/null &&
	[ "$(jget "$work/many-calls.json" "len([c for c in d if c['state'] == 'confirmed'])")" -ge "$MANY" ]
}
slowwait $((MANY_HOLD_MS / 1000)) all_up
rjson flow show >"$work/many-flows.json"
rjson stats show >"$work/many-stats.json"
many_calls()
{
	local n

	n=$(jget "$work/many-calls.json" "len(set(c['call_id'] for c in d)) if len(d) == len(set(c['call_id'] for c in d)) else -1")
	echo "# distinct calls dumped: $n, expected $MANY"
	[ "$n" = "$MANY" ]
}
ktap_test_result "call dump over several messages: $MANY calls, each once" \
	many_calls
# sipp's built-in scenarios give every call the same media ports, so
# calls share pinholes: the flow dump must list each (stream, call) once
# and agree with the streams the call dump reported.
many_flows()
{
	python3 - "$work/many-flows.json" "$work/many-calls.json" <<'PY'
import json, sys
flows = json.load(open(sys.argv[1]))
calls = json.load(open(sys.argv[2]))
fkeys = [(f["dst"], f["call_id"]) for f in flows]
ckeys = set((s["dst"], c["call_id"]) for c in calls for s in c["streams"])
print("# streams in flow dump: %d, in call dump: %d" % (len(fkeys), len(ckeys)))
sys.exit(not (fkeys and len(fkeys) == len(set(fkeys)) and set(fkeys) <= ckeys))
PY
}
ktap_test_result "flow dump over several messages: every stream once" many_flows

# A change once the first part is read: the kernel flags the later parts
# NLM_F_DUMP_INTR (a config change moves the dump's generation too).
call_dump_interrupted()
{
	cc -O1 -Wall -Werror -shared -fPIC -o "$work/nl_inject.so" \
		"$REPO/tests/selftests/nl_inject.c" -ldl || return 1
	echo "# call show with a configuration change after its first part"
	ip netns exec "$router" env LD_PRELOAD="$work/nl_inject.so" \
		VG_INJECT_LOG="$work/inject.log" \
		VG_INJECT_INTR_CMD="$VGCTL config set mark-rtp 0" \
		"$VGCTL" -j call show >"$work/intr-calls.json" || return 1
	echo "# events: $(sort "$work/inject.log" | uniq -c | xargs)"
	[ "$(grep -cx changed "$work/inject.log")" = 1 ] &&
	[ "$(grep -cx intr "$work/inject.log")" -ge 1 ] &&
	[ "$(grep -cx done "$work/inject.log")" -ge 2 ] &&
	[ "$(jget "$work/intr-calls.json" "len(d) == len(set(c['call_id'] for c in d)) and len(d)")" = "$MANY" ]
}
if command -v cc >/dev/null; then
	ktap_test_result "call dump interrupted by a change: dumped again, $MANY calls, each once" \
		call_dump_interrupted
else
	ktap_test_skip "call dump interrupted by a change: dumped again, $MANY calls, each once" \
		"no C compiler"
fi

# Its calls are held past every check above; ending sipp early leaves them
# to the namespace's teardown, which frees them.
kill $many_pid 2>/dev/null
wait $many_pid 2>/dev/null

ktap_test_result "no kernel report" kmsg_check
ktap_finished
