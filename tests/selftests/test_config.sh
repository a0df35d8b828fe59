#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration over netlink: mode set and shown, generation bumped on each
# change, per namespace.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "python3 -c 'import json'" "python3"

ktap_print_header
ktap_set_plan 5
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard
setup_ns a b || skip_all "cannot create namespaces"

cfg()
{
	"$VGCTL" -n "$1" -j config show | json_get "d['$2']"
}

defaults()
{
	[ "$(cfg "$a" mode)" = enforce ] && [ -n "$(cfg "$a" version)" ]
}
ktap_test_result "default mode is enforce, version reported" defaults

set_monitor()
{
	local gen

	gen=$(cfg "$a" generation)
	vgctl -n "$a" config set mode monitor || return 1
	[ "$(cfg "$a" mode)" = monitor ] &&
	[ "$(cfg "$a" generation)" -gt "$gen" ]
}
ktap_test_result "config set mode monitor, generation bumped" set_monitor

ktap_test_result "other namespace unchanged" eval '[ "$(cfg "$b" mode)" = enforce ]'

back_to_enforce()
{
	vgctl -n "$a" config set mode enforce &&
	[ "$(cfg "$a" mode)" = enforce ] &&
	vgctl -n "$a" config show | grep -q "mode enforce"
}
ktap_test_result "config set mode enforce, text output" back_to_enforce

ktap_test_result "no kernel report" kmsg_check
ktap_finished
