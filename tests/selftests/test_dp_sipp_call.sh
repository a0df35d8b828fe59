#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A sipp call through the router (topology in dp_lib.sh): sipp on the voice
# host calls sipp on the gateway and plays a recorded G.711 A-law RTP stream
# (sipp's pcap play); the gateway echoes it back (-rtp_echo). Packet
# sockets on the gateway's and the phone's interfaces see what the router
# forwarded.
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
ktap_set_plan 11
kmsg_mark

if dp_topology; then
	ktap_test_pass "topology: voice, data, gateway through router"
else
	ktap_test_fail "topology: voice, data, gateway through router"
	ktap_finished
fi
ktap_test_result "zones and NIST policy configured with vgctl" dp_zones

work=$(mktemp -d)
defer rm -rf "$work"

# RTP packets in the recording, and how long it plays.
read -r NPKT DUR_MS < <("$DP_PY" - "$PCAP" <<'PY'
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
sed -e "s|@PCAP@|$PCAP|" -e "s|@HOLD_MS@|$((DUR_MS + 4000 * DP_SLOW))|" \
	"$DP_DIR/sipp/uac_pcap.xml" >"$work/uac.xml"

# capture NAME NS IFACE: a packet-socket capture in the background.
capture()
{
	"$DP_PY" "$DP_VOIP" capture --ns "$2" --iface "$3" \
		--ready "$work/$1.ready" --out "$work/$1.json" &
	eval "cap_$1=$!"
	defer kill $!
	busywait $((5000 * DP_SLOW)) test -e "$work/$1.ready"
}
capture gw "$gateway" g0 && capture phone "$voice" v0 ||
	echo "# captures did not start"

n "$gateway" sipp -sf "$DP_DIR/sipp/uas_pcma.xml" -i $V4_GW -p 5060 \
	-mi $V4_GW -mp 30000 -rtp_echo -m 1 -nostdin -timeout 120s \
	-trace_err -error_file "$work/uas.err" >"$work/uas.log" 2>&1 &
uas_pid=$!
defer kill $uas_pid
listening()
{
	ip netns exec "$gateway" ss -lun | grep -q "$V4_GW:5060"
}
busywait $((5000 * DP_SLOW)) listening || echo "# sipp uas is not listening"

n "$voice" sipp -sf "$work/uac.xml" -s gw -i $V4_VOICE -p 5060 \
	-mi $V4_VOICE -mp 20000 -m 1 -nostdin -timeout 120s \
	-trace_err -error_file "$work/uac.err" $V4_GW:5060 \
	>"$work/uac.log" 2>&1 &
uac_pid=$!
defer kill $uac_pid

# While the call is up, read the streams until both have every packet
# (the uac holds the call a few seconds after the playback).
up_ep="$V4_GW:30000"
down_ep="$V4_VOICE:20000"
flows_complete()
{
	"$VGCTL" -n "$router" -j flow show >"$work/flows.json" 2>"$work/flows.err" ||
		return 1
	[ "$(jget "$work/flows.json" "(lambda fl: sum(f.get('packets', 0) for f in fl if f.get('dst') == '$up_ep') >= $NPKT and sum(f.get('packets', 0) for f in fl if f.get('dst') == '$down_ep') >= $NPKT)(d if isinstance(d, list) else d.get('streams', []))")" = True ]
}
slowwait $(((DUR_MS / 1000 + 10) * DP_SLOW)) flows_complete
cp "$work/flows.json" "$work/flows-call.json" 2>/dev/null
echo "# flow show during the call:"
sed 's/^/#   /' "$work/flows-call.json" 2>/dev/null
sed 's/^/#   /' "$work/flows.err" 2>/dev/null

wait $uac_pid
uac_rc=$?
wait $uas_pid
uas_rc=$?
echo "# sipp uac exit $uac_rc, uas exit $uas_rc"
if [ "$uac_rc" -ne 0 ] || [ "$uas_rc" -ne 0 ]; then
	for f in uac.log uas.log uac.err uas.err; do
		[ -s "$work/$f" ] && tail -n 15 "$work/$f" | sed "s/^/# $f: /"
	done
fi
kill $cap_gw $cap_phone 2>/dev/null
busywait $((5000 * DP_SLOW)) test -e "$work/gw.json"
busywait $((5000 * DP_SLOW)) test -e "$work/phone.json"
sed 's/^/# gateway capture: /' "$work/gw.json"
sed 's/^/# phone capture: /' "$work/phone.json"

ktap_test_result "sipp call completed (uac and uas exit 0)" \
	[ "$uac_rc" -eq 0 -a "$uas_rc" -eq 0 ]

# cap FILE KEY EXPR: over the capture entry e for KEY ("src>dst:port").
cap()
{
	jget "$work/$1.json" "(lambda e: $3)(d.get('$2', {'packets': 0, 'dscp': {}, 'sip_requests': {}}))"
}

expect "every recorded RTP packet reached the gateway" \
	"$(cap gw "$V4_VOICE>$up_ep" "e['packets']")" -eq "$NPKT"
ktap_test_result "RTP to the gateway marked EF (46)" \
	dp_hosts_neutral_and [ "$(cap gw "$V4_VOICE>$up_ep" "e['packets'] > 0 and list(e['dscp']) == ['46']")" = True ]
expect "the gateway's echo reached the phone" \
	"$(cap phone "$V4_GW>$down_ep" "e['packets']")" -eq "$NPKT"
ktap_test_result "RTP to the phone marked EF (46)" \
	dp_hosts_neutral_and [ "$(cap phone "$V4_GW>$down_ep" "e['packets'] > 0 and list(e['dscp']) == ['46']")" = True ]
sip_up=$(cap gw "$V4_VOICE>$V4_GW:5060" "e['packets'] >= 3 and list(e['dscp']) == ['24']")
sip_down=$(cap phone "$V4_GW>$V4_VOICE:5060" "e['packets'] >= 2 and list(e['dscp']) == ['24']")
ktap_test_result "SIP both ways marked CS3 (24)" \
	dp_hosts_neutral_and [ "$sip_up" = True -a "$sip_down" = True ]

flow_packets()
{
	jget "$work/flows-call.json" "sum(f.get('packets', 0) for f in (d if isinstance(d, list) else d.get('streams', [])) if f.get('dst') == '$1')" 2>/dev/null
}
expect "flow show: stream to the gateway has the packets captured" \
	"$(flow_packets "$up_ep")" -eq "$(cap gw "$V4_VOICE>$up_ep" "e['packets']")"
expect "flow show: stream to the phone has the packets captured" \
	"$(flow_packets "$down_ep")" -eq "$(cap phone "$V4_GW>$down_ep" "e['packets']")"

ktap_test_result "no kernel report" kmsg_check
ktap_finished
