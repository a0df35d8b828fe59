// SPDX-License-Identifier: GPL-2.0
#include "reason.h"

#define VG_REASON_NAME(id, name) [VG_R_##id] = name,
static const char *const vg_reason_names[VG_R__COUNT] = {
	VG_REASONS(VG_REASON_NAME)
};
#undef VG_REASON_NAME

const char *vg_reason_name(enum vg_reason r)
{
	if ((unsigned int)r >= VG_R__COUNT)
		return "unknown";
	return vg_reason_names[r];
}
