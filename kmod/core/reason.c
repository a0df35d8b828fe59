// SPDX-License-Identifier: GPL-2.0
#include "reason.h"

/* Same order as the enum: both expand reason_list.h. */
static const char *const vg_reason_names[VG_R__COUNT] = {
#define VG_REASON(id, name) name,
#include "reason_list.h"
#undef VG_REASON
};

const char *vg_reason_name(enum vg_reason r)
{
	if ((unsigned int)r >= VG_R__COUNT)
		return "unknown";
	return vg_reason_names[r];
}
