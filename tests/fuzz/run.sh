#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every libFuzzer target for SECONDS each, seeded from the shared corpus.
# Prints one TAP line per target: a crash, leak or timeout fails it and
# leaves the reproducer under build/fuzz/artifacts/.
#   tests/fuzz/run.sh SECONDS
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-600}
corpus=../shared/corpus
mkdir -p build/fuzz/artifacts

seeds_for() {
	case "$1" in
	fuzz_sip)	echo "$corpus/seeds/sip $corpus/sip/rfc4475" ;;
	fuzz_sdp)	echo "$corpus/seeds/sdp" ;;
	fuzz_rtp)	echo "$corpus/seeds/rtp" ;;
	fuzz_rtcp)	echo "$corpus/seeds/rtcp" ;;
	fuzz_replay)	echo "$corpus/pcap" ;;
	fuzz_call)	echo "$corpus/seeds/sip $corpus/sip/rfc4475" ;;
	*)		echo "" ;;
	esac
}

n=0
rc=0
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	n=$((n + 1))
	work=build/fuzz/corpus-$name
	mkdir -p "$work"
	dirs=()
	for d in $(seeds_for "$name"); do
		[ -d "$d" ] && dirs+=("$d")
	done
	log=build/fuzz/$name.log
	echo "# $name: ${seconds}s, seeds: ${dirs[*]:-none}"
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/"$name"- \
		"$work" "${dirs[@]}" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok $n - $name ran ${seconds}s clean (${execs:-?} inputs)"
	else
		tail -n 40 "$log" | sed 's/^/#   /'
		echo "not ok $n - $name found a crash (log: $log)"
		rc=1
	fi
done
if [ $n -eq 0 ]; then
	echo "fuzz: no fuzz targets built (make fuzzers)" >&2
	exit 1
fi
echo "1..$n"
exit $rc
