#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every tests/selftests/test_*.sh in order and report one KTAP result
# per test case, numbered across all scripts:
#   ok N - load: load and unload 10 times
# Each script's own output streams first as "# " diagnostics. A script that
# exits 4 without results is one skipped case; one that fails without a
# "not ok" line (a crash) is one failed case.
#   tests/selftests/run_all.sh [TEST...]     (from anywhere, as root)

set -u
dir=$(cd "$(dirname "$0")" && pwd)
cd "$dir/../.." || exit 1

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=("$dir"/test_*.sh)
fi

results=()
fail=0

echo "KTAP version 1"
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	name=${name#test_}
	out=$(mktemp)
	echo "# === $name"
	# On the console too: a kernel report can then be placed in a test.
	echo "selftest: $name" 2>/dev/null >/dev/kmsg
	start=$SECONDS
	timeout "${VG_SELFTEST_TIMEOUT:-600}" bash "$t" 2>&1 | tee "$out" |
		sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	echo "# === $name: exit $rc after $((SECONDS - start))s"
	ncases=0
	nfail=0
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ )?ok\ [0-9]+\ -\ (.*)$ ]]; then
			ncases=$((ncases + 1))
			if [ -n "${BASH_REMATCH[1]}" ]; then
				nfail=$((nfail + 1))
				results+=("not ok|$name: ${BASH_REMATCH[2]}")
			else
				results+=("ok|$name: ${BASH_REMATCH[2]}")
			fi
		fi
	done <"$out"
	if [ "$rc" -eq 4 ] && [ "$ncases" -eq 0 ]; then
		why=$(grep -m1 '^# SKIP' "$out" | sed 's/^# SKIP:* *//')
		results+=("ok|$name # SKIP ${why:-skipped}")
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$nfail" -eq 0 ]; then
		results+=("not ok|$name: exited with status $rc")
		nfail=1
	fi
	[ "$nfail" -gt 0 ] && fail=1
	rm -f "$out"
done

echo "1..${#results[@]}"
i=0
for r in "${results[@]}"; do
	i=$((i + 1))
	echo "${r%%|*} $i - ${r#*|}"
done
exit $fail
