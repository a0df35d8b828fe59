#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The RFC 4475 torture messages through the router (topology in dp_lib.sh):
# each file of ../shared/corpus/sip/rfc4475/ is sent as one UDP datagram
# from the voice host to the gateway's SIP port (longreq is larger than the
# MTU and arrives in fragments). The router's SIP rate and call limits are
# raised so only validation decides.
#
# Expected: the messages RFC 4475 calls valid (3.1.1, 3.2, 3.3, 3.4) reach
# the gateway byte for byte; the invalid ones (3.1.2) do not; the router's
# drop counters grow, reason by reason, by exactly what `vgctl -j inspect`
# (the same protocol core, in user space) says about the same files.

. "$(dirname "$0")/dp_lib.sh"

dp_require
CORPUS=$REPO/../shared/corpus/sip/rfc4475
[ -d "$CORPUS" ] || skip_all "corpus $CORPUS not found"

# RFC 4475 section 3: what must pass and what must be dropped.
PASS="wsinv intmeth esc01 escnull esc02 lwsdisp longreq dblreq semiuri
transports mpart01 unreason noreason badbranch insuf unkscm novelsc unksm2
bext01 invut regaut01 multi01 mcl01 bcast zeromf cparam01 cparam02 regescrt
sdp01 inv2543"
DROP="badinv01 clerr ncl scalar02 scalarlg quotbal ltgtruri lwsruri lwsstart
trws escruri baddate regbadct badaspec baddn badvers mismatch01 mismatch02
bigcode"

ktap_print_header
ktap_set_plan $((2 + $(echo $PASS $DROP | wc -w) + 3))
kmsg_mark

limits()
{
	dp_zones &&
	rvg limit set sip-source 100000 100000 &&
	rvg limit set calls-per-source 100000
}
dp_setup "zones configured, SIP limits raised, with vgctl" limits

work=$(mktemp -d)
defer rm -rf "$work"

files=()
for f in $PASS $DROP; do
	files+=("$CORPUS/$f.dat")
done

echo "# vgctl -j inspect (the user-space verdicts)"
"$VGCTL" -j inspect "${files[@]}" >"$work/inspect.json"
rstats >"$work/before.json"
echo "# dp_voip.py datagrams ${#files[@]} files $V4_VOICE -> $V4_GW:5060" >&2
"$DP_PY" -S "$DP_VOIP" datagrams --voice "$voice" --gateway "$gateway" \
	--src $V4_VOICE --dst $V4_GW --sport 5060 --port 5060 \
	--timeout $((10 * DP_SLOW)) "${files[@]}" >"$work/sent.json"
rstats >"$work/after.json"

ktap_test_result "end marker received (every datagram had its chance)" \
	[ "$(jget "$work/sent.json" "d['marker']")" = True ]

# One line per file: NAME RECEIVED REASON (as inspect gives it).
declare -A got reason
while read -r f r w; do
	got[$f]=$r
	reason[$f]=$w
done < <("$DP_PY" -S - "$work/sent.json" "$work/inspect.json" <<'PY'
import json, os, sys
sent = json.load(open(sys.argv[1]))["received"]
why = {os.path.basename(x["file"]): x["reason"] for x in json.load(open(sys.argv[2]))}
for f, r in sent.items():
    print(f[:-4], r, why.get(f))
PY
)
for f in $PASS; do
	ktap_test_result "$f (valid) reaches the gateway" [ "${got[$f]:-}" = True ]
done
for f in $DROP; do
	ktap_test_result "$f (invalid, ${reason[$f]:-?}) dropped" [ "${got[$f]:-}" = False ]
done

# Per reason: the kernel's drops equal inspect's drop verdicts.
compare_reasons()
{
	"$DP_PY" -S - "$work/inspect.json" "$work/before.json" "$work/after.json" <<'PY'
import json, sys
inspect = json.load(open(sys.argv[1]))
before = json.load(open(sys.argv[2])).get("drops", {})
after = json.load(open(sys.argv[3])).get("drops", {})
want = {}
for x in inspect:
    if x["verdict"] == "drop":
        want[x["reason"]] = want.get(x["reason"], 0) + 1
got = {r: after.get(r, 0) - before.get(r, 0) for r in set(after) | set(want)}
got = {r: n for r, n in got.items() if n}
print("# inspect drops:", json.dumps(want, sort_keys=True))
print("# router drops: ", json.dumps(got, sort_keys=True))
sys.exit(0 if got == want else 1)
PY
}
ktap_test_result "router drop reasons equal vgctl inspect's, count for count" \
	compare_reasons

ktap_test_result "no kernel report" kmsg_check
ktap_finished
