# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the voipguard selftests. Source it from a test script:
#   . "$(dirname "$0")/lib.sh"
# Tests run as root, in a VM (tests/vm/vm-run) or on any machine that can
# load modules. Each prints KTAP and exits 0 (pass), 1 (fail) or 4 (skip).

set -u

REPO=${VG_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VG_MODULE=${VG_MODULE:-$REPO/voipguard.ko}
VGCTL=${VG_VGCTL:-$REPO/build/vgctl}
ksft_skip=4

# ---- cleanup: deferred commands run in reverse order on exit ----

VG_DEFER=()

defer()
{
	VG_DEFER+=("$*")
}

vg_run_deferred()
{
	local i

	for ((i = ${#VG_DEFER[@]} - 1; i >= 0; i--)); do
		eval "${VG_DEFER[i]}" >/dev/null 2>&1
	done
	VG_DEFER=()
}
trap vg_run_deferred EXIT

# ---- KTAP ----

KTAP_CNT=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

ktap_print_header()
{
	echo "KTAP version 1"
}

ktap_set_plan()
{
	echo "1..$1"
}

ktap_test_pass()
{
	KTAP_CNT=$((KTAP_CNT + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_CNT - $1"
}

ktap_test_fail()
{
	KTAP_CNT=$((KTAP_CNT + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_CNT - $1"
}

# ktap_test_skip NAME WHY
ktap_test_skip()
{
	KTAP_CNT=$((KTAP_CNT + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_CNT - $1 # SKIP $2"
}

# ktap_test_result NAME CMD...: one case whose result is CMD's status.
ktap_test_result()
{
	local name=$1

	shift
	if "$@"; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
	fi
}

# Exit with the status the runner expects.
ktap_finished()
{
	echo "# totals: pass:$KTAP_PASS fail:$KTAP_FAIL skip:$KTAP_SKIP"
	if [ "$KTAP_FAIL" -gt 0 ]; then
		exit 1
	elif [ "$KTAP_PASS" -eq 0 ] && [ "$KTAP_SKIP" -gt 0 ]; then
		exit $ksft_skip
	fi
	exit 0
}

# Skip the whole test (before any case ran).
skip_all()
{
	echo "# SKIP: $*"
	exit $ksft_skip
}

# checktool CMD WHY: skip the test unless CMD runs.
checktool()
{
	if ! eval "$1" >/dev/null 2>&1; then
		skip_all "could not run test without $2 ('$1' failed)"
	fi
}

require_root()
{
	[ "$(id -u)" -eq 0 ] || skip_all "must run as root"
}

# ---- printing what runs ----

# run CMD...: print the command, then run it.
run()
{
	echo "# $*" >&2
	"$@"
}

# n NS CMD...: print and run CMD inside namespace NS (shown by its role).
n()
{
	local ns=$1

	shift
	echo "# [${VG_NS_ROLE[$ns]:-$ns}] $*" >&2
	# ip enters the namespace itself: one process instead of two, and no
	# mount namespace (each exec costs ~0.5 s on the debug kernel).
	if [ "$1" = ip ]; then
		shift
		ip -n "$ns" "$@"
		return
	fi
	ip netns exec "$ns" "$@"
}

# ---- namespaces ----

declare -A VG_NS_ROLE

# setup_ns VAR...: create one namespace per VAR with a random name, store
# the name in VAR, bring lo up, remove it on exit.
setup_ns()
{
	local var name

	for var in "$@"; do
		name="vg-$var-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		defer ip netns del "$name"
		ip -n "$name" link set lo up || return 1
		VG_NS_ROLE[$name]=$var
		printf -v "$var" '%s' "$name"
	done
}

# ---- polling instead of sleeping ----

# busywait TIMEOUT_MS CMD...: retry CMD until it succeeds or time runs out.
busywait()
{
	local timeout_ms=$1 start now

	shift
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -ge "$timeout_ms" ] && return 1
		sleep 0.05
	done
}

# slowwait TIMEOUT_S CMD...: the same, checking every 100 ms.
slowwait()
{
	local deadline=$((SECONDS + $1))

	shift
	until "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.1
	done
}

# ---- module ----

vg_module_loaded()
{
	[ -d /sys/module/voipguard ]
}

# Load $VG_MODULE with insmod, after the modules it depends on.
vg_module_load()
{
	local dep

	for dep in $(modinfo -F depends "$VG_MODULE" 2>/dev/null | tr ',' ' '); do
		modprobe "$dep" || return 1
	done
	run insmod "$VG_MODULE"
}

vg_module_unload()
{
	run rmmod voipguard
}

# Skip unless the module file exists and modules can be loaded here.
require_module()
{
	require_root
	[ -f "$VG_MODULE" ] || skip_all "module $VG_MODULE not built (make module)"
	[ -e /proc/modules ] || skip_all "this kernel cannot load modules"
	if vg_module_loaded; then
		vg_module_unload || skip_all "voipguard already loaded and busy"
	fi
}

require_vgctl()
{
	[ -x "$VGCTL" ] || skip_all "vgctl $VGCTL not built (make vgctl)"
}

vgctl()
{
	echo "# vgctl $*" >&2
	"$VGCTL" "$@"
}

# expect_error STATUS PATTERN CMD...: CMD exits STATUS and its stderr
# matches PATTERN (an extended regular expression).
expect_error()
{
	local want=$1 pattern=$2 err rc

	shift 2
	echo "# $*"
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	echo "# exit $rc: $err"
	[ "$rc" -eq "$want" ] && grep -qE "$pattern" <<<"$err"
}

# routed_pair A ROUTER B: A and B on two IPv4/IPv6 subnets, ROUTER
# between them with forwarding on (interfaces a0, ra | rb, b0):
#   A 10.0.1.1/24 fd00:1::1/64 -- 10.0.1.254 fd00:1::fe ROUTER
#   ROUTER 10.0.2.254 fd00:2::fe -- 10.0.2.1/24 fd00:2::1/64 B
routed_pair()
{
	local a=$1 r=$2 b=$3

	run ip link add a0 netns "$a" type veth peer name ra netns "$r" &&
	run ip link add b0 netns "$b" type veth peer name rb netns "$r" &&
	n "$a" ip addr add 10.0.1.1/24 dev a0 &&
	n "$a" ip addr add fd00:1::1/64 dev a0 nodad &&
	n "$a" ip link set a0 up &&
	n "$a" ip route add default via 10.0.1.254 &&
	n "$a" ip -6 route add default via fd00:1::fe &&
	n "$b" ip addr add 10.0.2.1/24 dev b0 &&
	n "$b" ip addr add fd00:2::1/64 dev b0 nodad &&
	n "$b" ip link set b0 up &&
	n "$b" ip route add default via 10.0.2.254 &&
	n "$b" ip -6 route add default via fd00:2::fe &&
	n "$r" ip addr add 10.0.1.254/24 dev ra &&
	n "$r" ip addr add fd00:1::fe/64 dev ra nodad &&
	n "$r" ip addr add 10.0.2.254/24 dev rb &&
	n "$r" ip addr add fd00:2::fe/64 dev rb nodad &&
	n "$r" ip link set ra up &&
	n "$r" ip link set rb up &&
	n "$r" sysctl -qw net.ipv4.ip_forward=1 &&
	n "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
}

# ---- kernel reports ----

VG_KMSG_REPORT='BUG:|WARNING:|Oops|KASAN|UBSAN|general protection fault|Call Trace|possible circular locking|possible recursive locking|suspected memory leak|kernel BUG|refcount_t:|list_add corruption|list_del corruption'

# Remember where the kernel log is now; kmsg_check looks only after it.
kmsg_mark()
{
	VG_KMSG_MARK=$(dmesg 2>/dev/null | wc -l)
}

# Fails (and shows the lines) if the kernel reported a problem since the
# last kmsg_mark.
kmsg_check()
{
	local reports

	reports=$(dmesg 2>/dev/null | tail -n +$((${VG_KMSG_MARK:-0} + 1)) |
		  grep -E "$VG_KMSG_REPORT")
	if [ -n "$reports" ]; then
		echo "# kernel reported:"
		printf '%s\n' "$reports" | sed 's/^/#   /'
		return 1
	fi
	return 0
}

# ---- JSON ----

# json_get EXPR < JSON: print a Python expression over the document d.
json_get()
{
	python3 -S -c 'import json, sys
d = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1"
}
