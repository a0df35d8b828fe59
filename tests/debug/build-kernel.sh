#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug kernel used by `make check-debug`: KASAN, lockdep,
# atomic-sleep checks, kmemleak, UBSAN, list/object debugging, with
# everything the VM tests need built in.
#
#   tests/debug/build-kernel.sh [--print] [--jobs N]
#
# Source: Debian's /usr/src/linux-source-6.1.tar.xz.
# Config: x86_64_defconfig + kernel/configs/kvm_guest.config +
#         tests/debug/debug.config; every line of debug.config is checked
#         after olddefconfig.
# Result: ${VG_CACHE:-/var/cache/voipguard}/debug-kernel-<hash>/, the whole
#         build tree (bzImage, vmlinux, and what `make -C DIR M=...` needs).
#         <hash> covers debug.config, the linux-source package version, the
#         compiler version and this script. The stamp file `.vg-complete` is
#         written last: a directory without it is an unfinished build, which
#         the next run resumes.
# Output: the last line on stdout is the kernel directory. Progress goes to
#         stderr.
#
#   --print    print the directory if a complete build exists, else exit 1
#   --jobs N   parallel jobs (default: nproc)
#
# Environment: VG_CACHE (cache root), LINUX_SOURCE (tarball path).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment=$here/debug.config
tarball=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
cache=${VG_CACHE:-/var/cache/voipguard}
jobs=$(nproc)
print_only=0

while [ $# -gt 0 ]; do
	case $1 in
	--print) print_only=1 ;;
	--jobs) jobs=$2; shift ;;
	-h|--help) sed -n '3,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "build-kernel.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
	shift
done

log() { echo "build-kernel.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ -r "$tarball" ] || die "$tarball not found (apt-get install linux-source-6.1)"
src_version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
	stat -c '%s %Y' "$tarball")
cc_version=$(${CC:-gcc} --version | head -n 1)

hash=$( { cat "$fragment"; echo "$src_version"; echo "$cc_version";
	cat "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-16)
dir=$cache/debug-kernel-$hash
stamp=$dir/.vg-complete

if [ -f "$stamp" ]; then
	log "debug kernel $(cat "$dir/.vg-release") is ready"
	echo "$dir"
	exit 0
fi
[ "$print_only" = 1 ] && { log "no complete debug kernel at $dir"; exit 1; }

mkdir -p "$cache"
exec 9>"$dir.lock"
if ! flock -n 9; then
	log "another build of $dir is running; waiting for it"
	flock 9
fi
if [ -f "$stamp" ]; then
	echo "$dir"
	exit 0
fi

start=$(date +%s)

# Extraction is the only step that is not resumable: redo it unless it
# finished.
if [ ! -f "$dir/.vg-extracted" ]; then
	log "extracting $tarball into $dir"
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1
	touch "$dir/.vg-extracted"
fi
cd "$dir"

# Every CONFIG_X=v line must appear verbatim; every "# CONFIG_X is not set"
# must not end up =y or =m.
check_config() {
	local bad=0 line sym
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			if ! grep -qxF -- "$line" .config; then
				sym=${line%%=*}
				log "error: wanted $line, got: $(grep -E "^(# )?$sym[= ]" .config || echo 'not present (unknown symbol or unmet dependency)')"
				bad=1
			fi
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=[ym]$" .config; then
				log "error: wanted $sym off, got: $(grep -E "^$sym=" .config)"
				bad=1
			fi
			;;
		esac
	done < "$fragment"
	return $bad
}

if [ ! -f .vg-configured ] || ! cmp -s "$fragment" .vg-fragment; then
	log "configuring: x86_64_defconfig + kvm_guest.config + $(basename "$fragment")"
	make -s x86_64_defconfig >&2
	scripts/kconfig/merge_config.sh -m -O . .config \
		kernel/configs/kvm_guest.config "$fragment" >/dev/null
	make -s olddefconfig >&2
	if ! check_config; then
		log "error: the config fragment does not hold after olddefconfig; fix $fragment"
		exit 1
	fi
	cp "$fragment" .vg-fragment
	touch .vg-configured
fi

log "building $(make -s kernelrelease) with -j$jobs (log: make output below)"
make -j"$jobs" all >&2

for f in arch/x86/boot/bzImage vmlinux Module.symvers scripts/mod/modpost \
		include/generated/utsrelease.h; do
	[ -e "$f" ] || die "build finished but $f is missing"
done

make -s kernelrelease > .vg-release
touch "$stamp"
log "built $(cat .vg-release) in $(( $(date +%s) - start )) s"
log "bzImage: $dir/arch/x86/boot/bzImage"
echo "$dir"
