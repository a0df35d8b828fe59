#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Zones: add, append, replace, show and delete, IPv4 and IPv6; every
# refusal comes with a message naming what was wrong: a bad prefix, a
# duplicate zone, a prefix already in another zone, an unknown zone, a
# zone still used by a policy entry, and a user without CAP_NET_ADMIN.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json'" "python3"
checktool "setpriv --version" "setpriv (util-linux)"

ktap_print_header
ktap_set_plan 17
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
setup_ns r || skip_all "cannot create namespaces"

zones_json()
{
	"$VGCTL" -n "$r" -j zone show
}

# prefixes ZONE: the zone's prefixes, space separated, as vgctl shows them.
prefixes()
{
	zones_json | json_get "' '.join(next(z['prefixes'] for z in d if z['name'] == '$1'))"
}

add_voice()
{
	vgctl -n "$r" zone add voice 10.1.0.0/16 2001:db8:1::/48 10.9.9.9 &&
	[ "$(prefixes voice)" = "10.9.9.9/32 10.1.0.0/16 2001:db8:1::/48" ]
}
ktap_test_result "zone add with IPv4, IPv6 and a host address" add_voice

ktap_test_result "duplicate zone refused with message" \
	expect_error 1 "zone exists" \
	"$VGCTL" -n "$r" zone add voice 10.2.0.0/16

ktap_test_result "host bits set: refused before sending, with the fix" \
	expect_error 2 "did you mean 10.3.0.0/16" \
	"$VGCTL" -n "$r" zone add data 10.3.1.1/16

ktap_test_result "prefix length out of range refused" \
	expect_error 2 "bad prefix '10.3.0.0/33'" \
	"$VGCTL" -n "$r" zone add data 10.3.0.0/33

ktap_test_result "not an address refused" \
	expect_error 2 "bad prefix 'ten.dot'" \
	"$VGCTL" -n "$r" zone add data ten.dot

ktap_test_result "reserved name 'any' refused" \
	expect_error 2 "'any' is reserved" \
	"$VGCTL" -n "$r" zone add any 10.3.0.0/16

ktap_test_result "reserved name 'none' refused" \
	expect_error 2 "'none' is reserved" \
	"$VGCTL" -n "$r" zone add none 10.3.0.0/16

ktap_test_result "prefix of another zone refused, naming the prefix" \
	expect_error 1 "prefix already belongs to another zone: 10.1.0.0/16" \
	"$VGCTL" -n "$r" zone add data 10.3.0.0/16 10.1.0.0/16

ktap_test_result "failed add changed nothing" \
	eval '[ "$(zones_json | json_get "len(d)")" = 1 ]'

append_replace()
{
	vgctl -n "$r" zone add data 10.3.0.0/16 &&
	vgctl -n "$r" zone append data 192.0.2.0/24 &&
	[ "$(prefixes data)" = "192.0.2.0/24 10.3.0.0/16" ] &&
	vgctl -n "$r" zone replace data 10.4.0.0/16 2001:db8:4::/64 &&
	[ "$(prefixes data)" = "10.4.0.0/16 2001:db8:4::/64" ]
}
ktap_test_result "zone append and replace" append_replace

ktap_test_result "unknown zone in del refused with message" \
	expect_error 1 "no such zone" "$VGCTL" -n "$r" zone del nowhere

in_use()
{
	vgctl -n "$r" policy set data voice sip drop &&
	expect_error 1 "zone is used by a policy entry" \
		"$VGCTL" -n "$r" zone del data
}
ktap_test_result "zone used by a policy entry cannot be deleted" in_use

del_zone()
{
	vgctl -n "$r" policy del data voice sip &&
	vgctl -n "$r" zone del data &&
	[ "$(zones_json | json_get "[z['name'] for z in d]")" = "['voice']" ]
}
ktap_test_result "zone del after its policy entry is gone" del_zone

text_show()
{
	"$VGCTL" -n "$r" zone show voice | grep -q "zone voice dscp-default 0 prefixes 3" &&
	"$VGCTL" -n "$r" zone show voice | grep -qP "^\t2001:db8:1::/48$"
}
ktap_test_result "zone show text output" text_show

ktap_test_result "zone show of an unknown zone fails" \
	expect_error 1 "no zone named 'nowhere'" "$VGCTL" -n "$r" zone show nowhere

NOBODY=65534
bindir=$(mktemp -d)
defer rm -rf "$bindir"
cp "$VGCTL" "$bindir/vgctl" && chmod 755 "$bindir" "$bindir/vgctl"
ktap_test_result "unprivileged user: permission error with message" \
	expect_error 1 "permission denied: CAP_NET_ADMIN.*\(Operation not permitted\)" \
	ip netns exec "$r" setpriv --reuid=$NOBODY --regid=$NOBODY \
		--clear-groups --inh-caps=-all --bounding-set=-all \
		"$bindir/vgctl" zone add guest 10.7.0.0/16

ktap_test_result "no kernel report" kmsg_check
ktap_finished
