#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data path end to end, IPv4 and IPv6: a SIP call set up through the
# router opens media pinholes from its SDP; RTP to the pinhole passes and
# leaves the router marked EF; after the BYE the same RTP is dropped as
# rtp_no_pinhole. Then expiry by the garbage collector: a call left
# without BYE loses its idle pinholes and ends after media-timeout, an
# unanswered INVITE ends after call-timeout.
#
#   phone A                     router                     phone B
#   10.0.1.1/24    veth    10.0.1.254 | 10.0.2.254   veth   10.0.2.1/24
#   fd00:1::1/64  ------  fd00:1::fe  | fd00:2::fe  ------  fd00:2::1/64
#
# B reads the DSCP of each RTP packet with IP_RECVTOS / IPV6_RECVTCLASS.

. "$(dirname "$0")/datapath_lib.sh"

datapath_require
ktap_print_header
ktap_set_plan 11
kmsg_mark
datapath_setup
ktap_test_result "topology and router configuration" topology

check_call()
{
	local fam=$1 a=$2 b=$3 out before after

	before=$(drops rtp_no_pinhole)
	out=$(call "$a" "$b")
	after=$(drops rtp_no_pinhole)
	echo "# $fam result: $out; rtp_no_pinhole $before -> $after"
	ktap_test_result "$fam: INVITE, 200 and ACK with SDP pass" \
		test "$(echo "$out" | json_get "d['invite'] and d['ok'] and d['ack']")" = True
	ktap_test_result "$fam: all $RTP_N RTP packets to the pinhole pass" \
		test "$(echo "$out" | json_get "d['rtp_in_call']")" = "$RTP_N"
	ktap_test_result "$fam: call media arrives marked EF" \
		test "$(echo "$out" | json_get "d['rtp_in_call_ef']")" = "$RTP_N"
	ktap_test_result "$fam: RTP after BYE is dropped as rtp_no_pinhole" \
		eval "[ \"\$(echo '$out' | json_get \"d['rtp_after_bye']\")\" = 0 ] &&
		      [ $((after - before)) -eq $RTP_N ]"
}

check_call ipv4 10.0.1.1 10.0.2.1
check_call ipv6 fd00:1::1 fd00:2::1

# occupancy FIELD: the router's current calls or streams.
occupancy()
{
	"$VGCTL" -n "$router" -j stats show | json_get "d['$1']"
}

state_is()
{
	local calls streams

	calls=$(occupancy calls)
	streams=$(occupancy streams)
	echo "# state at ${SECONDS}s: calls $calls, streams $streams (want $1, $2)"
	[ "$calls" -eq "$1" ] && [ "$streams" -eq "$2" ]
}

expiry()
{
	local t0 tmo=15

	# Timeouts well above what one scripted call takes on a slow VM.
	[ "${VG_DEBUG_KERNEL:-0}" = 1 ] && tmo=30
	echo "# expiry test starts at ${SECONDS}s"
	vgctl -n "$router" config set media-timeout $tmo call-timeout $tmo &&
	call 10.0.1.1 10.0.2.1 open >/dev/null || return 1
	# The answered call has RTP and RTCP pinholes both ways.
	state_is 1 4 || return 1
	call fd00:1::1 fd00:2::1 invite >/dev/null || return 1
	t0=$SECONDS
	# And the unanswered one (the first may be expiring already).
	[ "$(occupancy calls)" -ge 1 ] || return 1
	slowwait $((8 * tmo)) state_is 0 0
	echo "# expired after $((SECONDS - t0)) s"
	state_is 0 0
}
ktap_test_result "idle pinholes and unanswered calls expire (garbage collector)" \
	expiry


vgctl -n "$router" -j stats show >/dev/null
ktap_test_result "no kernel report" kmsg_check
ktap_finished
