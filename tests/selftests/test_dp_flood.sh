#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An INVITE flood from one voice-zone source while another voice source
# calls (topology in dp_lib.sh), IPv4 and IPv6. The router allows 20 SIP
# requests per second per source (burst 10). sipp on the second phone
# address sends FLOOD INVITEs at 100 per second without retransmissions
# to a sipp uas on the gateway; once they reach the gateway, the scripted
# UA calls from the first phone address to the gateway's second address
# (the IPv6 addresses lie in different /64s, so they are different
# sources).
#
# Expected: fewer INVITEs from the flooder reach the gateway than it sent,
# the router counts at least the missing ones as sip_rate, and the other
# call completes with all its RTP.

. "$(dirname "$0")/dp_lib.sh"

dp_require
checktool "command -v sipp" "sipp"

if [ "${VG_DEBUG_KERNEL:-0}" = 1 ]; then
	FLOOD=${DP_FLOOD:-100}
	RATE=50
else
	FLOOD=${DP_FLOOD:-200}
	RATE=100
fi

ktap_print_header
ktap_set_plan 13
kmsg_mark

limits()
{
	dp_zones &&
	rvg limit set sip-source 20 10 &&
	rvg limit set calls-per-source 1000
}
dp_setup "zones, policy and SIP limits configured with vgctl" limits

work=$(mktemp -d)
defer rm -rf "$work"

# flood_case FAMILY FLOODER GW CALLER GW2
flood_case()
{
	local fam=$1 flooder=$2 gw=$3 caller=$4 gw2=$5 target before after
	local uas_pid uac_pid call_pid uac_rc seen out=$work/call-$1.json

	if [ "$fam" = ipv6 ]; then
		target="[$gw]:5060"
	else
		target="$gw:5060"
	fi
	dp_capture "gw$fam" "$gateway" g0 "$work" ||
		echo "# capture did not start"
	before=$(stat_of drops sip_rate)

	n "$gateway" sipp -sn uas -i "$gw" -p 5060 -nostdin -timeout 60s \
		>"$work/uas-$fam.log" 2>&1 &
	uas_pid=$!
	defer kill $uas_pid
	listening()
	{
		ss -N "$gateway" -lun | grep -qF "$target"
	}
	busywait $((30000 * DP_SLOW)) listening || echo "# sipp uas is not listening"

	# The call waits, capturing, for the flood to reach the gateway; the
	# flood starts once the call's side is ready.
	dp_call --caller "$caller" --callee "$gw2" --rtp "$DP_RTP" \
		--wait-sip-from "$flooder" --ready "$work/ready-$fam" >"$out" &
	call_pid=$!
	busywait $((30000 * DP_SLOW)) test -e "$work/ready-$fam" ||
		echo "# the call side did not get ready"

	n "$voice" sipp -sn uac -i "$flooder" -p 5060 -r $RATE -m "$FLOOD" \
		-nr -recv_timeout 2000 -nostdin -timeout 60s "$target" \
		>"$work/uac-$fam.log" 2>&1 &
	uac_pid=$!
	defer kill $uac_pid

	wait $call_pid
	jget "$out" "json.dumps({k: d[k] for k in ('ok', 'step', 'error', 'sent', 'seen') if k in d})" |
		sed 's/^/# /'

	wait $uac_pid
	uac_rc=$?
	echo "# sipp uac (flooder) exit $uac_rc"
	grep -E 'Successful call|Failed call|Outgoing calls' "$work/uac-$fam.log" |
		tail -n 3 | sed 's/^/# flooder: /'
	kill $uas_pid 2>/dev/null
	dp_capture_stop "gw$fam" "$work"
	after=$(stat_of drops sip_rate)
	seen=$(jget "$work/gw$fam.json" "d.get('$flooder>$gw:5060', {}).get('sip_requests', {}).get('INVITE', 0)")

	local v
	mapfile -t v < <(vals "$out" "d['ok']" \
		"d['seen']['rtp_up'] == d['sent']['norm_up'] and d['seen']['rtp_down'] == d['sent']['norm_down']")
	ktap_test_result "$fam: the other source's call completed during the flood" \
		[ "${v[0]}" = True ]
	ktap_test_result "$fam: and all its RTP passed" [ "${v[1]}" = True ]
	expect "$fam: some flood INVITEs passed (the burst)" "$seen" -gt 0
	expect "$fam: flood limited: INVITEs reaching the gateway (of $FLOOD)" \
		"$seen" -lt "$FLOOD"
	expect "$fam: sip_rate counted the INVITEs held back" \
		"$((after - before))" -ge $((FLOOD - seen > 0 ? FLOOD - seen : 1))
}

flood_case ipv4 $V4_VOICE2 $V4_GW $V4_VOICE $V4_GW2
flood_case ipv6 $V6_VOICE2 $V6_GW $V6_VOICE $V6_GW2

ktap_test_result "no kernel report" kmsg_check
ktap_finished
