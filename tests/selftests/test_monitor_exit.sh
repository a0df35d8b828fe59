#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How "vgctl monitor" ends, or does not, when fed to another program; the
# events are configuration changes in one namespace.
#
# Expected: with standard output on a full disk, or on a pipe whose reader
# has gone while SIGPIPE is ignored, the next event ends monitor with exit
# status 1 and "cannot write to standard output" (it never runs on,
# writing into nothing); each event reaches a pipe as it happens (head -n 1
# returns while monitor still runs); a receive buffer overrun under a
# burst is a warning on standard error, and later events still print;
# unloading the module ends monitor with exit status 1 and a message, as
# no event can come any more.

. "$(dirname "$0")/lib.sh"

require_module
require_vgctl
checktool "ip -V" "iproute2"
checktool "timeout --version" "coreutils"

ktap_print_header
ktap_set_plan 5
kmsg_mark

vg_module_load || skip_all "cannot load $VG_MODULE"
defer rmmod voipguard

setup_ns ns || skip_all "cannot create namespaces"

work=$(mktemp -d)
defer rm -rf "$work"

vgctl -n "$ns" config set event-rate 0 || echo "# event-rate 0 failed"

# event: one configuration change, hence one config event.
EVENTS=0
event()
{
	EVENTS=$((EVENTS + 1))
	"$VGCTL" -n "$ns" config set max-calls $((1000 + EVENTS))
}

listening()
{
	grep -q listening "$1"
}

# ended RCFILE: true once the monitor's exit status was written.
ended()
{
	[ -s "$1" ]
}

# monitor_bg NAME REDIRECT: monitor -j in the background, stdout to
# REDIRECT, stderr in $work/NAME.err, exit status in $work/NAME.rc; waits
# until it listens.
monitor_bg()
{
	local name=$1 to=$2

	(
		"$VGCTL" -n "$ns" -j monitor >"$to" 2>"$work/$name.err" &
		echo $! >"$work/$name.pid"
		wait $!
		echo $? >"$work/$name.rc"
	) &
	busywait 2000 test -s "$work/$name.pid"
	defer kill "$(cat "$work/$name.pid")"
	busywait 10000 listening "$work/$name.err"
}

# report NAME: what the monitor printed and how it ended.
report()
{
	echo "# $1: exit status $(cat "$work/$1.rc" 2>/dev/null || echo none, still running)"
	sed "s/^/# $1 stderr: /" "$work/$1.err"
}

full_disk()
{
	monitor_bg full /dev/full || return 1
	event
	slowwait 10 ended "$work/full.rc"
	report full
	[ "$(cat "$work/full.rc" 2>/dev/null)" = 1 ] &&
	grep -q "^vgctl: cannot write to standard output: No space left on device" \
		"$work/full.err"
}
ktap_test_result "stdout on a full disk: the next event ends it, exit 1" \
	full_disk

closed_pipe()
{
	(
		trap '' PIPE
		"$VGCTL" -n "$ns" -j monitor 2>"$work/pipe.err" &
		echo $! >"$work/pipe.pid"
		wait $!
		echo $? >"$work/pipe.rc"
	) | head -n 1 >"$work/pipe.out" &
	busywait 2000 test -s "$work/pipe.pid"
	defer kill "$(cat "$work/pipe.pid")"
	busywait 10000 listening "$work/pipe.err" || return 1
	event
	if ! slowwait 10 test -s "$work/pipe.out"; then
		echo "# the first event did not reach head"
		return 1
	fi
	sed 's/^/# head: /' "$work/pipe.out"
	# head has gone: the next write fails with EPIPE.
	event
	slowwait 10 ended "$work/pipe.rc"
	report pipe
	[ "$(cat "$work/pipe.rc" 2>/dev/null)" = 1 ] &&
	grep -q "^vgctl: cannot write to standard output" "$work/pipe.err"
}
ktap_test_result "SIGPIPE ignored, 'monitor | head -n 1': the event reaches head at once, the next ends monitor, exit 1" \
	closed_pipe

# A small receive buffer (net.core.rmem_max caps it) and a stopped monitor:
# a burst overruns it.
overrun()
{
	local rmem pid i

	rmem=$(sysctl -n net.core.rmem_max) || return 1
	sysctl -qw net.core.rmem_max=4096 || return 1
	monitor_bg burst "$work/burst.out"
	sysctl -qw net.core.rmem_max="$rmem"
	pid=$(cat "$work/burst.pid")
	kill -STOP "$pid"
	for i in $(seq 40); do
		event
	done
	kill -CONT "$pid"
	slowwait 10 grep -q "events lost" "$work/burst.err"
	event
	last()
	{
		grep -q "\"generation\"" "$work/burst.out" &&
		[ "$(tail -n 1 "$work/burst.out" | json_get "d['generation']")" = \
		  "$("$VGCTL" -n "$ns" -j config show | json_get "d['generation']")" ]
	}
	slowwait 10 last
	echo "# $(wc -l <"$work/burst.out") of 41 events printed"
	report burst
	! ended "$work/burst.rc" && last &&
	grep -q "^vgctl: warning: events lost (receive buffer overrun)" \
		"$work/burst.err"
}
ktap_test_result "receive buffer overrun: a warning, later events still printed" \
	overrun

unloaded()
{
	monitor_bg unload "$work/unload.out" || return 1
	vg_module_unload || return 1
	slowwait 10 ended "$work/unload.rc"
	report unload
	[ "$(cat "$work/unload.rc" 2>/dev/null)" = 1 ] &&
	grep -q "^vgctl: the voipguard module was unloaded" "$work/unload.err"
}
ktap_test_result "module unloaded while monitoring: exit 1 with a message" \
	unloaded

ktap_test_result "no kernel report" kmsg_check
ktap_finished
