#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages that building and testing voipguard need.
# As root: one apt-get install of whatever is missing. Otherwise: print the
# command and fail, so nothing runs half-equipped.
set -u

packages=(
	# build
	build-essential pkg-config kmod linux-headers-amd64
	libnl-3-dev libnl-genl-3-dev libpcap-dev
	# packaging: DKMS and the systemd unit's check
	dkms systemd
	# host tests, fuzzers, benchmarks
	clang llvm libclang-rt-14-dev valgrind python3
	# VM tests: a kernel to boot, QEMU, the initramfs and the tools used inside
	linux-image-amd64 qemu-system-x86 busybox-static cpio zstd
	iproute2 nftables procps util-linux sip-tester tshark
	# debug kernel lane
	linux-source-6.1 flex bison libelf-dev libssl-dev bc rsync xz-utils
)

missing=()
for p in "${packages[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root:  $cmd" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
# tshark asks whether non-root users may capture; the default (no) is right.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections 2>/dev/null
apt-get update -q >/dev/null || exit 1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	"${missing[@]}" || exit 1
