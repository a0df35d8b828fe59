#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks. Print figures; never fail on them.
#   tests/bench/run.sh core   protocol core: ns/op and instructions/op
#   tests/bench/run.sh        every bench script here (core first)
#
# Instructions per operation come from callgrind (deterministic): the
# operation's function is the only one collected (--toggle-collect), over
# a fixed number of calls, and the count is divided by that number.
set -u
cd "$(dirname "$0")/../.."

bench_core() {
	local bin=build/bench/bench_core op ns ir n target ratio out
	# make rebuilds it only when a source changed
	make --no-print-directory benches >/dev/null || return 1
	local have_vg=0
	command -v valgrind >/dev/null 2>&1 && have_vg=1
	[ $have_vg -eq 1 ] || echo "# valgrind not installed: no instruction counts"
	out=$(mktemp -d)
	trap 'rm -rf "$out"' RETURN
	echo "# protocol core, $(uname -m), $(${CC:-cc} --version | head -n 1)"
	printf '%-12s %10s %12s %8s %7s\n' op ns/op instr/op target ratio
	for op in $("$bin" -l); do
		ns=$("$bin" -t "$op" | awk '{ print $2 }')
		ir=-
		if [ $have_vg -eq 1 ]; then
			case "$op" in
			invite_sdp|ok200_sdp|bye) n=2000 ;;
			*) n=20000 ;;
			esac
			valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
				--toggle-collect="bench_op_$op" "$bin" -n "$n" "$op" \
				>/dev/null 2>&1
			ir=$(awk -v n="$n" '/^summary:/ { printf "%.0f", $2 / n }' \
				"$out/cg" 2>/dev/null)
			[ -n "$ir" ] || ir=-
		fi
		case "$op" in
		rtp) target=150 ;;
		invite_sdp) target=5000 ;;
		*) target=- ;;
		esac
		ratio=-
		if [ "$target" != - ] && [ "$ir" != - ]; then
			ratio=$(awk -v a="$ir" -v b="$target" 'BEGIN { printf "%.2f", a / b }')
		fi
		printf '%-12s %10s %12s %8s %7s\n' "$op" "${ns:--}" "$ir" "$target" "$ratio"
	done
}

case "${1:-all}" in
core)
	bench_core
	;;
all)
	bench_core
	for s in tests/bench/*.sh; do
		[ "$s" = tests/bench/run.sh ] && continue
		[ -x "$s" ] || continue
		echo "# $s"
		"$s" || echo "# $s exited $?"
	done
	;;
*)
	echo "usage: $0 [core]" >&2
	exit 2
	;;
esac
exit 0
