#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Policy, config, limit and srtp commands: every key set and read back,
# and the refusals (unknown zone, out-of-range values checked by vgctl and
# by the kernel, unknown entries), each with a message. An srtp entry,
# require or allow, is deleted with srtp del, and then its zone can go.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json'" "python3"

ktap_print_header
ktap_set_plan 31
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
setup_ns r || skip_all "cannot create namespaces"

# j OBJECT EXPR: evaluate EXPR over "vgctl -j OBJECT show".
j()
{
	"$VGCTL" -n "$r" -j "$1" show | json_get "$2"
}

vgctl -n "$r" zone add voice 10.1.0.0/16 >/dev/null
vgctl -n "$r" zone add data 10.2.0.0/16 >/dev/null
vgctl -n "$r" zone add gateway 192.0.2.0/24 >/dev/null

# ---- policy ----

policy_set()
{
	vgctl -n "$r" policy set data voice sip drop &&
	vgctl -n "$r" policy set data any h323 monitor &&
	vgctl -n "$r" policy set any gateway any accept &&
	vgctl -n "$r" policy set data voice sip accept &&
	[ "$(j policy "[(e['from'], e['to'], e['class'], e['action']) for e in d]")" = \
	  "[('data', 'voice', 'sip', 'accept'), ('data', 'any', 'h323', 'monitor'), ('any', 'gateway', 'any', 'accept')]" ]
}
ktap_test_result "policy set (new and updated entries), policy show -j" policy_set

ktap_test_result "policy show text" \
	eval '"$VGCTL" -n "$r" policy show | grep -qx "data voice sip accept"'

ktap_test_result "policy with an unknown zone refused" \
	expect_error 1 "no such zone" "$VGCTL" -n "$r" policy set data lab sip drop

ktap_test_result "policy with an unknown class refused" \
	expect_error 2 "unknown class 'skype'" \
	"$VGCTL" -n "$r" policy set data voice skype drop

ktap_test_result "policy with an unknown action refused" \
	expect_error 2 "unknown action 'reject'" \
	"$VGCTL" -n "$r" policy set data voice sip reject

policy_del()
{
	vgctl -n "$r" policy del data any h323 &&
	[ "$(j policy "len(d)")" = 2 ] &&
	expect_error 1 "no such policy entry" \
		"$VGCTL" -n "$r" policy del data any h323
}
ktap_test_result "policy del; deleting it again refused" policy_del

# ---- config ----

config_all()
{
	vgctl -n "$r" config set mode monitor sip-ports 5060,5070-5079 \
		media-ports 20000-29999 dscp-rtp ef dscp-sip cs3 \
		priority-rtp 7 priority-sip 5 mark-rtp 0x10 mark-sip 32 \
		media-timeout 30 call-timeout 120 max-streams 2000 \
		max-calls 500 max-sources 3000 max-streams-per-call 6 \
		media-strict on direct-media off peer-restrict on \
		tcp-split drop source-prefix6 56 emergency 911,112,999 \
		sip-max-msg 8192 sip-max-headers 64 sip-max-header-len 2048 \
		sip-max-uri-len 512 event-rate 50 || return 1
	[ "$(j config "[d[k] for k in ('mode', 'dscp_rtp', 'dscp_sip', 'priority_rtp', 'priority_sip', 'mark_rtp', 'mark_sip', 'media_timeout', 'call_timeout', 'max_streams', 'max_calls', 'max_sources', 'max_streams_per_call', 'media_strict', 'direct_media', 'peer_restrict', 'tcp_split', 'source_prefix6', 'emergency', 'sip_max_msg', 'sip_max_headers', 'sip_max_header_len', 'sip_max_uri_len', 'event_rate')]")" = \
	  "['monitor', 46, 24, 7, 5, 16, 32, 30, 120, 2000, 500, 3000, 6, True, False, True, 'drop', 56, ['911', '112', '999'], 8192, 64, 2048, 512, 50]" ] &&
	[ "$(j config "d['sip_ports']")" = "[{'first': 5060, 'last': 5060}, {'first': 5070, 'last': 5079}]" ] &&
	[ "$(j config "d['media_ports']")" = "[{'first': 20000, 'last': 29999}]" ]
}
ktap_test_result "config set of every key, read back with config show -j" config_all

ktap_test_result "config show text" \
	eval '"$VGCTL" -n "$r" config show | grep -qx "sip-ports 5060,5070-5079"'

config_partial()
{
	vgctl -n "$r" config set mode enforce &&
	[ "$(j config "(d['mode'], d['dscp_rtp'], d['event_rate'])")" = "('enforce', 46, 50)" ]
}
ktap_test_result "config set changes only the keys given" config_partial

# "none" is an empty list, which must reach the kernel as one.
emergency_none()
{
	vgctl -n "$r" config set emergency none &&
	[ "$(j config "d['emergency']")" = "[]" ] &&
	vgctl -n "$r" config set emergency 911 &&
	vgctl -n "$r" config set mode monitor emergency none &&
	[ "$(j config "(d['mode'], d['emergency'])")" = "('monitor', [])" ] &&
	vgctl -n "$r" config set mode enforce emergency 911,112,999
}
ktap_test_result "config set emergency none empties the list, alone or with other keys" \
	emergency_none

ktap_test_result "kernel range check: media-timeout 0, naming the key" \
	expect_error 1 "media-timeout \(Numerical result out of range\)" \
	"$VGCTL" -n "$r" config set media-timeout 0

ktap_test_result "overlapping sip-ports and media-ports refused" \
	expect_error 1 "sip-ports and media-ports overlap" \
	"$VGCTL" -n "$r" config set sip-ports 20000

ktap_test_result "unknown config key refused" \
	expect_error 2 "unknown config key 'colour'" \
	"$VGCTL" -n "$r" config set colour blue

ktap_test_result "bad boolean refused" \
	expect_error 2 "media-strict: 'maybe' is not on or off" \
	"$VGCTL" -n "$r" config set media-strict maybe

# ---- limits ----

limits_set()
{
	vgctl -n "$r" limit set sip-source 20 40 invite-weight 4 \
		register-weight 2 calls-per-source 10 global 100000 200000 \
		rtp-headroom 30 rtp-rate 60 &&
	vgctl -n "$r" limit set calls-per-zone voice 100 &&
	[ "$(j limit "[d[k] for k in ('sip_rate', 'sip_burst', 'invite_weight', 'register_weight', 'calls_per_source', 'global_rate', 'global_burst', 'rtp_headroom', 'rtp_rate')]")" = \
	  "[20, 40, 4, 2, 10, 100000, 200000, 30, 60]" ] &&
	[ "$(j limit "d['calls_per_zone']")" = "[{'zone': 'voice', 'max_calls': 100}]" ]
}
ktap_test_result "limit set of every limit, limit show -j" limits_set

ktap_test_result "rate above 32 bits refused by vgctl" \
	expect_error 2 "limit sip-source: 1099511627776 is out of range" \
	"$VGCTL" -n "$r" limit set sip-source 1099511627776 10

ktap_test_result "rtp-rate above 100000 refused by the kernel, naming the key" \
	expect_error 1 "rtp-rate \(Numerical result out of range\)" \
	"$VGCTL" -n "$r" limit set rtp-rate 100001

ktap_test_result "zero burst refused by the kernel with its reason" \
	expect_error 1 "burst.*sip-source" \
	"$VGCTL" -n "$r" limit set sip-source 10 0

ktap_test_result "weight above the burst refused" \
	expect_error 1 "weight above the SIP burst" \
	"$VGCTL" -n "$r" limit set invite-weight 41

ktap_test_result "calls-per-zone of an unknown zone refused" \
	expect_error 1 "no such zone" \
	"$VGCTL" -n "$r" limit set calls-per-zone lab 5

limits_kept()
{
	[ "$(j limit "(d['sip_rate'], d['sip_burst'], d['invite_weight'])")" = "(20, 40, 4)" ]
}
ktap_test_result "limits unchanged by refused requests" limits_kept

# ---- srtp ----

srtp_set()
{
	vgctl -n "$r" srtp require any gateway &&
	vgctl -n "$r" srtp allow voice gateway &&
	[ "$(j srtp "[(e['from'], e['to'], e['require']) for e in d]")" = \
	  "[('voice', 'gateway', False), ('any', 'gateway', True)]" ] &&
	"$VGCTL" -n "$r" srtp show | grep -qx "require any gateway"
}
ktap_test_result "srtp require and allow, srtp show" srtp_set

ktap_test_result "srtp with an unknown zone refused" \
	expect_error 1 "no such zone" "$VGCTL" -n "$r" srtp require lab voice

srtp_blocks_del()
{
	vgctl -n "$r" zone add lab 10.8.0.0/16 &&
	vgctl -n "$r" srtp require lab any &&
	expect_error 1 "used by an srtp entry" "$VGCTL" -n "$r" zone del lab
}
ktap_test_result "a zone used by an srtp entry cannot be deleted" srtp_blocks_del

ktap_test_result "the refusal says how to delete the entry" \
	expect_error 1 "used by an srtp entry.*srtp del" \
	"$VGCTL" -n "$r" zone del lab

# An allow entry is an entry too: only srtp del removes it.
srtp_del()
{
	vgctl -n "$r" srtp allow lab any &&
	expect_error 1 "used by an srtp entry" "$VGCTL" -n "$r" zone del lab &&
	vgctl -n "$r" srtp del lab any &&
	[ "$(j srtp "[(e['from'], e['to']) for e in d if 'lab' in (e['from'], e['to'])]")" = "[]" ] &&
	[ "$(j srtp "len(d)")" = 2 ] &&
	vgctl -n "$r" zone del lab &&
	[ "$(j zone "[z['name'] for z in d if z['name'] == 'lab']")" = "[]" ]
}
ktap_test_result "srtp del removes an allow entry, then zone del succeeds" srtp_del

ktap_test_result "srtp del of a missing entry refused with message" \
	expect_error 1 "no such srtp entry" "$VGCTL" -n "$r" srtp del data voice

ktap_test_result "srtp del of an unknown zone refused with message" \
	expect_error 1 "no such zone" "$VGCTL" -n "$r" srtp del lab any

ktap_test_result "srtp del needs exactly FROM TO" \
	expect_error 2 "srtp del: expected FROM TO" \
	"$VGCTL" -n "$r" srtp del voice

ktap_test_result "help for every object" \
	eval 'for o in zone policy config limit srtp; do "$VGCTL" $o help | grep -q "^Usage: vgctl $o" || exit 1; done'

ktap_test_result "no kernel report" kmsg_check
ktap_finished
