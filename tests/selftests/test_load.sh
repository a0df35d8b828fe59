#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module life cycle: load and unload repeatedly, with namespaces that exist
# before the load, come and go while it is loaded, and outlive it. The
# kernel must report nothing.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
ktap_print_header
ktap_set_plan 5
kmsg_mark

load_unload_10()
{
	local i

	for i in $(seq 1 10); do
		vg_module_load || return 1
		vg_module_loaded || return 1
		vg_module_unload || return 1
	done
	! vg_module_loaded
}
ktap_test_result "load and unload 10 times" load_unload_10

# The family answers while loaded and is gone after unload.
family_follows_module()
{
	vg_module_load || return 1
	vgctl config show || return 1
	vg_module_unload || return 1
	! "$VGCTL" config show 2>/dev/null
}
ktap_test_result "netlink family present only while loaded" family_follows_module

# Namespaces that exist before the load get their state (pernet init runs
# for them) and those created and deleted while loaded free theirs.
namespaces_around_load()
{
	local ns_before ns_during

	setup_ns ns_before || return 1
	vg_module_load || return 1
	n "$ns_before" "$VGCTL" stats show >/dev/null || return 1
	setup_ns ns_during || return 1
	n "$ns_during" "$VGCTL" stats show >/dev/null || return 1
	run ip netns del "$ns_during" || return 1
	vg_module_unload
}
ktap_test_result "namespaces created before and during load" namespaces_around_load

# Unload while packets flow through a namespace with hooks registered.
# An nft table keeps hooks of its own at voipguard's hook points, so that
# loading and unloading do not switch netfilter's static keys: rewriting
# the kernel text a flooding CPU runs has hung that vCPU under QEMU TCG
# (in ip_rcv, with no voipguard code on its stack).
unload_under_traffic()
{
	local ns pid rc=0

	setup_ns ns || return 1
	ip netns exec "$ns" nft -f - <<-EOF || return 1
	table inet vgload {
		chain hold_pre { type filter hook prerouting priority 0; }
		chain hold_fwd { type filter hook forward priority 0; }
		chain hold_out { type filter hook output priority 0; }
	}
	EOF
	vg_module_load || return 1
	ip netns exec "$ns" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + 120
while time.monotonic() < end:
    s.sendto(b"x" * 64, ("127.0.0.1", 9))
' &
	pid=$!
	# Unload only once packets are seen flowing (python starts slowly on
	# a loaded emulated machine, hence the long bound).
	busywait 60000 eval '[ "$("$VGCTL" -n "$ns" -j stats show 2>/dev/null |
		json_get "d[\"packets\"][\"ipv4\"]")" -gt 0 ]' || rc=1
	vg_module_unload || rc=1
	vg_module_load || rc=1
	vg_module_unload || rc=1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return $rc
}
if python3 -c 'import socket' 2>/dev/null; then
	ktap_test_result "unload while packets flow" unload_under_traffic
else
	ktap_test_skip "unload while packets flow" "python3 not installed"
fi

ktap_test_result "no kernel report" kmsg_check
ktap_finished
