/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgctl's copy of the module's counters (VG_CMD_STATS_GET), shared by the
 * text/JSON printer and the Prometheus exposition.
 */
#ifndef VGCTL_STATS_H
#define VGCTL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/linux/voipguard.h>

#define STATS_NFAM 2
#define STATS_NHOOK (VG_HOOK_MAX + 1)
#define STATS_NL4 (VG_L4_MAX + 1)
#define STATS_NCLASS VG_CLASS_ANY	/* classes a packet can have */

struct reason_count {
	char name[64];
	uint64_t drops;
	uint64_t monitored;
};

struct class_count {
	bool present;
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
};

struct zone_pair_count {
	char from[64];
	char to[64];
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
};

struct stats_view {
	uint64_t packets[STATS_NFAM][STATS_NHOOK][STATS_NL4];
	uint64_t bytes[STATS_NFAM][STATS_NHOOK][STATS_NL4];
	struct reason_count *reasons;
	size_t nreasons;
	struct class_count classes[STATS_NCLASS];
	struct zone_pair_count *pairs;
	size_t npairs;
	uint32_t calls, streams, sources;
	/* hash buckets of the kernel's tables; 0 from an older module */
	uint32_t call_buckets, stream_buckets, source_buckets;
	uint64_t events_lost;
	uint64_t reset_age_ms;
	uint32_t generation;
};

extern const char *const stats_fam_names[STATS_NFAM];
extern const char *const stats_hook_names[STATS_NHOOK];
extern const char *const stats_l4_names[STATS_NL4];

/* node_exporter textfile format on stdout. */
void stats_print_prometheus(const struct stats_view *v);

#endif /* VGCTL_STATS_H */
