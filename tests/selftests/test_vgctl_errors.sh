#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vgctl's errors: a clear message and exit status 1 when the module is not
# loaded; a permission error with a message for users without CAP_NET_ADMIN
# over the namespace (including root of a user namespace that does not own
# the network namespace); success for the owner of a namespace created in
# a user namespace; usage errors exit 2.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "setpriv --version" "setpriv (util-linux)"
checktool "unshare --version" "unshare (util-linux)"

ktap_print_header
ktap_set_plan 7
kmsg_mark

NOBODY=65534
# A copy any user can run, wherever the checkout lives.
bindir=$(mktemp -d)
defer rm -rf "$bindir"
cp "$VGCTL" "$bindir/vgctl" && chmod 755 "$bindir" "$bindir/vgctl"
VGCTL_ANY=$bindir/vgctl

ktap_test_result "module not loaded: clear error, exit 1" \
	expect_error 1 "voipguard module not loaded \(generic netlink family 'voipguard' not found\)" \
	"$VGCTL" stats show

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard

as_nobody()
{
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}

ktap_test_result "unprivileged user: permission error, exit 1" \
	expect_error 1 "permission denied: CAP_NET_ADMIN .*\(Operation not permitted\)" \
	as_nobody "$VGCTL_ANY" stats show

# Root of a fresh user namespace has every capability there, but the
# network namespace still belongs to the initial user namespace.
if as_nobody unshare -U -r true 2>/dev/null; then
	ktap_test_result "root of another user namespace: permission error" \
		expect_error 1 "permission denied: CAP_NET_ADMIN" \
		as_nobody unshare -U -r "$VGCTL_ANY" stats show
	owner_ok()
	{
		echo "# unshare -U -r -n vgctl config show (as uid $NOBODY)"
		as_nobody unshare -U -r -n "$VGCTL_ANY" -j config show |
			json_get "d['mode']" | grep -qx enforce
	}
	ktap_test_result "owner of a namespace made in a user namespace: allowed" owner_ok
else
	ktap_test_skip "root of another user namespace: permission error" \
		"unprivileged user namespaces disabled"
	ktap_test_skip "owner of a namespace made in a user namespace: allowed" \
		"unprivileged user namespaces disabled"
fi

ktap_test_result "unknown object: usage error, exit 2" \
	expect_error 2 "unknown object 'frobnicate'" "$VGCTL" frobnicate
ktap_test_result "bad config value: usage error, exit 2" \
	expect_error 2 "mode: expected enforce or monitor" \
	"$VGCTL" config set mode sideways

ktap_test_result "no kernel report" kmsg_check
ktap_finished
