#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build voipguard and run every test: host suites (unit, corpus, cli, fuzz)
# and the netns selftests inside a VM. Every suite speaks TAP/KTAP; each
# result line is counted and the run ends with "N passed, N failed".
#   tests/check.sh           host suites + VM selftests on the Debian kernel
#   tests/check.sh --debug   VM selftests on the KASAN/lockdep/kmemleak kernel
# With CI=true a skipped test counts as failed: CI must run everything.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD

mode=normal
[ "${1:-}" = --debug ] && mode=debug
results=build/results/$mode
rm -rf "$results"
mkdir -p "$results"

passed=0
failed=0
skipped=0
failures=()

# Count the top-level TAP lines of one suite's log.
tally() {
	local name=$1 log=$2 rc=$3 p f s
	p=$(grep -cE '^ok [0-9]+' "$log" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$log" | tr -d ' ')
	p=$((p - s))
	while read -r line; do
		failures+=("$name: $line")
	done < <(grep -E '^not ok [0-9]+' "$log")
	if [ "$rc" -eq 4 ] && [ $((p + f)) -eq 0 ]; then
		s=$((s + 1))
		failures+=("$name: skipped as a whole")
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		failures+=("$name: exited with status $rc")
	fi
	if [ "${CI:-}" = true ] && [ "$s" -gt 0 ]; then
		echo "# $name: $s skipped; CI runs everything, so they count as failed"
		f=$((f + s))
		s=0
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "# $name: $p passed, $f failed, $s skipped"
}

# suite NAME CMD...: run a TAP-speaking command.
suite() {
	local name=$1 log=$results/$1.log rc
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	tally "$name" "$log" "$rc"
}

# step NAME CMD...: one check whose exit status is the result.
step() {
	local name=$1 log=$results/$1.log rc
	shift
	echo "=== $name: $*"
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		tail -n 3 "$log" | sed 's/^/#   /'
		echo "ok 1 - $name" >>"$log"
	else
		tail -n 60 "$log"
		echo "not ok 1 - $name" >>"$log"
	fi
	tally "$name" "$log" 0
	return $rc
}

# The module must build with W=1 and no warning at all.
build_module_clean() {
	local kdir=$1 log
	log=$(mktemp)
	make --no-print-directory -C "$kdir" M="$2" W=1 modules 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	if grep -q 'warning:' "$log"; then
		echo "module build has warnings"
		rc=1
	fi
	rm -f "$log"
	return $rc
}

# Seconds each selftest script took on the debug kernel in a one-CPU VM
# beside another; a script not listed counts 150. They only balance the VMs.
declare -A debug_cost=(
	[config]=82 [config_file]=159 [counters]=225 [datapath_basic]=174
	[datapath_fragments]=72 [datapath_gso]=122 [datapath_limits]=197
	[datapath_loopback]=62 [direct_media]=229 [dp_flood]=298
	[dp_media]=251 [dp_monitor]=236 [dp_rfc4475]=141 [dp_sipp_call]=379
	[dp_zones]=218 [genl_raw]=58 [load]=226 [monitor]=583
	[monitor_exit]=130 [netlink_strict]=138 [policy_cmds]=199
	[state_dumps]=514 [state_limits]=157 [table_growth]=231
	[vgctl_errors]=34 [vgctl_netlink]=150 [zone_lookup]=126 [zones]=130
)

# debug_shards N TEST...: N lines, the scripts of each VM. Costliest script
# first, each to the VM with the least so far, so the VMs end together.
debug_shards() {
	local n=$1 t name cost k best load=() shard=()
	shift
	for ((k = 0; k < n; k++)); do
		load[k]=0
		shard[k]=
	done
	while read -r cost t; do
		best=0
		for ((k = 1; k < n; k++)); do
			[ "${load[k]}" -lt "${load[best]}" ] && best=$k
		done
		load[best]=$((load[best] + cost))
		shard[best]+="$t "
	done < <(for t in "$@"; do
		name=$(basename "$t" .sh)
		echo "${debug_cost[${name#test_}]:-150} $t"
	done | sort -k1,1nr -k2,2)
	for ((k = 0; k < n; k++)); do
		echo "${shard[k]}"
	done
}

# debug_vms KDIR MODULE N TEST...: the debug-kernel selftests in one
# two-CPU VM, or split over N one-CPU VMs run side by side (debug_shards).
# Two-CPU VMs side by side on two host CPUs spin on locks whose holder is
# descheduled; one-CPU VMs queue a whole netlink dump before its reader
# runs, which test_state_dumps's interruption case cannot work with.
debug_vms() {
	local kdir=$1 ko=$2 n=$3 k=0 i name line pids=() names=()
	local vm_timeout=3900
	shift 3
	if [ -n "${VG_DEBUG_DEADLINE:-}" ]; then
		vm_timeout=$((VG_DEBUG_DEADLINE - $(date +%s)))
		echo "# debug VMs get the ${vm_timeout}s left before VG_DEBUG_DEADLINE"
		if [ "$vm_timeout" -lt 60 ]; then
			failures+=("debug VMs: not started, VG_DEBUG_DEADLINE is (nearly) past")
			failed=$((failed + 1))
			return
		fi
	fi
	while read -r line; do
		k=$((k + 1))
		local shard=()
		read -r -a shard <<<"$line"
		[ ${#shard[@]} -gt 0 ] || continue
		name=vm-debug-selftests-$k
		echo "=== $name: ${shard[*]##*/}"
		tests/vm/vm-run --kernel "$kdir" --kmemleak --timeout "$vm_timeout" \
			--cpus $((n > 1 ? 1 : 2)) --mem 2048 --console-log "$results/console-$k.log" -- \
			"${vm_env[@]}" VG_MODULE="$ko" VG_DEBUG_KERNEL=1 \
			VG_SELFTEST_TIMEOUT=1500 \
			tests/selftests/run_all.sh "${shard[@]}" \
			</dev/null >"$results/$name.log" 2>&1 &
		pids+=($!)
		names+=("$name")
	done < <(debug_shards "$n" "$@")
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}"
		k=$?
		echo "=== ${names[$i]}"
		cat "$results/${names[$i]}.log"
		tally "${names[$i]}" "$results/${names[$i]}.log" "$k"
	done
}

finish() {
	echo
	if [ ${#failures[@]} -gt 0 ]; then
		echo "# failures:"
		printf '#   %s\n' "${failures[@]}"
	fi
	echo "$passed $failed $skipped" >"$results/summary"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
	exit $?
}

kver=$(ls -1 /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -n 1)
vm_env=(env VG_VGCTL="$ROOT/build/vgctl" VG_ROOT="$ROOT")

if [ $mode = normal ]; then
	step build-module build_module_clean "/lib/modules/$kver/build" "$ROOT"
	step style make --no-print-directory style
	step build-vgctl make --no-print-directory vgctl
	suite packaging tests/packaging/install.sh
	step build-host-tests make --no-print-directory host-tests
	for t in build/host/tests/test_*; do
		[ -x "$t" ] && suite "unit-$(basename "$t")" "$t"
	done
	for t in tests/corpus/*.sh; do
		[ -x "$t" ] && suite "corpus-$(basename "$t" .sh)" "$t"
	done
	for t in tests/cli/*.sh; do
		[ -x "$t" ] && suite "cli-$(basename "$t" .sh)" "$t"
	done
	if step build-fuzzers make --no-print-directory fuzzers; then
		suite fuzz tests/fuzz/run.sh "${FUZZ_CHECK_TIME:-20}"
	fi
	suite vm-runner tests/vm/selftest.sh
	suite vm-selftests tests/vm/vm-run --timeout 2700 --console-log "$results/console.log" -- \
		"${vm_env[@]}" VG_MODULE="$ROOT/voipguard.ko" tests/selftests/run_all.sh
else
	# Debug lane: selftests again on a kernel that catches memory and
	# locking bugs, then a kmemleak scan. That kernel runs ~35x slower at
	# packets; the scripts size their traffic by VG_DEBUG_KERNEL.
	# By default 18 scripts that between them reach most of the module:
	# load and netns exit, the netlink commands and dumps, SIP, SDP and
	# media through the hook in both families, fragments, GSO, loopback,
	# limits, table growth, zone lookup, events. The other 10 run in the
	# normal lane only: the debug kernel is too slow for all 28 within CI's
	# time. VG_DEBUG_TESTS="load genl_raw ..." runs the scripts named,
	# VG_DEBUG_TESTS=all every one.
	debug_default="load genl_raw netlink_strict config vgctl_errors
		state_dumps state_limits table_growth dp_sipp_call dp_media
		dp_rfc4475 datapath_fragments datapath_gso datapath_loopback
		datapath_limits zone_lookup monitor monitor_exit"
	debug_tests=()
	if [ "${VG_DEBUG_TESTS:-}" = all ]; then
		debug_tests=(tests/selftests/test_*.sh)
	else
		for t in ${VG_DEBUG_TESTS:-$debug_default}; do
			t=tests/selftests/test_$t.sh
			if [ ! -f "$t" ]; then
				echo "check.sh: VG_DEBUG_TESTS: no selftest $t" >&2
				exit 2
			fi
			debug_tests+=("$t")
		done
	fi
	vm_count=${VG_DEBUG_VMS:-1}
	if ! [[ $vm_count =~ ^[1-9][0-9]*$ ]]; then
		echo "check.sh: VG_DEBUG_VMS wants a number of VMs, not '$vm_count'" >&2
		exit 2
	fi
	if ! [[ ${VG_DEBUG_DEADLINE:-1} =~ ^[1-9][0-9]*$ ]]; then
		echo "check.sh: VG_DEBUG_DEADLINE wants a time in seconds since the epoch, not '$VG_DEBUG_DEADLINE'" >&2
		exit 2
	fi
	if step debug-kernel tests/debug/build-kernel.sh; then
		# Both scripts print their result (a path) last.
		kdir=$(grep -v '^ok 1 - ' "$results/debug-kernel.log" | tail -n 1)
		if step debug-module tests/debug/module-build.sh "$kdir" \
			"$ROOT/build/debug/module"; then
			ko=$(grep -v '^ok 1 - ' "$results/debug-module.log" | tail -n 1)
			step build-vgctl make --no-print-directory vgctl
			debug_vms "$kdir" "$ko" "$vm_count" "${debug_tests[@]}"
		fi
	fi
fi
finish
