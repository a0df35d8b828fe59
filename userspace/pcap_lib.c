// SPDX-License-Identifier: GPL-2.0
/*
 * Open libpcap at run time (see pcap_lib.h for why).
 */
#include <dlfcn.h>
#include <string.h>

#include "vg_base.h"
#include "vgctl.h"
#include "pcap_lib.h"

/* Debian's soname first, then other distributions' and the dev symlink. */
static const char *const pcap_sonames[] = {
	"libpcap.so.0.8", "libpcap.so.1", "libpcap.so",
};

static int pcap_sym(void *handle, const char *name, void *fn_ptr)
{
	void *sym = dlsym(handle, name);

	if (!sym) {
		vg_err("replay: libpcap has no %s: %s", name, dlerror());
		return -1;
	}
	/* POSIX's way to store a dlsym() result in a function pointer. */
	memcpy(fn_ptr, &sym, sizeof(sym));
	return 0;
}

int pcap_lib_load(struct pcap_lib *lib)
{
	void *handle = NULL;
	size_t i;

	for (i = 0; i < VG_ARRAY_SIZE(pcap_sonames) && !handle; i++)
		handle = dlopen(pcap_sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		vg_err("replay: cannot load libpcap, which reading a capture needs (Debian: apt-get install libpcap0.8): %s",
		       dlerror());
		return -1;
	}
	if (pcap_sym(handle, "pcap_open_offline_with_tstamp_precision",
		     &lib->open_offline) ||
	    pcap_sym(handle, "pcap_datalink", &lib->datalink) ||
	    pcap_sym(handle, "pcap_datalink_val_to_name", &lib->datalink_name) ||
	    pcap_sym(handle, "pcap_next_ex", &lib->next_ex) ||
	    pcap_sym(handle, "pcap_geterr", &lib->geterr) ||
	    pcap_sym(handle, "pcap_close", &lib->close)) {
		dlclose(handle);
		return -1;
	}
	/* The handle stays open: the pointers live as long as vgctl. */
	return 0;
}
