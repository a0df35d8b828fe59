#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# direct-media (topology in dp_lib.sh): sipp's uac on the voice host calls
# sipp's uas on the gateway through the router, signalling from the
# phone's first address and announcing its media on the second one, as a
# phone behind a proxy that passes its SDP on would look.
#
# Expected: with direct-media on (the default) the call opens a pinhole to
# each party, the caller's at its SDP address. With direct-media off the
# caller's pinhole stays shut and is counted as media_address, while the
# gateway's (SDP address = signalling address) opens as before.

. "$(dirname "$0")/dp_lib.sh"

dp_require
checktool "command -v sipp" "sipp"

ktap_print_header
ktap_set_plan 7
kmsg_mark

dp_setup

work=$(mktemp -d)
defer rm -rf "$work"
HOLD_MS=$((8000 * DP_SLOW))

n "$gateway" sipp -sn uas -i $V4_GW -p 5060 -mi $V4_GW -nostdin \
	-timeout $((120 * DP_SLOW))s >"$work/uas.log" 2>&1 &
defer kill $!
listening()
{
	ss -N "$gateway" -lun | grep -qF "$V4_GW:5060"
}
busywait $((5000 * DP_SLOW)) listening || echo "# sipp uas is not listening"

# media_call NAME PORT: one call from $V4_VOICE:PORT with its media on
# $V4_VOICE2; while it is up, the router's flows go to $work/NAME.json.
media_call()
{
	local name=$1 port=$2 uac rc

	n "$voice" sipp -sn uac -i $V4_VOICE -p "$port" -mi $V4_VOICE2 -m 1 \
		-d $HOLD_MS -nostdin -timeout $((60 * DP_SLOW))s \
		$V4_GW:5060 >"$work/uac-$name.log" 2>&1 &
	uac=$!
	confirmed()
	{
		"$VGCTL" -n "$router" -j call show >"$work/$name-calls.json" &&
		[ "$(jget "$work/$name-calls.json" "len([c for c in d if c['state'] == 'confirmed'])")" = 1 ]
	}
	slowwait $((20 * DP_SLOW)) confirmed || echo "# $name: no confirmed call"
	"$VGCTL" -n "$router" -j flow show >"$work/$name.json"
	sed "s/^/# $name flows: /" "$work/$name.json"
	wait $uac
	rc=$?
	echo "# $name: sipp exited $rc"
	return $rc
}

# rtp_dsts NAME: the RTP pinholes' addresses, sorted, space-separated.
rtp_dsts()
{
	jget "$work/$1.json" "' '.join(sorted(set(f['dst'].rsplit(':', 1)[0] for f in d)))"
}

ktap_test_result "direct-media on: the call completes" media_call on 5071
got=$(rtp_dsts on)
echo "# direct-media on: pinholes to $got"
ktap_test_result "direct-media on: pinholes at both SDP addresses" \
	[ "$got" = "$V4_VOICE2 $V4_GW" ]

rvg config set direct-media off || echo "# config set failed"
before=$(stat_of drops media_address)
ktap_test_result "direct-media off: the call completes" media_call off 5072
after=$(stat_of drops media_address)
got=$(rtp_dsts off)
echo "# direct-media off: pinholes to $got; media_address $before -> $after"
ktap_test_result "direct-media off: only the party whose SDP address signalled" \
	[ "$got" = "$V4_GW" ]
ktap_test_result "direct-media off: the shut pinhole counted as media_address" \
	[ "$((after - before))" -ge 1 ]

ktap_test_result "no kernel report" kmsg_check
ktap_finished
