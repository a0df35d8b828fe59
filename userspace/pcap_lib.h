/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpcap, opened when a capture is read rather than linked into vgctl:
 * linked, it and what it pulls in (dbus, systemd, gcrypt, compressors)
 * are loaded by every vgctl start, and scripts and timers start vgctl
 * often for commands that never read a capture.
 */
#ifndef VG_PCAP_LIB_H
#define VG_PCAP_LIB_H

#include <pcap/pcap.h>

struct pcap_lib {
	__typeof__(pcap_open_offline_with_tstamp_precision) *open_offline;
	__typeof__(pcap_datalink) *datalink;
	__typeof__(pcap_datalink_val_to_name) *datalink_name;
	__typeof__(pcap_next_ex) *next_ex;
	__typeof__(pcap_geterr) *geterr;
	__typeof__(pcap_close) *close;
};

/* Fills lib with the library's entry points; -1 after an error message. */
int pcap_lib_load(struct pcap_lib *lib);

#endif
