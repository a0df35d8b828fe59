#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The router's hash tables grow with their entries (topology in dp_lib.sh):
# 40 calls up at once, each from its own IPv6 address (sources counted per
# address) with its own media ports, outgrow the 16 buckets the call,
# media and source tables start with. Once they have grown, every entry is
# still found where the packet path looks: one RTP packet each way on every
# call passes its pinhole, every BYE finds and ends its call, and the
# tables empty.

. "$(dirname "$0")/dp_lib.sh"

dp_require

CALLS=40

ktap_print_header
ktap_set_plan 7
kmsg_mark

setup()
{
	dp_zones && rvg config set source-prefix6 128
}
dp_setup "zones, policy, a source per IPv6 address" setup

callers=()
addrs=""
for i in $(seq 1 $CALLS); do
	callers+=("fd00:1::$(printf '%x' $((0x100 + i)))")
	addrs+="addr add ${callers[-1]}/64 dev v0 nodad"$'\n'
done
nbatch "$voice" <<<"$addrs" || echo "# caller addresses not added"

out=$(mktemp)
defer rm -f "$out"
echo "# dp_voip.py many: $CALLS calls to $V6_GW"
"$DP_PY" -S "$DP_VOIP" many --voice "$voice" --gateway "$gateway" \
	--router "$router" --vgctl "$VGCTL" \
	--callers "$(IFS=,; echo "${callers[*]}")" --callee "$V6_GW" \
	--calls $CALLS --grown 64,64,64 --timeout 10 >"$out"
jget "$out" "json.dumps({k: d.get(k) for k in ('ok', 'error', 'up', 'before', 'grown', 'rtp_up', 'rtp_down', 'ended', 'after')})" |
	sed 's/^/# /'

mapfile -t v < <(vals "$out" \
	"d['up'] == $CALLS" \
	"d['before']['call_buckets'] == d['before']['stream_buckets'] == d['before']['source_buckets'] == 16 and d['grown']['call_buckets'] >= 64 and d['grown']['stream_buckets'] >= 64 and d['grown']['source_buckets'] >= 64" \
	"d['rtp_up'] == d['rtp_down'] == $CALLS" \
	"d['ok'] and d['ended'] == $CALLS and d['after']['calls'] == 0 and d['after']['streams'] == 0")

ktap_test_result "$CALLS calls up at once, each from its own source" \
	[ "${v[0]}" = True ]
ktap_test_result "the call, media and source tables grew from 16 buckets" \
	[ "${v[1]}" = True ]
ktap_test_result "after growing: one RTP packet each way on every call passes" \
	[ "${v[2]}" = True ]
ktap_test_result "after growing: every BYE finds its call; calls and pinholes gone" \
	[ "${v[3]}" = True ]
ktap_test_result "no kernel report" kmsg_check
ktap_finished
