#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build voipguard.ko against another kernel build tree (the debug kernel)
# without touching the objects of the normal build: kbuild writes objects
# next to the sources with M=, so the sources are mirrored into OUTDIR and
# built there.
#
#   tests/debug/module-build.sh KERNEL_BUILD_DIR OUTDIR
#
# The last line on stdout is the path of the built module. W (default 1) is
# passed to kbuild.

set -euo pipefail

[ $# -eq 2 ] || { sed -n '3,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2; }
kdir=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

[ -f "$kdir/Module.symvers" ] && [ -f "$kdir/.config" ] ||
	{ echo "module-build.sh: $kdir is not a built kernel tree" >&2; exit 2; }
case $out/ in
"$repo"/kmod/*|"$repo"/include/*|"$repo"/)
	echo "module-build.sh: OUTDIR must not be the source tree" >&2; exit 2 ;;
esac

# Sources only; objects already in OUTDIR are kept for incremental builds.
build_artifacts=(--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.a' \
	--exclude='modules.order' --exclude='Module.symvers' --exclude='.*.d')
if command -v rsync >/dev/null; then
	rsync -a --delete "${build_artifacts[@]}" \
		"$repo/Kbuild" "$repo/include" "$repo/kmod" "$out/"
else
	rm -rf "$out/include" "$out/kmod"
	(cd "$repo" && tar -cf - "${build_artifacts[@]}" Kbuild include kmod) |
		tar -xf - -C "$out"
fi

make -C "$kdir" M="$out" W="${W:-1}" modules >&2
[ -f "$out/voipguard.ko" ] ||
	{ echo "module-build.sh: no voipguard.ko produced" >&2; exit 1; }
echo "$out/voipguard.ko"
