#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration files: apply in one transaction, check without applying,
# save in the same format (save, apply, save gives the same text), vgctl -f
# FILE as apply FILE, errors
# reported as FILE:LINE with the kernel's reason, and a 10,000-prefix zone
# applied at once and read back complete. A file that cannot be read (a
# directory) applies nothing; numbers are decimal, 0x hex for the marks;
# save to a full disk fails.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json'" "python3"

ktap_print_header
ktap_set_plan 19
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
setup_ns r s t u || skip_all "cannot create namespaces"
tmp=$(mktemp -d)
defer rm -rf "$tmp"

EXAMPLE=$REPO/userspace/voipguard.conf

gen()
{
	"$VGCTL" -n "$1" -j config show | json_get "d['generation']"
}

apply_example()
{
	vgctl -n "$r" apply "$EXAMPLE" &&
	[ "$("$VGCTL" -n "$r" -j policy show | json_get "len(d)")" = 8 ] &&
	[ "$("$VGCTL" -n "$r" -j zone show | json_get "[z['name'] for z in d]")" = \
	  "['voice', 'data', 'gateway']" ] &&
	[ "$("$VGCTL" -n "$r" -j limit show | json_get "d['invite_weight']")" = 2 ]
}
ktap_test_result "apply the shipped example configuration" apply_example

ktap_test_result "applying it again replaces, not duplicates" \
	eval 'vgctl -n "$r" apply "$EXAMPLE" &&
	      [ "$("$VGCTL" -n "$r" -j zone show | json_get "len(d)")" = 3 ]'

round_trip()
{
	"$VGCTL" -n "$r" save >"$tmp/saved1" &&
	vgctl -n "$s" apply "$tmp/saved1" &&
	"$VGCTL" -n "$s" save >"$tmp/saved2" &&
	diff -u "$tmp/saved1" "$tmp/saved2" &&
	grep -qx "policy data gateway mgcp drop" "$tmp/saved1" &&
	grep -qx "config emergency 911,112,urn:service:sos" "$tmp/saved1"
}
ktap_test_result "save, apply elsewhere, save: identical text" round_trip

dash_f()
{
	vgctl -n "$u" -f "$tmp/saved1" &&
	"$VGCTL" -n "$u" save >"$tmp/saved3" &&
	diff -u "$tmp/saved1" "$tmp/saved3"
}
ktap_test_result "vgctl -f FILE applies it as apply FILE does" dash_f
ktap_test_result "vgctl -f FILE with an object: usage error" \
	expect_error 2 "FILE takes no object, got 'zone'" \
	"$VGCTL" -n "$u" -f "$tmp/saved1" zone show
ktap_test_result "vgctl -f with a missing file: exit 1, the file named" \
	expect_error 1 "$tmp/none.conf" "$VGCTL" -n "$u" -f "$tmp/none.conf"

cat >"$tmp/bad_syntax.conf" <<'CONF'
# two mistakes
zone voice 10.1.0.0/16
policy data voice sip drop
zone data 10.2.0.0/16 10.3.3.3/8
config mode sometimes
CONF
check_syntax()
{
	local out

	out=$("$VGCTL" -n "$r" check "$tmp/bad_syntax.conf" 2>&1)
	echo "# $out"
	grep -q "bad_syntax.conf:4: bad prefix '10.3.3.3/8'" <<<"$out" &&
	grep -q "bad_syntax.conf:5: mode: expected enforce or monitor" <<<"$out"
}
ktap_test_result "check reports every syntax error as FILE:LINE" check_syntax

cat >"$tmp/bad_kernel.conf" <<'CONF'
zone voice 10.1.0.0/16
zone data 10.2.0.0/16

# the kernel refuses this one: no such zone
policy data lab sip drop
CONF
before=$(gen "$r")
ktap_test_result "check: the kernel's reason at the line that caused it" \
	expect_error 1 "bad_kernel.conf:5: kernel: voipguard: no such zone" \
	"$VGCTL" -n "$r" check "$tmp/bad_kernel.conf"

ktap_test_result "apply of a failing file changes nothing" \
	eval '! "$VGCTL" -n "$r" apply "$tmp/bad_kernel.conf" 2>/dev/null &&
	      [ "$(gen "$r")" = "$before" ] &&
	      [ "$("$VGCTL" -n "$r" -j zone show | json_get "len(d)")" = 3 ]'

cat >"$tmp/dup.conf" <<'CONF'
zone voice 10.1.0.0/16
zone other 10.5.0.0/16 \
    10.1.0.0/16
CONF
ktap_test_result "continued line: error names the prefix and the first line" \
	expect_error 1 "dup.conf:2: .*another zone: 10.1.0.0/16" \
	"$VGCTL" -n "$r" check "$tmp/dup.conf"

check_ok()
{
	local out

	out=$("$VGCTL" -n "$r" check "$EXAMPLE") &&
	grep -q "configuration is valid" <<<"$out" &&
	[ "$(gen "$r")" = "$before" ]
}
ktap_test_result "check of a good file applies nothing" check_ok

# HALF IPv4 /32s and HALF IPv6 /64s in one zone: 20,000 prefixes, 10,000
# on the debug kernel.
HALF=10000
[ "${VG_DEBUG_KERNEL:-0}" = 1 ] && HALF=5000
python3 - "$tmp/big.conf" $HALF <<'PY'
import sys
half = int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("zone voice 10.10.0.0/16\nzone big \\\n")
    for i in range(half):
        f.write("    172.16.%d.%d \\\n" % (i // 256, i % 256))
    for i in range(half):
        f.write("    2001:db8:%x:%x::/64 \\\n" % (i // 256 + 0x100, i % 256))
    f.write("\npolicy big voice sip drop\n")
PY
big_apply()
{
	local t0=$SECONDS

	vgctl -n "$r" apply "$tmp/big.conf" || return 1
	echo "# applied in $((SECONDS - t0)) s"
	[ "$("$VGCTL" -n "$r" -j zone show big | json_get "d[0]['count']")" = $((2 * HALF)) ] &&
	[ "$("$VGCTL" -n "$r" -j zone show big | json_get "len(set(d[0]['prefixes']))")" = $((2 * HALF)) ]
}
ktap_test_result "$((2 * HALF))-prefix zone applied in one transaction, dumped complete" big_apply

big_round_trip()
{
	"$VGCTL" -n "$r" save >"$tmp/big1" &&
	vgctl -n "$s" apply "$tmp/big1" &&
	"$VGCTL" -n "$s" save >"$tmp/big2" &&
	cmp "$tmp/big1" "$tmp/big2"
}
ktap_test_result "large configuration: save, apply, save identical" big_round_trip

ktap_test_result "apply of a missing file fails" \
	expect_error 1 "nosuch.conf: No such file" \
	"$VGCTL" -n "$r" apply "$tmp/nosuch.conf"

# It would read as an empty file: applied, every zone and policy gone.
apply_dir()
{
	local before

	before=$(gen "$r")
	"$VGCTL" -n "$r" save >"$tmp/before_dir" &&
	expect_error 1 "^vgctl: $tmp: Is a directory$" \
		"$VGCTL" -n "$r" apply "$tmp" &&
	[ "$(gen "$r")" = "$before" ] &&
	"$VGCTL" -n "$r" save | cmp - "$tmp/before_dir"
}
ktap_test_result "apply of a directory: 'DIR: Is a directory', nothing applied" \
	apply_dir

numbers()
{
	vgctl -n "$u" config set mark-rtp 0x10 mark-sip 0XfF max-calls 010 \
		call-timeout 090 &&
	[ "$("$VGCTL" -n "$u" -j config show |
	     json_get "(d['mark_rtp'], d['mark_sip'], d['max_calls'], d['call_timeout'])")" = \
	  "(16, 255, 10, 90)" ]
}
ktap_test_result "numbers: 0x hex for the marks, leading zeros decimal" numbers

ktap_test_result "save to a full disk: error, exit 1" \
	expect_error 1 "cannot write to standard output: No space left on device" \
	sh -c '"$1" -n "$2" save >/dev/full' sh "$VGCTL" "$r"

ktap_test_result "a third namespace is untouched by the others' files" \
	eval '[ "$("$VGCTL" -n "$t" -j zone show | json_get "len(d)")" = 0 ]'

ktap_test_result "no kernel report" kmsg_check
ktap_finished
