#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Zone policy (topology in dp_lib.sh), IPv4 and IPv6: the NIST rule "no
# SIP, H.323 or MGCP from the data network at the voice gateway". The data
# host sends, COUNT times each, a SIP OPTIONS (UDP 5060), H.323 RAS (UDP
# 1719), MGCP (UDP 2427 and 2727) and other UDP (9999) to the gateway,
# then opens TCP connections to H.323 call signalling (1720) and to another
# TCP port (8080). A packet socket on the gateway sees what got through.
#
# Expected: no SIP, H.323 or MGCP packet reaches the gateway and the
# router counts each as zone_policy; the other UDP and the TCP connection
# to 8080 are untouched; a voice-zone call to the gateway still works.

. "$(dirname "$0")/dp_lib.sh"

dp_require
COUNT=5

ktap_print_header
ktap_set_plan 20
kmsg_mark

dp_setup

work=$(mktemp -d)
defer rm -rf "$work"

# zones_case FAMILY SRC DST
zones_case()
{
	local fam=$1 out=$work/zones-$1.json before after cls

	before=$(stat_of drops zone_policy)
	echo "# dp_voip.py zones --src $2 --dst $3 --count $COUNT" >&2
	"$DP_PY" -S "$DP_VOIP" zones --data "$data" --gateway "$gateway" \
		--gw-iface g0 --src "$2" --dst "$3" --count $COUNT \
		--timeout $((10 * DP_SLOW)) >"$out"
	after=$(stat_of drops zone_policy)
	sed 's/^/# /' "$out"

	local v i=0
	mapfile -t v < <(vals "$out" "d['seen']['sip']" "d['seen']['h323_udp']" \
		"d['seen']['mgcp_2427']" "d['seen']['mgcp_2727']" \
		"d['seen']['h323_tcp']" "d['seen']['other_udp']" \
		"d['tcp_connected']['other_tcp']")
	for cls in sip h323_udp mgcp_2427 mgcp_2727 h323_tcp; do
		expect "$fam: data -> gateway $cls dropped" "${v[i]}" -eq 0
		i=$((i + 1))
	done
	# COUNT datagrams of each UDP class and at least one SYN to 1720
	expect "$fam: zone_policy counted them" \
		"$((after - before))" -ge $((4 * COUNT + 1))
	expect "$fam: other UDP from data passes" "${v[5]}" -eq $COUNT
	ktap_test_result "$fam: other TCP from data connects and carries data" \
		[ "${v[6]}" = True ]
}

zones_case ipv4 $V4_DATA $V4_GW
zones_case ipv6 $V6_DATA $V6_GW

voice_call()
{
	dp_call --caller $V4_VOICE --callee $V4_GW --rtp 20 >"$work/call.json"
	[ "$(jget "$work/call.json" "d['ok'] and d['seen']['rtp_up'] == 20")" = True ]
}
ktap_test_result "voice -> gateway call still passes" voice_call

ktap_test_result "no kernel report" kmsg_check
ktap_finished
