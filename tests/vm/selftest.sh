#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of tests/vm/vm-run itself (TAP). Boots four VMs (~1 min on the Debian kernel under TCG).
#
#   tests/vm/selftest.sh            the Debian kernel
#   KERNEL=DIR tests/vm/selftest.sh a kernel build tree (e.g. the debug kernel)
#
# Run from the repository root. Exits 4 when QEMU or kernel headers are
# missing.

set -u

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vmrun=$repo/tests/vm/vm-run
cd "$repo" || exit 1

command -v qemu-system-x86_64 >/dev/null ||
	{ echo "selftest.sh: qemu-system-x86_64 missing"; exit 4; }
if [ -n "${KERNEL:-}" ] && [ -d "$KERNEL" ]; then
	kdir=$KERNEL
else
	kver=$(ls -1 /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -n 1)
	kdir=/lib/modules/$kver/build
fi
[ -f "$kdir/Makefile" ] || { echo "selftest.sh: no kernel build dir ($kdir)"; exit 4; }

work=$repo/build/vm/selftest
rm -rf "$work"
mkdir -p "$work/mod"
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

echo "1..12"

# A module to load from a host path.
cat > "$work/mod/vg_vmtest.c" <<'EOF'
#include <linux/module.h>
static int __init vg_vmtest_init(void) { pr_info("vg_vmtest: up\n"); return 0; }
static void __exit vg_vmtest_exit(void) { pr_info("vg_vmtest: down\n"); }
module_init(vg_vmtest_init);
module_exit(vg_vmtest_exit);
MODULE_LICENSE("GPL");
EOF
echo 'obj-m := vg_vmtest.o' > "$work/mod/Kbuild"
make -s -C "$kdir" M="$work/mod" modules > "$work/mod/build.log" 2>&1
ok $? "test module builds against $kdir"

# One boot: cwd, environment, netns + veth, insmod/rmmod, exit status.
VG_SELFTEST='a b$c' "$vmrun" -e EXTRA=1 -- bash -c '
	echo "cwd=$PWD"
	echo "env=$VG_SELFTEST/$EXTRA/$HOME/$TERM"
	echo "cpus=$(nproc)"
	ip netns add a && ip -n a link add v0 type veth peer name v1 &&
		ip -n a link show v1 >/dev/null && echo "netns=ok"
	insmod '"$work"'/mod/vg_vmtest.ko && grep -q "^vg_vmtest " /proc/modules &&
		rmmod vg_vmtest && echo "insmod=ok"
	touch /usr/vg-overlay-probe && echo "overlay=ok"
	exit 7' > "$work/basic.log" 2>&1
rc=$?
cat "$work/basic.log" | sed 's/^/# /'
ok "$([ $rc = 7 ] && echo 0 || echo 1)" "command exit status is passed through (got $rc)"
grep -qx "cwd=$repo" "$work/basic.log"; ok $? "cwd is the caller's"
grep -qx 'env=a b$c/1//root/dumb' "$work/basic.log"; ok $? "VG_* and -e variables reach the guest"
grep -qx 'netns=ok' "$work/basic.log"; ok $? "netns and veth work"
grep -qx 'insmod=ok' "$work/basic.log"; ok $? "insmod and rmmod of a module from a host path"
[ ! -e /usr/vg-overlay-probe ] && grep -qx 'overlay=ok' "$work/basic.log"
ok $? "guest writes land in the overlay, not on the host"

"$vmrun" --cpus 1 -- sh -c 'echo "cpus=$(nproc)"; echo "BUG: vm-run selftest" > /dev/kmsg' \
	> "$work/bug.log" 2>&1
rc=$?
sed 's/^/# /' "$work/bug.log"
grep -qx 'cpus=2' "$work/basic.log" && grep -qx 'cpus=1' "$work/bug.log"
ok $? "two guest CPUs by default, one with --cpus 1"
ok "$([ $rc = 3 ] && grep -q 'kernel report on console' "$work/bug.log" && echo 0 || echo 1)" \
	"a BUG line on the console fails the run (got $rc)"

"$vmrun" -- sh -c 'echo c > /proc/sysrq-trigger' > "$work/crash.log" 2>&1
rc=$?
sed 's/^/# /' "$work/crash.log"
ok "$([ $rc = 3 ] && grep -q 'died before the command finished' "$work/crash.log" && echo 0 || echo 1)" \
	"a kernel crash fails the run (got $rc)"

VG_VM_SELFTEST_BOOT_REPORT=1 "$vmrun" -- true > "$work/bootreport.log" 2>&1
rc=$?
sed 's/^/# /' "$work/bootreport.log"
ok "$([ $rc = 0 ] && grep -q 'kernel report during boot.*booting again' "$work/bootreport.log" && echo 0 || echo 1)" \
	"a report during boot boots once more, then the command runs (got $rc)"

"$vmrun" --timeout 3 -- sleep 100 > "$work/timeout.log" 2>&1
rc=$?
sed 's/^/# /' "$work/timeout.log"
ok "$([ $rc = 124 ] && echo 0 || echo 1)" "--timeout kills the VM (got $rc)"

exit $failed
