# SPDX-License-Identifier: GPL-2.0
#
# voipguard: kernel module, vgctl, tests and benchmarks.
#   make            module + vgctl
#   make check      install missing test packages, build, run every test
#   make check-debug  the VM tests again on a KASAN/lockdep/kmemleak kernel
#   make bench      benchmarks
#   make install    module, vgctl, man page, completion, systemd unit
#   make install-dkms  the module's sources for DKMS, rebuilt per kernel

# Kernel to build against: the newest installed Debian generic (-amd64)
# headers unless KDIR or KVER says otherwise.
KVER ?= $(shell ls -1 /lib/modules 2>/dev/null | grep -- '-amd64$$' | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
W ?= 1

VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo 0.1)

BUILD := build
HOST := $(BUILD)/host

CC ?= cc
CLANG ?= clang
PKG_CONFIG ?= pkg-config
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wshadow -Wno-unused-parameter \
	-Wno-sign-compare -Iinclude -Ikmod/core -D_GNU_SOURCE
UNIT_CFLAGS := $(HOST_CFLAGS) -fsanitize=address,undefined -fno-omit-frame-pointer

CORE_SRC := $(wildcard kmod/core/*.c)
CORE_HDR := $(wildcard kmod/core/*.h)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(HOST)/tests/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
VGCTL_SRC := $(wildcard userspace/*.c)
VGCTL_HDR := $(wildcard userspace/*.h) include/uapi/linux/voipguard.h
VGCTL_LIBS = $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null) -ldl -lm
VGCTL_CFLAGS = $(HOST_CFLAGS) $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null) \
	-DVG_VERSION='"$(VERSION)"'

PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= /lib/systemd/system

# DKMS installs the module's sources under the version the module reports.
DKMS_VERSION := $(shell sed -n 's/^\#define VG_VERSION "\(.*\)"$$/\1/p' kmod/version.h)
DKMS_SRC = $(DESTDIR)/usr/src/voipguard-$(DKMS_VERSION)
DKMS_FILES := Kbuild $(wildcard kmod/*.[ch] kmod/core/*.[ch]) \
	include/uapi/linux/voipguard.h

.PHONY: all module vgctl host-tests fuzzers benches check check-debug check-host \
	check-vm bench bench-core fuzz deps install install-dkms clean style

all: module vgctl

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

vgctl: $(BUILD)/vgctl

$(BUILD)/vgctl: $(VGCTL_SRC) $(VGCTL_HDR) $(CORE_SRC) $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(VGCTL_CFLAGS) -o $@ $(VGCTL_SRC) $(CORE_SRC) $(VGCTL_LIBS)

host-tests: $(UNIT_BIN)

$(HOST)/tests/%: tests/unit/%.c tests/unit/tap.h $(CORE_SRC) $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Itests/unit -o $@ $< $(CORE_SRC) -lm

fuzzers: $(FUZZ_BIN)

# fuzz_replay includes the replay engine itself.
$(BUILD)/fuzz/%: tests/fuzz/%.c $(CORE_SRC) $(CORE_HDR) $(wildcard userspace/replay_engine.*)
	@mkdir -p $(@D)
	$(CLANG) $(HOST_CFLAGS) -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ $< $(CORE_SRC) -lm

benches: $(BENCH_BIN)

$(BUILD)/bench/%: tests/bench/%.c $(CORE_SRC) $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O2 -o $@ $< $(CORE_SRC) -lm

deps:
	@tests/deps.sh

# The README's test command: every host and VM test, one closing count.
check: deps
	@tests/check.sh

check-debug: deps
	@tests/check.sh --debug

bench: deps all benches
	@tests/bench/run.sh

bench-core: benches
	@tests/bench/run.sh core

FUZZ_TIME ?= 600
fuzz: fuzzers
	@tests/fuzz/run.sh $(FUZZ_TIME)

# checkpatch ships in the kernel source, not in the headers package: take it
# from Debian's linux-source once and keep it outside the checkout.
VG_CACHE ?= /var/cache/voipguard
CHECKPATCH := $(VG_CACHE)/checkpatch/linux-source-6.1/scripts/checkpatch.pl

$(CHECKPATCH):
	mkdir -p $(VG_CACHE)/checkpatch
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C $(VG_CACHE)/checkpatch \
		--wildcards 'linux-source-6.1/scripts/checkpatch.pl' \
		'linux-source-6.1/scripts/spelling.txt' \
		'linux-source-6.1/scripts/const_structs.checkpatch'

style: $(CHECKPATCH)
	$(CHECKPATCH) --no-tree --terse --show-types \
		--ignore NEW_TYPEDEFS,FILE_PATH_CHANGES \
		-f $$(git ls-files 'kmod/*.[ch]' 'include/*.h')

# An admin's configuration in /etc is never overwritten.
install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	install -D -m 0755 $(BUILD)/vgctl $(DESTDIR)$(SBINDIR)/vgctl
	install -D -m 0644 userspace/vgctl.8 $(DESTDIR)$(MANDIR)/man8/vgctl.8
	install -D -m 0644 userspace/vgctl.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/vgctl
	[ -e $(DESTDIR)$(SYSCONFDIR)/voipguard/voipguard.conf ] || install -D \
		-m 0644 userspace/voipguard.conf \
		$(DESTDIR)$(SYSCONFDIR)/voipguard/voipguard.conf
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		userspace/voipguard.service \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/voipguard.service

# Without DESTDIR the sources are registered, built and installed at once.
install-dkms:
	rm -rf $(DKMS_SRC)
	for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit 1; done
	sed 's/@VERSION@/$(DKMS_VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf
	[ -n "$(DESTDIR)" ] || dkms install -m voipguard -v $(DKMS_VERSION)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf $(BUILD)
