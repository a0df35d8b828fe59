#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vgctl on the host, no module needed: a file that cannot be read is an
# error naming the file and its reason, never an empty configuration; a
# comment ending in '\' continues nothing; numbers are decimal (a leading 0
# is not octal), 0x hex only for the marks; output that cannot be written
# (a full disk) is an error, not success. Every configuration file below
# has a mistake, and so has every command line, so vgctl stops before it
# would ask a kernel. TAP output.
#   tests/cli/vgctl_host.sh      (VG_VGCTL=PATH to test another build)
set -u
cd "$(dirname "$0")/../.."
vgctl=${VG_VGCTL:-build/vgctl}

if [ ! -x "$vgctl" ]; then
	echo "# $vgctl not built (make vgctl)"
	exit 4
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vg-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0
failed=0

# tap NAME CMD...: one case whose result is CMD's status.
tap()
{
	local name=$1

	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		failed=$((failed + 1))
	fi
}

# run_vgctl ARGS...: vgctl's stderr in $err, its stdout in $out, status in $rc.
run_vgctl()
{
	echo "# vgctl $*"
	out=$("$vgctl" "$@" 2>"$work/stderr")
	rc=$?
	err=$(cat "$work/stderr")
	echo "exit $rc: $err" | sed 's/^/# /'
}

# expect STATUS PATTERN ARGS...: vgctl exits STATUS, stderr matches PATTERN.
expect()
{
	local want=$1 pattern=$2

	shift 2
	run_vgctl "$@"
	[ "$rc" -eq "$want" ] && grep -qE -- "$pattern" <<<"$err"
}

# check_lines FILE LINE...: "check FILE" fails and reports exactly these
# lines of FILE.
check_lines()
{
	local file=$1 got

	shift
	run_vgctl check "$file"
	got=$(sed -n "s|^$file:\([0-9]*\): .*|\1|p" <<<"$err" | xargs)
	echo "# lines reported: $got, expected: $*"
	[ "$rc" -eq 1 ] && [ "$got" = "$*" ]
}

printf 'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\n\r\n' \
	>"$work/ok.sip"

# ---- files that cannot be read ----

tap "inspect DIR: the read's reason (Is a directory), exit 1" \
	expect 1 "inspect: $work: Is a directory" inspect "$work"

# Before the fix such a file read as empty: "apply" would have replaced
# the whole configuration with nothing.
unreadable_dir()
{
	expect 1 "^vgctl: $work: Is a directory$" check "$work" &&
	! grep -q "module not loaded" <<<"$err"
}
tap "check DIR: 'DIR: Is a directory', exit 1, no kernel asked" unreadable_dir

unreadable_stdin()
{
	echo "# vgctl check - < $work"
	err=$("$vgctl" check - <"$work" 2>&1 >/dev/null)
	rc=$?
	echo "# exit $rc: $err"
	[ "$rc" -eq 1 ] && [ "$err" = "vgctl: -: Is a directory" ]
}
tap "check - with a directory on stdin: '-: Is a directory', exit 1" \
	unreadable_stdin

# ---- comments and continued lines ----

cat >"$work/comment.conf" <<'CONF'
# a comment that ends in a backslash \
zone voice 10.1.0.0/99
zone data 10.2.0.0/16 # a trailing comment, a backslash too \
zone gateway 10.3.0.0/99
CONF
tap "a comment ending in '\\' does not swallow the next line" \
	check_lines "$work/comment.conf" 2 4

cat >"$work/continued.conf" <<'CONF'
zone voice 10.1.0.0/16 \
	10.2.0.0/16 \
	10.3.0.0/99
zone a#b 10.4.0.0/16
CONF
continued()
{
	check_lines "$work/continued.conf" 1 4 &&
	grep -q "bad prefix '10.3.0.0/99'" <<<"$err" &&
	grep -q "bad zone name 'a#b'" <<<"$err"
}
tap "'\\' still continues a statement; '#' inside a word is no comment" \
	continued

# ---- reserved zone names ----

cat >"$work/reserved.conf" <<'CONF'
zone any 10.1.0.0/16
zone none 10.2.0.0/16
zone nonesuch 10.3.0.0/16
CONF
reserved()
{
	check_lines "$work/reserved.conf" 1 2 &&
	grep -q "reserved.conf:2: 'none' is reserved and cannot name a zone" <<<"$err"
}
tap "'any' (every zone) and 'none' (no zone) cannot name a zone" reserved

# Deletions are commands, not statements a file may hold.
printf 'zone-del voice\npolicy-del voice data sip\nsrtp-del voice data\n' \
	>"$work/deletes.conf"
deletes()
{
	check_lines "$work/deletes.conf" 1 2 3 &&
	grep -q "unknown statement 'zone-del'" <<<"$err"
}
tap "zone-del, policy-del, srtp-del: unknown statements in a file" deletes

# ---- numbers ----

cat >"$work/numbers.conf" <<'CONF'
config mark-rtp 0x10
config mark-sip 0XfF
config max-calls 010
config max-calls 08
config mark-rtp 4294967295
config max-calls 0x10
config dscp-rtp 077
zone voice 10.0.0.0/040
config mark-rtp 0x
config mark-rtp 0x0x1
config mark-sip 0x100000000
limit rtp-rate 0x10
config sip-ports 0x13c4
config max-calls +5
CONF
numbers()
{
	check_lines "$work/numbers.conf" 6 7 8 9 10 11 12 13 14 &&
	grep -q "numbers.conf:7: dscp-rtp: DSCP 077 is out of range" <<<"$err" &&
	grep -q "numbers.conf:8: bad prefix '10.0.0.0/040' (length 0..32)" <<<"$err"
}
tap "decimal with leading zeros (08, 077, /040), 0x only for mark-rtp and mark-sip" \
	numbers

# A second mistake keeps a build that took the first from going further.
tap "config set max-calls 0x10: not a decimal number, usage error" \
	expect 2 "max-calls: '0x10' is not a decimal number" \
	config set max-calls 0x10 mode sideways
tap "zone add with a prefix length 040: length 40 is out of range" \
	expect 2 "bad prefix '10.0.0.0/040' \(length 0..32\)" \
	zone add voice 10.0.0.0/040 10.0.0.0/99

# ---- output that cannot be written ----

# to_full ARGS...: vgctl with stdout on /dev/full; stderr in $err.
to_full()
{
	echo "# vgctl $* > /dev/full"
	err=$("$vgctl" "$@" 2>&1 >/dev/full)
	rc=$?
	echo "# exit $rc: $err"
	[ "$rc" -eq 1 ] && grep -q "^vgctl: cannot write to standard output" <<<"$err"
}

if [ -w /dev/full ]; then
	tap "inspect FILE > /dev/full: error, exit 1" \
		to_full inspect "$work/ok.sip"
	tap "-j inspect FILE > /dev/full: error, exit 1" \
		to_full -j inspect "$work/ok.sip"
	tap "help > /dev/full: 'No space left on device', exit 1" \
		eval 'to_full help &&
		      [ "$err" = "vgctl: cannot write to standard output: No space left on device" ]'
else
	for name in "inspect FILE > /dev/full" "-j inspect FILE > /dev/full" \
		    "help > /dev/full"; do
		n=$((n + 1))
		echo "ok $n - $name # SKIP no writable /dev/full"
	done
fi
tap "inspect FILE to a working stdout: exit 0" \
	eval 'run_vgctl inspect "$work/ok.sip" && [ "$rc" -eq 0 ] &&
	      [ "$out" = "$work/ok.sip: accept" ]'

echo "1..$n"
[ "$failed" -eq 0 ]
