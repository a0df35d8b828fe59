/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verdict reasons. The names are a stable interface: they appear in counters,
 * in netlink stats, in JSON and in Prometheus output, so never rename one.
 * The list itself lives in reason_list.h.
 */
#ifndef VG_CORE_REASON_H
#define VG_CORE_REASON_H

#include "vg_base.h"

enum vg_reason {
#define VG_REASON(id, name) VG_R_##id,
#include "reason_list.h"
#undef VG_REASON
	VG_R__COUNT
};

/* Stable name of a reason; "unknown" for out-of-range values. */
const char *vg_reason_name(enum vg_reason r);

#endif /* VG_CORE_REASON_H */
