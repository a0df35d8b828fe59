#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Calls through the router, IPv4 and IPv6 (topology in dp_lib.sh): a
# scripted UA on the voice host calls the gateway (INVITE/SDP, 200/SDP, ACK,
# RTP both ways at 20 ms, BYE). Inside the live call it injects malformed
# RTP on the call's own 5-tuple and well-formed RTP from another voice
# address, RTCP on the RTP port (both sides offer rtcp-mux; the IPv6 call
# is RTP/SAVP, its RTCP SRTCP: encrypted past the first header, index and
# tag after it) and a key press (RFC 4733 telephone events); after the BYE
# it keeps sending RTP to the closed ports.
#
# Expected, per family: every SIP message and every call RTP packet reaches
# the other end, RTP marked EF (46) and SIP CS3 (24) on the wire; vgctl -j
# flow show lists both streams with the packet counts the receivers saw,
# the multiplexed RTCP counted on the stream it came with; the key press
# counted in the upstream's packets but kept out of its jitter (without
# that, its still timestamps alone would raise the peak by ~20 ms; asked
# on the normal kernel only);
# the malformed packets are dropped as rtp_bad_header, the foreign ones as
# rtp_wrong_source, the late ones as rtp_no_pinhole, each count exact.
# A prio qdisc on each of the router's links sorts by skb->priority: call
# media leaves in the band of priority-rtp (6), SIP in that of priority-sip
# (4), both ways and in both families, with the kernel's IPv4 forwarding
# re-deriving the priority from the TOS (ip_forward_update_priority, on by
# default) in between.
#
# Two calls announcing one gateway media port (a B2BUA handing it on): the
# newer call's pinhole takes the port while it lives; when it ends, or when
# the older call announces the port again, the older call's stream gets it
# back, so the older call's media keeps flowing and is counted.

. "$(dirname "$0")/dp_lib.sh"

dp_require

BAD=6
ROGUE=5
AFTER=8
RTCP=3
DTMF=$((DP_RTP / 4))

# The key press's effect on jitter (~20 ms) stands out of the normal
# kernel's pacing noise (~1 ms) but not of the debug kernel's (peaks of
# 25-50 ms either way), so only the normal kernel is asked about it.
JITTER_CASE=1
[ "${VG_DEBUG_KERNEL:-0}" = 1 ] && JITTER_CASE=0

ktap_print_header
ktap_set_plan $((46 + 2 * JITTER_CASE))
kmsg_mark

dp_setup
checktool "tc -V" "iproute2 tc"

# prio_reset: on both router links, priority 6 to band 1:1, 4 to 1:2,
# everything else (ARP, ND) to 1:3; counters start at zero.
prio_reset()
{
	local dev

	for dev in rv rg; do
		n "$router" tc qdisc del dev $dev root 2>/dev/null
		n "$router" tc qdisc add dev $dev root handle 1: prio bands 3 \
			priomap 2 2 2 2 1 2 0 2 2 2 2 2 2 2 2 2 || return 1
	done
}

# prio_bands DEV: packets the router sent on DEV per band, "1:1 1:2 1:3"
# (tc prints "class prio 1:N ...", then " Sent B bytes P pkt ...").
prio_bands()
{
	ip netns exec "$router" tc -s class show dev "$1" |
		awk '$1 == "class" { h = $3 } $1 == "Sent" { p[h] = $4 }
		     END { print p["1:1"], p["1:2"], p["1:3"] }'
}

# media_case FAMILY CALLER CALLEE ROGUE [--srtp]
media_case()
{
	local fam=$1 caller=$2 callee=$3 rogue=$4 srtp=${5:-} out
	local cport=20000 gport=30000 gw_ep vo_ep rtcp=RTCP

	[ -n "$srtp" ] && rtcp=SRTCP

	out=$(mktemp)
	defer rm -f "$out"
	prio_reset || echo "# prio qdisc setup failed"
	dp_call --caller "$caller" --callee "$callee" \
		--caller-media $cport --gw-media $gport --rtp "$DP_RTP" \
		--bad $BAD --rogue "$rogue" --rogue-count $ROGUE \
		--after-bye $AFTER --rtcp-mux $RTCP --dtmf $DTMF $srtp >"$out"
	jget "$out" "json.dumps({k: d[k] for k in ('ok', 'step', 'error', 'sent', 'seen') if k in d})" 2>/dev/null |
		sed 's/^/# /'
	jget "$out" "json.dumps(d.get('flows'))" 2>/dev/null | sed 's/^/# flows: /'

	if [ "$fam" = ipv6 ]; then
		gw_ep="[$callee]:$gport"
		vo_ep="[$caller]:$cport"
	else
		gw_ep="$callee:$gport"
		vo_ep="$caller:$cport"
	fi

	local v
	mapfile -t v < <(vals "$out" \
		"d['ok']" \
		"d['seen']['rtp_up'] == d['sent']['norm_up'] and d['seen']['rtp_down'] == d['sent']['norm_down']" \
		"d['seen']['rtp_up'] > 0 and set(d['seen']['rtp_up_dscp']) == {'46'} and set(d['seen']['rtp_down_dscp']) == {'46'}" \
		"d['seen']['sip_up'] >= 3 and d['seen']['sip_down'] >= 3 and set(d['seen']['sip_up_dscp']) == {'24'} and set(d['seen']['sip_down_dscp']) == {'24'}" \
		"(lambda fl: (lambda up, dn: len(up) == 1 and len(dn) == 1 and up[0]['packets'] == d['seen']['rtp_up'] + d['seen']['dtmf'] and dn[0]['packets'] == d['seen']['rtp_down'])([f for f in fl if f.get('dst') == '$gw_ep'], [f for f in fl if f.get('dst') == '$vo_ep']))(d['flows'] if isinstance(d['flows'], list) else d['flows']['streams'])" \
		"(lambda fl: [(f['src'], f['ssrc'], f['payload_type'], f['lost'], f['state']) for f in fl if f['dst'] == '$gw_ep'] == [('$vo_ep', d['ssrc']['up'], 0, 0, 'latched')] and [(f['src'], f['ssrc'], f['payload_type'], f['lost'], f['state']) for f in fl if f['dst'] == '$vo_ep'] == [('$gw_ep', d['ssrc']['down'], 0, 0, 'latched')])(d['flows'] if isinstance(d['flows'], list) else d['flows']['streams'])" \
		"d['seen']['bad']" \
		"$(delta start end drops rtp_bad_header)" \
		"d['seen']['rogue']" \
		"$(delta start end drops rtp_wrong_source)" \
		"d['seen']['after']" \
		"$(delta bye end drops rtp_no_pinhole)" \
		"d['seen']['rtcp'] == d['sent']['rtcp'] == $RTCP" \
		"(lambda fl: [f['rtcp_packets'] for f in fl if f['dst'] == '$gw_ep'] == [$RTCP] and [f['rtcp_packets'] for f in fl if f['dst'] == '$vo_ep'] == [0])(d['flows'] if isinstance(d['flows'], list) else d['flows']['streams'])" \
		"d['seen']['dtmf'] == d['sent']['dtmf'] == $DTMF" \
		"(lambda fl: (lambda up, dn: '%s %s' % (up['jitter_max_ms'], dn['jitter_max_ms']))([f for f in fl if f['dst'] == '$gw_ep'][0], [f for f in fl if f['dst'] == '$vo_ep'][0]))(d['flows'] if isinstance(d['flows'], list) else d['flows']['streams'])")
	local jit up dn
	read -r -a jit <<<"${v[15]}"
	read -r -a up < <(prio_bands rg)
	read -r -a dn < <(prio_bands rv)
	echo "# to the gateway per band: ${up[*]}; to the phone: ${dn[*]}"
	echo "# jitter peak: up (with the key press) ${jit[0]:-?} ms, down ${jit[1]:-?} ms"

	ktap_test_result "$fam: call set up and torn down (INVITE, 200, ACK, BYE, 200)" \
		[ "${v[0]}" = True ]
	ktap_test_result "$fam: every call RTP packet reached the other end" \
		[ "${v[1]}" = True ]
	ktap_test_result "$fam: call RTP marked EF (46) both ways" \
		dp_hosts_neutral_and [ "${v[2]}" = True ]
	ktap_test_result "$fam: SIP marked CS3 (24) both ways" \
		dp_hosts_neutral_and [ "${v[3]}" = True ]
	ktap_test_result "$fam: flow show lists both streams with the packets received" \
		[ "${v[4]}" = True ]
	ktap_test_result "$fam: the streams latched: source, SSRC, payload type, no loss" \
		[ "${v[5]}" = True ]
	expect "$fam: malformed RTP in the call not forwarded" "${v[6]}" -eq 0
	expect "$fam: malformed RTP counted as rtp_bad_header" "${v[7]}" -eq $BAD
	expect "$fam: RTP from another host to the open pinhole not forwarded" \
		"${v[8]}" -eq 0
	expect "$fam: it is counted as rtp_wrong_source" "${v[9]}" -eq $ROGUE
	expect "$fam: RTP to the call's ports after BYE not forwarded" \
		"${v[10]}" -eq 0
	expect "$fam: it is counted as rtp_no_pinhole" "${v[11]}" -eq $AFTER
	ktap_test_result "$fam: $rtcp multiplexed on the RTP port reached the gateway" \
		[ "${v[12]}" = True ]
	ktap_test_result "$fam: flow show counts it in the stream's rtcp_packets" \
		[ "${v[13]}" = True ]
	ktap_test_result "$fam: the $DTMF telephone events reached the gateway" \
		[ "${v[14]}" = True ]
	# RTCP and key presses ride in the streams: media too
	mapfile -t -O 16 v < <(vals "$out" \
		"d['seen']['rtp_up'] + d['seen']['dtmf'] + d['seen']['rtcp']" \
		"d['seen']['sip_up']" \
		"d['seen']['rtp_down']" \
		"d['seen']['sip_down']")
	expect "$fam: media to the gateway left with priority-rtp" \
		"${up[0]:-x}" -eq "${v[16]}"
	expect "$fam: SIP to the gateway left with priority-sip" \
		"${up[1]:-x}" -eq "${v[17]}"
	expect "$fam: media to the phone left with priority-rtp" \
		"${dn[0]:-x}" -eq "${v[18]}"
	expect "$fam: SIP to the phone left with priority-sip" \
		"${dn[1]:-x}" -eq "${v[19]}"
	# both directions are paced by one loop: they share the timing noise
	[ $JITTER_CASE = 1 ] || return 0
	ktap_test_result "$fam: the key press leaves the upstream's jitter peak with the downstream's" \
		awk -v u="${jit[0]:-x}" -v d="${jit[1]:-x}" \
		'BEGIN { exit !(u ~ /^[0-9.]+$/ && d ~ /^[0-9.]+$/ && u < d + 10) }'
}

# shared_port_case: call A, then calls B and C on A's gateway media port.
shared_port_case()
{
	local out v burst=20

	out=$(mktemp)
	defer rm -f "$out"
	echo "# dp_voip.py shared-port" >&2
	"$DP_PY" -S "$DP_VOIP" shared-port --voice "$voice" --gateway "$gateway" \
		--router "$router" --vgctl "$VGCTL" --gw-iface g0 \
		--caller $V4_VOICE --caller2 $V4_VOICE2 --callee $V4_GW \
		--rtp $burst --timeout $((10 * DP_SLOW)) >"$out"
	jget "$out" "json.dumps({k: d.get(k) for k in ('ok', 'step', 'error', 'seen', 'a_packets')})" 2>/dev/null |
		sed 's/^/# /'
	mapfile -t v < <(vals "$out" \
		"d['ok']" \
		"d['seen']['after_b_ended']['ef']" \
		"d['a_packets']['after_b_ended']" \
		"d['a_packets']['a_announced_again']" \
		"d['seen']['after_c_ended']['ef'] == $burst and d['a_packets']['after_c_ended'] == 4 * $burst")
	ktap_test_result "shared port: calls A, B, C set up and torn down" \
		[ "${v[0]}" = True ]
	expect "shared port: A's media passes as call media once B has ended" \
		"${v[1]}" -eq $burst
	expect "shared port: A's stream counts it" "${v[2]}" -eq $((2 * burst))
	expect "shared port: A announcing the port again takes it back from C" \
		"${v[3]}" -eq $((3 * burst))
	ktap_test_result "shared port: C ending leaves the port with A" \
		[ "${v[4]}" = True ]
}

media_case ipv4 $V4_VOICE $V4_GW $V4_VOICE2
media_case ipv6 $V6_VOICE $V6_GW $V6_VOICE2 --srtp
shared_port_case

ktap_test_result "no kernel report" kmsg_check
ktap_finished
