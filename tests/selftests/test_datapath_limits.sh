#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data path's limits and policies, over the topology of
# datapath_lib.sh: calls per source (911 exempt), SIP over TCP (whole and
# split messages), require-SRTP, peer restriction, the EF trust boundary,
# a SIP flood (sip_rate, flood events), an emergency call from a source
# over its SIP rate (exempt as a whole) and the global budget (one bucket
# for the namespace, whichever CPUs the packets come in on).

. "$(dirname "$0")/datapath_lib.sh"

datapath_require
ktap_print_header
ktap_set_plan 11
kmsg_mark
datapath_setup
ktap_test_result "topology and router configuration" topology


limits()
{
	local before after out

	vgctl -n "$router" limit set calls-per-source 1 || return 1
	before=$(count drops call_limit)
	out=$(call 10.0.1.1 10.0.2.1 limit)
	after=$(count drops call_limit)
	echo "# $out; call_limit $before -> $after"
	vgctl -n "$router" limit set calls-per-source 0
	[ "$(echo "$out" | json_get "d['first'], d['second'], d['emergency']")" = \
	  "(True, False, True)" ] && [ $((after - before)) -eq 1 ]
}
ktap_test_result "calls-per-source: second INVITE dropped (call_limit), 911 exempt" \
	limits

tcp_sip()
{
	local before after out

	local cl_before cl_after

	before=$(count monitored sip_tcp_split)
	cl_before=$(count drops sip_bad_content_length)
	out=$(call 10.0.1.1 10.0.2.1 tcp)
	after=$(count monitored sip_tcp_split)
	cl_after=$(count drops sip_bad_content_length)
	echo "# $out; sip_tcp_split (passed) $before -> $after;" \
	     "sip_bad_content_length $cl_before -> $cl_after"
	[ "$(echo "$out" | json_get "d['whole'], d['split'], d['bare_dropped']")" = \
	  "(True, True, True)" ] &&
	[ $((after - before)) -ge 1 ] && [ $((cl_after - cl_before)) -ge 1 ]
}
ktap_test_result "SIP over TCP: whole message passes, split one counted and passed, one without Content-Length dropped" \
	tcp_sip

srtp()
{
	local before after out

	vgctl -n "$router" zone add za dscp-default 10 10.0.1.0/24 fd00:1::/64 &&
	vgctl -n "$router" zone add zb 10.0.2.0/24 fd00:2::/64 &&
	vgctl -n "$router" srtp require za zb || return 1
	before=$(count drops srtp_required)
	out=$(call 10.0.1.1 10.0.2.1)
	after=$(count drops srtp_required)
	echo "# $out; srtp_required $before -> $after"
	[ "$(echo "$out" | json_get "d['invite'] and d['ok'] and d['ack']")" = True ] &&
	[ "$(echo "$out" | json_get "d['rtp_in_call']")" = 0 ] &&
	[ $((after - before)) -ge 1 ]
}
ktap_test_result "require-SRTP za -> zb: SIP passes, RTP/AVP media not opened" \
	srtp

peer()
{
	local before after out

	vgctl -n "$router" srtp allow za zb &&
	vgctl -n "$router" config set peer-restrict on || return 1
	before=$(count drops rtp_wrong_source)
	out=$(call fd00:1::1 fd00:2::1 peer)
	after=$(count drops rtp_wrong_source)
	vgctl -n "$router" config set peer-restrict off
	echo "# $out; rtp_wrong_source $before -> $after"
	[ "$(echo "$out" | json_get "d['rtp_in_call']")" = 0 ] &&
	[ $((after - before)) -eq "$RTP_N" ]
}
ktap_test_result "peer-restrict: media from another address than the SDP's dropped" \
	peer

# Trust boundary: EF claimed by what is not call media is re-marked to the
# source zone's default DSCP (za: 10, AF11; B's own instance, without
# zones, would re-mark EF to 0 but leaves 10 alone).
ef()
{
	local out

	out=$(call 10.0.1.1 10.0.2.1 ef) && echo "# ipv4 $out" &&
	[ "$(echo "$out" | json_get "d['dscp']")" = "[10, 10, 10, 10, 10]" ] &&
	out=$(call fd00:1::1 fd00:2::1 ef) && echo "# ipv6 $out" &&
	[ "$(echo "$out" | json_get "d['dscp']")" = "[10, 10, 10, 10, 10]" ]
}
ktap_test_result "EF on other traffic re-marked at the trust boundary" ef

# A SIP flood from one source: limited (sip_rate), with flood start and
# end events on the events group.
flood()
{
	local before after out mon=$work/monitor.json mpid

	vgctl -n "$router" limit set sip-source 5 5 || return 1
	"$VGCTL" -n "$router" -j monitor >"$mon" 2>/dev/null &
	mpid=$!
	defer kill $mpid
	sleep 1
	before=$(count drops sip_rate)
	out=$(call 10.0.1.1 10.0.2.1 burst)
	after=$(count drops sip_rate)
	echo "# $out; sip_rate $before -> $after"
	slowwait 60 grep -q flood_end "$mon"
	kill $mpid
	vgctl -n "$router" limit set sip-source 50 100
	sed 's/^/# event: /' "$mon" | grep flood
	[ "$(echo "$out" | json_get "d['received']")" -lt 40 ] &&
	[ $((after - before)) -ge 20 ] &&
	grep -q flood_start "$mon" && grep -q flood_end "$mon"
}
ktap_test_result "SIP flood limited as sip_rate, flood start and end events" flood

# An emergency call from a source over its SIP rate: the whole call is
# exempt (INVITE, ACK, BYE), the source's other requests are not.
emergency_call()
{
	local before after out

	vgctl -n "$router" limit set sip-source 1 5 || return 1
	before=$(count drops sip_rate)
	out=$(call 10.0.1.1 10.0.2.1 emergency)
	after=$(count drops sip_rate)
	vgctl -n "$router" limit set sip-source 50 100
	echo "# $out; sip_rate $before -> $after"
	[ "$(echo "$out" | json_get "d.get('invite', False), d['ok'], \
	  d.get('ack', False), d.get('bye', False)")" = \
	  "(True, True, True, True)" ] &&
	[ "$(echo "$out" | json_get "d['options']")" -lt 60 ] &&
	[ $((after - before)) -ge 40 ]
}
ktap_test_result "emergency call: its ACK and BYE pass a source over its SIP rate" \
	emergency_call

global_budget()
{
	local before after out

	vgctl -n "$router" limit set global 5 5 || return 1
	before=$(count drops global_rate)
	out=$(call 10.0.1.1 10.0.2.1 burst)
	after=$(count drops global_rate)
	vgctl -n "$router" limit set global 0 0
	echo "# $out; global_rate $before -> $after"
	[ "$(echo "$out" | json_get "d['received']")" -lt 40 ] &&
	[ $((after - before)) -ge 20 ]
}
ktap_test_result "global budget: a burst over it dropped as global_rate" global_budget

# A burst of 40 on one flow against a budget of 20 (and 1 a second): the
# namespace's whole burst passes, not one CPU's share of it. Each CPU takes
# tokens in batches (burst / (4 * CPUs), 1 to 16) and may keep up to one
# batch less one unspent: the sender moving to another CPU mid-burst
# leaves those behind.
budget_whole()
{
	local old out got cpus batch least

	old=$("$VGCTL" -n "$router" -j limit show |
	      json_get "'%d %d' % (d['sip_rate'], d['sip_burst'])")
	# the per-source policer must not be what stops them
	vgctl -n "$router" limit set sip-source 1000 1000 &&
	vgctl -n "$router" limit set global 1 20 || return 1
	out=$(call 10.0.1.1 10.0.2.1 burst)
	vgctl -n "$router" limit set global 0 0
	# shellcheck disable=SC2086 # two words: rate and burst
	vgctl -n "$router" limit set sip-source $old
	got=$(echo "$out" | json_get "d['received']")
	cpus=$(nproc)
	batch=$((20 / (4 * cpus)))
	[ "$batch" -ge 1 ] || batch=1
	[ "$batch" -le 16 ] || batch=16
	least=$((20 - (cpus - 1) * (batch - 1)))
	echo "# $out: $got of 40 passed a budget of 20 (1 more a second)," \
		"$least at least with $cpus CPUs"
	[ "$got" -ge "$least" ] && [ "$got" -le 23 ]
}
ktap_test_result "global budget: one burst for the namespace, not a share per CPU" \
	budget_whole


vgctl -n "$router" -j stats show >/dev/null
ktap_test_result "no kernel report" kmsg_check
ktap_finished
