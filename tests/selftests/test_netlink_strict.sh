#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Strict netlink validation: hand-made requests with wrong, unknown,
# truncated or unflagged attributes are refused with an errno AND an
# extended ack message; a well-formed request is accepted. The kernel
# reports nothing.

. "$(dirname "$0")/lib.sh"

require_module
checktool "python3 -c 'import socket; socket.AF_NETLINK'" "python3"

PROBE="python3 $(dirname "$0")/genl_probe.py"

ktap_print_header
ktap_set_plan 12
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard

# probe CASE ERRNO [MSG_PATTERN]: the reply has ERRNO and, for errors, an
# extended ack message matching MSG_PATTERN (any message if omitted).
probe()
{
	local out

	echo "# genl_probe.py $1"
	out=$($PROBE "$1") || return 1
	echo "# $out"
	[[ $out == "errno=$2 "* ]] || return 1
	[ "$2" -eq 0 ] && return 0
	[[ $out != *"msg=None"* ]] || return 1
	[ -z "${3:-}" ] || grep -qE "$3" <<<"$out"
}

ktap_test_result "well-formed config set accepted" probe valid_set 0
ktap_test_result "mode out of range refused with message" \
	probe mode_out_of_range 34 "range"
ktap_test_result "nest without NLA_F_NESTED refused with message" \
	probe nest_without_flag 22 "NLA_F_NESTED"
ktap_test_result "missing configuration nest refused with message" \
	probe missing_config 22 "configuration nest missing"
ktap_test_result "empty configuration refused with message" \
	probe empty_config 22 "no configuration key"
ktap_test_result "key not settable refused with message" \
	probe unsupported_key 22
ktap_test_result "attribute sent to an operation without any refused" \
	probe attr_to_get 22
ktap_test_result "unknown attribute type refused with message" \
	probe unknown_attr_type 22
ktap_test_result "attribute of the wrong size refused with message" \
	probe wrong_attr_size 22 "length"
ktap_test_result "truncated attribute refused with message" \
	probe truncated_attr 22
ktap_test_result "reserved header field refused with message" \
	probe reserved_nonzero 22 "reserved"
ktap_test_result "no kernel report" kmsg_check
ktap_finished
