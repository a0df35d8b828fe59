#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Monitor mode (topology in dp_lib.sh), IPv4 and IPv6. With the router in
# `config set mode monitor`, the same abuse as the enforcing tests: an
# INVITE flood from the second phone address (over a 20/s, burst 10
# limit), then a call from the first with malformed RTP and RTP from a
# foreign host inside it and RTP after its BYE. Then back in enforce mode, a
# per-policy monitor rule (data -> gateway sip monitor) next to a drop rule.
#
# Expected: everything reaches the gateway; nothing is counted as dropped;
# each would-be drop is counted under "monitored" with its reason. With the
# per-policy rule, data-zone SIP passes and is counted as monitored
# zone_policy while H.323 from the data zone is still dropped.

. "$(dirname "$0")/dp_lib.sh"

dp_require

if [ "${VG_DEBUG_KERNEL:-0}" = 1 ]; then
	FLOOD=${DP_FLOOD:-60}
else
	FLOOD=${DP_FLOOD:-200}
fi
BAD=6
ROGUE=5
AFTER=8

ktap_print_header
ktap_set_plan 33
kmsg_mark

setup()
{
	dp_zones &&
	rvg limit set sip-source 20 10 &&
	rvg limit set calls-per-source 100000 &&
	rvg config set mode monitor
}
dp_setup "zones, limits and monitor mode configured with vgctl" setup

work=$(mktemp -d)
defer rm -rf "$work"

# monitor_case FAMILY CALLER CALLEE FLOODER
monitor_case()
{
	local fam=$1 out=$work/call-$1.json r

	dp_call --caller "$2" --callee "$3" --rtp "$DP_RTP" \
		--flood-from "$4" --flood-count "$FLOOD" \
		--bad $BAD --rogue "$4" --rogue-count $ROGUE \
		--after-bye $AFTER >"$out"
	jget "$out" "json.dumps({k: d[k] for k in ('ok', 'step', 'error', 'sent', 'seen') if k in d})" |
		sed 's/^/# /'

	local v
	mapfile -t v < <(vals "$out" \
		"d['ok']" \
		"d['seen']['invites_from_flooder']" \
		"$(delta start end monitored sip_rate)" \
		"d['seen']['bad']" \
		"$(delta start end monitored rtp_bad_header)" \
		"d['seen']['rogue']" \
		"$(delta start end monitored rtp_wrong_source)" \
		"d['seen']['after']" \
		"$(delta bye end monitored rtp_no_pinhole)" \
		"$(delta start end drops sip_rate)" \
		"$(delta start end drops rtp_bad_header)" \
		"$(delta start end drops rtp_wrong_source)" \
		"$(delta start end drops rtp_no_pinhole)")

	ktap_test_result "$fam: call completed" [ "${v[0]}" = True ]
	expect "$fam: every flood INVITE passed" "${v[1]}" -eq "$FLOOD"
	expect "$fam: the flood counted as monitored sip_rate" \
		"${v[2]}" -ge $((FLOOD / 2))
	expect "$fam: malformed RTP passed" "${v[3]}" -eq $BAD
	expect "$fam: counted as monitored rtp_bad_header" "${v[4]}" -eq $BAD
	expect "$fam: foreign RTP passed" "${v[5]}" -eq $ROGUE
	expect "$fam: counted as monitored rtp_wrong_source" "${v[6]}" -eq $ROGUE
	expect "$fam: RTP after BYE passed" "${v[7]}" -eq $AFTER
	expect "$fam: counted as monitored rtp_no_pinhole" "${v[8]}" -eq $AFTER
	expect "$fam: nothing dropped as sip_rate" "${v[9]}" -eq 0
	expect "$fam: nothing dropped as rtp_bad_header" "${v[10]}" -eq 0
	expect "$fam: nothing dropped as rtp_wrong_source" "${v[11]}" -eq 0
	expect "$fam: nothing dropped as rtp_no_pinhole" "${v[12]}" -eq 0
}

monitor_case ipv4 $V4_VOICE $V4_GW $V4_VOICE2
monitor_case ipv6 $V6_VOICE $V6_GW $V6_VOICE2

# Per-policy monitor in enforce mode.
policy_monitor()
{
	rvg config set mode enforce &&
	rvg policy set data gateway sip monitor
}
ktap_test_result "enforce mode with a per-policy monitor rule" policy_monitor
before_mon=$(stat_of monitored zone_policy)
"$DP_PY" -S "$DP_VOIP" zones --data "$data" --gateway "$gateway" --gw-iface g0 \
	--src $V4_DATA --dst $V4_GW --count 5 --timeout $((10 * DP_SLOW)) \
	>"$work/zones.json"
after_mon=$(stat_of monitored zone_policy)
sed 's/^/# /' "$work/zones.json"
expect "data -> gateway SIP passes under the monitor rule" \
	"$(jget "$work/zones.json" "d['seen']['sip']")" -eq 5
expect "and is counted as monitored zone_policy" \
	"$((after_mon - before_mon))" -ge 5
expect "data -> gateway H.323 still dropped" \
	"$(jget "$work/zones.json" "d['seen']['h323_udp']")" -eq 0

ktap_test_result "no kernel report" kmsg_check
ktap_finished
