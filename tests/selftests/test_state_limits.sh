#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The router's call and source tables at their timeouts and bounds
# (topology in dp_lib.sh):
# - call-timeout is RFC 3261 Timer C: each provisional response to the
#   INVITE starts it again, so a call that keeps ringing (a queue playing
#   early media, say) is not ended while the callee still answers 1xx,
#   and one without them is;
# - a full source table makes room by evicting a source without calls,
#   however many sources holding calls were used less recently.

. "$(dirname "$0")/dp_lib.sh"

dp_require

DP_STATE="$DP_DIR/dp_state.py"
HOLDERS=70

ktap_print_header
ktap_set_plan 8
kmsg_mark

setup()
{
	dp_zones && rvg config set source-prefix6 128 call-timeout 3
}
dp_setup "zones, policy, a source per IPv6 address, call-timeout 3" setup

out=$(mktemp)
defer rm -f "$out"

# Rings for three call-timeouts, with a 180 every second; the debug
# kernel's slowness makes no difference to a timer of seconds.
"$DP_PY" -S "$DP_STATE" ring --voice "$voice" --gateway "$gateway" \
	--router "$router" --vgctl "$VGCTL" --caller "$V6_VOICE" \
	--callee "$V6_GW" --ring 9 --timeout 10 >"$out"
sed 's/^/# /' "$out"
mapfile -t v < <(vals "$out" \
	"d['ok'] and d['listed_after_ring']" \
	"d['rtp_after_answer'] == 10")
ktap_test_result "a call ringing past call-timeout with 1xx answers stays" \
	[ "${v[0]}" = True ]
ktap_test_result "its media passes once it is answered" [ "${v[1]}" = True ]

# The same without a provisional response after the first: it ends.
"$DP_PY" -S "$DP_STATE" ring --voice "$voice" --gateway "$gateway" \
	--router "$router" --vgctl "$VGCTL" --caller "$V6_VOICE" \
	--callee "$V6_GW" --ring 9 --every 0 --timeout 10 >"$out"
sed 's/^/# /' "$out"
ktap_test_result "a call ringing past call-timeout without 1xx answers ends" \
	[ "$(vals "$out" "d['ok'] and not d['listed_after_ring']")" = True ]

# HOLDERS sources each hold an unanswered call, then one source without
# calls fills the table; a new source must evict that one.
holders=()
addrs=""
for i in $(seq 1 $((HOLDERS + 3))); do
	a="fd00:1::$(printf '%x' $((0x200 + i)))"
	addrs+="addr add $a/64 dev v0 nodad"$'\n'
	[ "$i" -le $HOLDERS ] && holders+=("$a")
done
nbatch "$voice" <<<"$addrs" || echo "# addresses not added"
filler="fd00:1::$(printf '%x' $((0x200 + HOLDERS + 1)))"
late="fd00:1::$(printf '%x' $((0x200 + HOLDERS + 2)))"

rvg config set call-timeout 180 max-sources $((HOLDERS + 1))
"$DP_PY" -S "$DP_STATE" sources --voice "$voice" --gateway "$gateway" \
	--router "$router" --vgctl "$VGCTL" --callee "$V6_GW" \
	--holders "$(IFS=,; echo "${holders[*]}")" --fillers "$filler" \
	--late "$late" --timeout 5 >"$out"
jget "$out" "json.dumps(dict({k: d.get(k) for k in ('ok', 'holders', 'fillers', 'late')}, state_full=d['stats_after']['drops'].get('state_full', 0) - d['stats_full']['drops'].get('state_full', 0)))" |
	sed 's/^/# /'
mapfile -t v < <(vals "$out" \
	"d['holders'] == $HOLDERS and d['fillers'] == 1 and d['stats_full']['sources'] == $((HOLDERS + 1))" \
	"d['late'] == [True] and d['stats_after']['drops'].get('state_full', 0) == d['stats_full']['drops'].get('state_full', 0)")
ktap_test_result "$HOLDERS sources holding calls and one without fill the table" \
	[ "${v[0]}" = True ]
ktap_test_result "a new source evicts the one without calls" \
	[ "${v[1]}" = True ]

rvg -j call show >/dev/null
ktap_test_result "no kernel report" kmsg_check
ktap_finished
