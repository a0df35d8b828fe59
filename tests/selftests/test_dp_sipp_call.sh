#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A sipp call through the router (topology in dp_lib.sh), IPv4 then IPv6:
# sipp on the voice host calls sipp on the gateway and plays a recorded
# G.711 A-law RTP stream (sipp's pcap play); the gateway echoes it back
# (-rtp_echo). Packet sockets on the gateway's and the phone's interfaces
# see what the router forwarded.
#
# Expected: the call completes; every RTP packet of the recording reaches
# the gateway, marked EF (46), and its echo reaches the phone, marked EF;
# all SIP is marked CS3 (24); vgctl -j flow show, read while the call is up,
# lists both streams with the packet counts the captures saw.

. "$(dirname "$0")/dp_lib.sh"

dp_require
checktool "command -v sipp" "sipp"
PCAP=${VG_SIPP_PCAP:-/usr/share/sip-tester/g711a.pcap}
[ -r "$PCAP" ] || skip_all "sipp's RTP recording $PCAP not found (package sip-tester)"

ktap_print_header
ktap_set_plan 19
kmsg_mark

dp_setup

work=$(mktemp -d)
defer rm -rf "$work"

# RTP packets in the recording, and how long it plays.
read -r NPKT DUR_MS < <("$DP_PY" -S - "$PCAP" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
magic = struct.unpack("<I", data[:4])[0]
end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
off, n, first, last = 24, 0, None, 0
while off + 16 <= len(data):
    sec, usec, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
    t = sec * 1000 + usec // 1000
    first = t if first is None else first
    last = t
    n += 1
    off += 16 + incl
print(n, last - first)
PY
)
echo "# $PCAP: $NPKT packets over $DUR_MS ms"
# sipp plays the recording in the background while the scenario pauses, so
# the hold counts from the start of the playback; on a slow kernel the
# playback itself runs late, hence the margin scaled by DP_SLOW.
sed -e "s|@PCAP@|$PCAP|" -e "s|@HOLD_MS@|$((DUR_MS + 5000 + 3000 * DP_SLOW))|" \
	"$DP_DIR/sipp/uac_pcap.xml" >"$work/uac.xml"

# sipp_case FAMILY PHONE GW: one sipp call, then its checks.
sipp_case()
{
	local fam=$1 phone=$2 gw=$3 w=$work/$1 uas_pid uac_pid uac_rc uas_rc
	local up_ep down_ep up_key down_key sip_up_key sip_down_key target v f

	mkdir -p "$w"
	if [ "$fam" = ipv6 ]; then
		up_ep="[$gw]:30000"
		down_ep="[$phone]:20000"
		target="[$gw]:5060"
	else
		up_ep="$gw:30000"
		down_ep="$phone:20000"
		target="$gw:5060"
	fi
	# capture keys: "src>dst:port"
	up_key="$phone>$gw:30000"
	down_key="$gw>$phone:20000"
	sip_up_key="$phone>$gw:5060"
	sip_down_key="$gw>$phone:5060"

	dp_capture gw "$gateway" g0 "$w" && dp_capture phone "$voice" v0 "$w" ||
		echo "# captures did not start"

	n "$gateway" sipp -sf "$DP_DIR/sipp/uas_pcma.xml" -i "$gw" -p 5060 \
		-mi "$gw" -mp 30000 -rtp_echo -m 1 -nostdin -timeout 120s \
		-trace_err -error_file "$w/uas.err" >"$w/uas.log" 2>&1 &
	uas_pid=$!
	defer kill $uas_pid
	listening()
	{
		ss -N "$gateway" -lun | grep -qF "$target"
	}
	busywait $((30000 * DP_SLOW)) listening || echo "# sipp uas is not listening"

	n "$voice" sipp -sf "$work/uac.xml" -s gw -i "$phone" -p 5060 \
		-mi "$phone" -mp 20000 -m 1 -nostdin -timeout 120s \
		-trace_err -error_file "$w/uac.err" "$target" \
		>"$w/uac.log" 2>&1 &
	uac_pid=$!
	defer kill $uac_pid

	# While the call is up, read the streams until both have every
	# packet (the uac holds the call a few seconds after the playback).
	"$DP_PY" -S "$DP_VOIP" pollflows --router "$router" --vgctl "$VGCTL" \
		--dst "$up_ep" --dst "$down_ep" --min "$NPKT" \
		--timeout $((DUR_MS / 1000 + 10)) --out "$w/flows-call.json"
	echo "# $fam: flow show during the call:"
	sed 's/^/#   /' "$w/flows-call.json"

	wait $uac_pid
	uac_rc=$?
	wait $uas_pid
	uas_rc=$?
	echo "# $fam: sipp uac exit $uac_rc, uas exit $uas_rc"
	if [ "$uac_rc" -ne 0 ] || [ "$uas_rc" -ne 0 ]; then
		for f in uac.log uas.log uac.err uas.err; do
			[ -s "$w/$f" ] && tail -n 15 "$w/$f" | sed "s/^/# $f: /"
		done
	fi
	dp_capture_stop gw "$w"
	dp_capture_stop phone "$w"
	sed 's/^/# gateway capture: /' "$w/gw.json"
	sed 's/^/# phone capture: /' "$w/phone.json"

	# Everything the checks need, in one go: the capture entries and
	# the streams' packet counts.
	"$DP_PY" -S "$DP_VOIP" merge gw="$w/gw.json" phone="$w/phone.json" \
		flows="$w/flows-call.json" >"$w/all.json"
	mapfile -t v < <(vals "$w/all.json" \
		"d['gw']['$up_key']['packets']" \
		"list(d['gw']['$up_key']['dscp']) == ['46']" \
		"d['phone']['$down_key']['packets']" \
		"list(d['phone']['$down_key']['dscp']) == ['46']" \
		"d['gw']['$sip_up_key']['packets'] >= 3 and list(d['gw']['$sip_up_key']['dscp']) == ['24'] and d['phone']['$sip_down_key']['packets'] >= 2 and list(d['phone']['$sip_down_key']['dscp']) == ['24']" \
		"sum(f['packets'] for f in d['flows'] if f['dst'] == '$up_ep')" \
		"sum(f['packets'] for f in d['flows'] if f['dst'] == '$down_ep')")

	ktap_test_result "$fam: sipp call completed (uac and uas exit 0)" \
		[ "$uac_rc" -eq 0 -a "$uas_rc" -eq 0 ]
	expect "$fam: every recorded RTP packet reached the gateway" "${v[0]}" -eq "$NPKT"
	ktap_test_result "$fam: RTP to the gateway marked EF (46)" \
		dp_hosts_neutral_and [ "${v[1]}" = True ]
	expect "$fam: the gateway's echo reached the phone" "${v[2]}" -eq "$NPKT"
	ktap_test_result "$fam: RTP to the phone marked EF (46)" \
		dp_hosts_neutral_and [ "${v[3]}" = True ]
	ktap_test_result "$fam: SIP both ways marked CS3 (24)" \
		dp_hosts_neutral_and [ "${v[4]}" = True ]
	expect "$fam: flow show: stream to the gateway has the packets captured" \
		"${v[5]}" -eq "${v[0]:--1}"
	expect "$fam: flow show: stream to the phone has the packets captured" \
		"${v[6]}" -eq "${v[2]:--1}"
}

sipp_case ipv4 $V4_VOICE $V4_GW
sipp_case ipv6 $V6_VOICE $V6_GW

ktap_test_result "no kernel report" kmsg_check
ktap_finished
