#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Raw generic netlink requests to the configuration operations (genl_raw.c,
# compiled here): unknown, truncated, oversized and wrongly nested
# attributes, wrong flags and foreign transactions are each refused with
# an errno and an extended ack message; a dump in several parts is
# flagged NLM_F_DUMP_INTR when the configuration changes between its parts,
# and only then; the kernel reports nothing.

. "$(dirname "$0")/lib.sh"

require_module
checktool "cc --version" "a C compiler"

tmp=$(mktemp -d)
defer rm -rf "$tmp"
if ! cc -O1 -Wall -Werror -I "$REPO/include" -o "$tmp/genl_raw" \
	"$REPO/tests/selftests/genl_raw.c"; then
	skip_all "genl_raw.c does not compile here"
fi

kmsg_mark
vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
setup_ns r || skip_all "cannot create namespaces"

# genl_raw prints the plan and its cases; add the kernel check after them.
out=$(ip netns exec "$r" "$tmp/genl_raw")
rc=$?
[ $rc -eq 4 ] && skip_all "voipguard family not found"
n=$(grep -cE '^(not )?ok ' <<<"$out")
sed -e "s/^1\.\.[0-9]*$/1..$((n + 1))/" <<<"$out" | grep -v '^# totals'
if kmsg_check; then
	echo "ok $((n + 1)) - no kernel report"
else
	echo "not ok $((n + 1)) - no kernel report"
	rc=1
fi
exit $rc
