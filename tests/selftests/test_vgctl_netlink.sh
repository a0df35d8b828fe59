#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vgctl's netlink requests when the kernel interrupts or fails a dump, or
# the socket fails a request, made to happen on demand by nl_inject.c (an
# LD_PRELOAD library, compiled here):
# - a configuration change between the parts of a zone dump (the kernel
#   flags the later parts NLM_F_DUMP_INTR): vgctl dumps again and prints
#   the whole zone, exit 0; "save" too;
# - a change under every dump: vgctl gives up after 5 dumps with a clear
#   error, exit 1;
# - a dump that ends in an error (the errno, and the extack message, in its
#   NLMSG_DONE): vgctl prints the kernel's message, prints no list, exit 1,
#   and frees what it had read (valgrind);
# - a statement the socket cannot send: libnl's reason, exit 1.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "cc --version" "a C compiler"
checktool "python3 -c 'import json'" "python3"

tmp=$(mktemp -d)
defer rm -rf "$tmp"
if ! cc -O1 -Wall -Werror -shared -fPIC -o "$tmp/nl_inject.so" \
	"$REPO/tests/selftests/nl_inject.c" -ldl; then
	skip_all "nl_inject.c does not compile here"
fi

ktap_print_header
ktap_set_plan 10
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
setup_ns r || skip_all "cannot create namespaces"

# A zone of 6,000 prefixes: its dump takes about 8 parts, more than the
# kernel fills ahead while vgctl reads the first.
PREFIXES=6000
python3 - "$tmp/big.conf" $PREFIXES <<'PY'
import sys
n = int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("config mark-rtp 7\nzone big \\\n")
    for i in range(n):
        f.write("    172.16.%d.%d \\\n" % (i // 256, i % 256))
    f.write("\npolicy big any sip drop\n")
PY
vgctl -n "$r" apply "$tmp/big.conf" || echo "# apply failed"
"$VGCTL" -n "$r" save >"$tmp/saved" || echo "# save failed"

# Setting mark-rtp to the value it has changes nothing but the generation.
CHANGE="$VGCTL config set mark-rtp 7"

# inject VAR=VALUE... -- ARGS...: vgctl -n $r ARGS with the library and
# those settings; stdout in $tmp/out, stderr in $err, status in $rc, the
# library's log in $tmp/log.
inject()
{
	local vars=()

	while [ "$1" != -- ]; do
		vars+=("$1")
		shift
	done
	shift
	: >"$tmp/log"
	echo "# ${vars[*]} vgctl -n $r $*"
	err=$(env LD_PRELOAD="$tmp/nl_inject.so" VG_INJECT_LOG="$tmp/log" \
		"${vars[@]}" "$VGCTL" -n "$r" "$@" 2>&1 >"$tmp/out")
	rc=$?
	echo "# exit $rc: $err"
	echo "# events: $(sort "$tmp/log" | uniq -c | xargs)"
}

count()
{
	grep -cx "$1" "$tmp/log"
}

zone_count()
{
	json_get "len(set(d[0]['prefixes'])) if d[0]['count'] == len(d[0]['prefixes']) else -1" \
		<"$tmp/out"
}

interrupted_once()
{
	inject VG_INJECT_INTR_CMD="$CHANGE" -- -j zone show big &&
	[ "$rc" -eq 0 ] && [ -z "$err" ] &&
	[ "$(count changed)" = 1 ] && [ "$(count intr)" -ge 1 ] &&
	[ "$(count done)" = 2 ] &&
	[ "$(zone_count)" = $PREFIXES ]
}
ktap_test_result "zone dump interrupted by a change: dumped again, all $PREFIXES prefixes, exit 0" \
	interrupted_once

# save dumps zones, policy and srtp entries: all three once more.
save_interrupted()
{
	inject VG_INJECT_INTR_CMD="$CHANGE" -- save &&
	[ "$rc" -eq 0 ] && [ -z "$err" ] &&
	[ "$(count changed)" = 1 ] && [ "$(count intr)" -ge 1 ] &&
	[ "$(count done)" = 6 ] &&
	cmp "$tmp/saved" "$tmp/out"
}
ktap_test_result "save interrupted by a change: all read again, the same text" \
	save_interrupted

always_interrupted()
{
	inject VG_INJECT_INTR_CMD="$CHANGE" VG_INJECT_INTR_TIMES=100 -- \
		zone show big &&
	[ "$rc" -eq 1 ] &&
	[ "$err" = "vgctl: the configuration kept changing while being read" ] &&
	[ "$(count changed)" = 5 ] && [ "$(count done)" = 5 ] &&
	[ ! -s "$tmp/out" ]
}
ktap_test_result "changes under every dump: 5 dumps, then an error, exit 1" \
	always_interrupted

# The kernel's own message for a dump object too large for a message.
done_error()
{
	inject VG_INJECT_DONE_ERRNO=90 \
		VG_INJECT_DONE_MSG="voipguard: object too large for a dump message" \
		-- zone show big &&
	[ "$rc" -eq 1 ] &&
	[ "$err" = "vgctl: kernel: voipguard: object too large for a dump message (Message too long)" ] &&
	[ "$(count done)" = 1 ] && [ ! -s "$tmp/out" ]
}
ktap_test_result "zone dump ending in an error: the kernel's message, no list, exit 1" \
	done_error

done_error_bare()
{
	inject VG_INJECT_DONE_ERRNO=105 -- -j flow show &&
	[ "$rc" -eq 1 ] &&
	[ "$err" = "vgctl: kernel: No buffer space available" ] &&
	[ ! -s "$tmp/out" ]
}
ktap_test_result "flow dump ending in an error without a message: the errno, exit 1" \
	done_error_bare

ktap_test_result "save with a dump ending in an error: exit 1, nothing printed" \
	eval 'inject VG_INJECT_DONE_ERRNO=90 -- save &&
	      [ "$rc" -eq 1 ] && [ "$err" = "vgctl: kernel: Message too long" ] &&
	      [ ! -s "$tmp/out" ]'

# The zone's prefixes are read before the error: none may be lost.
no_leak()
{
	local log=$tmp/valgrind.log

	echo "# valgrind vgctl -n $r save, with a dump ending in an error"
	env LD_PRELOAD="$tmp/nl_inject.so" VG_INJECT_DONE_ERRNO=90 \
		valgrind -q --log-file="$log" --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$VGCTL" -n "$r" save >/dev/null 2>"$tmp/err"
	rc=$?
	echo "# exit $rc: $(cat "$tmp/err")"
	sed 's/^/# /' "$log" | head -n 30
	[ "$rc" -eq 1 ] && grep -qx "vgctl: kernel: Message too long" "$tmp/err"
}
if command -v valgrind >/dev/null; then
	ktap_test_result "a read that fails after a dump frees what it read" no_leak
else
	ktap_test_skip "a read that fails after a dump frees what it read" \
		"no valgrind"
fi

undisturbed()
{
	inject -- -j zone show big &&
	[ "$rc" -eq 0 ] && [ "$(count intr)" = 0 ] && [ "$(count done)" = 1 ] &&
	[ "$(zone_count)" = $PREFIXES ]
}
ktap_test_result "the same dump undisturbed: one dump, no flag" undisturbed

# Statements are sent quietly, for their errors to name the statement.
ktap_test_result "zone add the socket cannot send: libnl's reason, exit 1" \
	eval 'inject VG_INJECT_SEND_ERRNO=13 -- zone add lab 10.9.0.0/16 &&
	      [ "$rc" -eq 1 ] &&
	      [ "$err" = "vgctl: cannot send to the kernel: No Access" ]'

ktap_test_result "no kernel report" kmsg_check
ktap_finished
