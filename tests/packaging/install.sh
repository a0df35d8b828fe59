#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an admin installs: `make install` (module, vgctl, man page,
# completion, configuration, systemd unit) and `make install-dkms` (the
# module's sources, built by dkms for a kernel). Everything goes to
# temporary roots; only dkms's module-signing key (/var/lib/dkms/mok.*)
# is made on the first build, as by any dkms build. TAP output.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD

for tool in systemd-analyze dkms modinfo; do
	if ! command -v $tool >/dev/null; then
		echo "# $tool not found"
		exit 4
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "# dkms builds only as root"
	exit 4
fi
kver=$(ls -1 /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -n 1)
if [ -z "$kver" ] || [ ! -d "/lib/modules/$kver/build" ]; then
	echo "# no Debian kernel headers in /lib/modules"
	exit 4
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vg-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0
failed=0

# check DESCRIPTION CMD...: one TAP line from the command's status.
check() {
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		failed=$((failed + 1))
	fi
}

files_installed() {
	local d=$work/root f rc=0
	for f in usr/sbin/vgctl usr/share/man/man8/vgctl.8 \
		usr/share/bash-completion/completions/vgctl \
		etc/voipguard/voipguard.conf lib/systemd/system/voipguard.service \
		"lib/modules/$kver/extra/voipguard.ko"; do
		[ -s "$d/$f" ] || { echo "# missing $f"; rc=1; }
	done
	[ -x "$d/usr/sbin/vgctl" ] || { echo "# vgctl not executable"; rc=1; }
	return $rc
}

# The unit runs the installed vgctl on the installed configuration.
unit_paths() {
	local u=$work/root/lib/systemd/system/voipguard.service
	grep -qx 'ExecStart=/usr/sbin/vgctl apply /etc/voipguard/voipguard.conf' "$u" &&
		grep -qx 'ExecReload=/usr/sbin/vgctl apply /etc/voipguard/voipguard.conf' "$u" &&
		grep -qx 'ExecStartPre=/sbin/modprobe voipguard' "$u" &&
		! grep -q '@[A-Z]*@' "$u"
}

# systemd's own check, with vgctl where this tree built it.
unit_verifies() {
	local d=$work/verify out
	mkdir -p "$d"
	sed "s|/usr/sbin/vgctl|$ROOT/build/vgctl|" \
		"$work/root/lib/systemd/system/voipguard.service" \
		>"$d/voipguard.service"
	out=$(systemd-analyze verify --man=no "$d/voipguard.service" 2>&1)
	local rc=$?
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	[ $rc -eq 0 ] && [ -z "$out" ]
}

# An admin's configuration survives a reinstall.
conf_kept() {
	local c=$work/root/etc/voipguard/voipguard.conf
	echo "config mode monitor" >"$c"
	make --no-print-directory install DESTDIR="$work/root" >/dev/null 2>&1 &&
		[ "$(cat "$c")" = "config mode monitor" ]
}

dkms_tree() {
	local src=$work/dkms/usr/src/voipguard-$version
	make --no-print-directory install-dkms DESTDIR="$work/dkms" >/dev/null &&
		grep -qx "PACKAGE_VERSION=\"$version\"" "$src/dkms.conf" &&
		[ -s "$src/Kbuild" ] && [ -s "$src/include/uapi/linux/voipguard.h" ]
}

# dkms builds the module from those sources alone, for the given kernel.
dkms_builds() {
	local tree=$work/dkms/var/lib/dkms src=$work/dkms/usr/src ko log
	log=$work/dkms.log
	mkdir -p "$tree"
	if ! dkms add --sourcetree "$src" --dkmstree "$tree" \
		-m voipguard -v "$version" >"$log" 2>&1 ||
	   ! dkms build --sourcetree "$src" --dkmstree "$tree" \
		-m voipguard -v "$version" -k "$kver" >>"$log" 2>&1; then
		sed 's/^/# /' "$log"
		[ -r "$tree/voipguard/$version/build/make.log" ] &&
			tail -n 20 "$tree/voipguard/$version/build/make.log" | sed 's/^/# /'
		return 1
	fi
	ko=$tree/voipguard/$version/$kver/$(uname -m)/module/voipguard.ko
	[ -s "$ko" ] || { echo "# no $ko"; return 1; }
	echo "# $(modinfo -F vermagic "$ko")"
	[ "$(modinfo -F version "$ko")" = "$version" ] &&
		modinfo -F vermagic "$ko" | grep -q "^$kver "
}

version=$(sed -n 's/^#define VG_VERSION "\(.*\)"$/\1/p' kmod/version.h)
echo "# make install DESTDIR=$work/root"
if ! make --no-print-directory install DESTDIR="$work/root" >"$work/install.log" 2>&1; then
	sed 's/^/# /' "$work/install.log"
fi
check "make install puts every file in place" files_installed
check "the systemd unit applies the installed configuration" unit_paths
check "systemd-analyze verify accepts the unit" unit_verifies
check "a reinstall keeps the admin's configuration" conf_kept
check "make install-dkms writes the module's sources and dkms.conf" dkms_tree
check "dkms builds voipguard $version for $kver" dkms_builds
echo "1..$n"
[ $failed -eq 0 ]
