/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one portability seam of the protocol core: the core is plain C that
 * builds in the kernel and on the host, so it takes its fixed-width types and
 * the few string helpers it needs from here and from nowhere else.
 */
#ifndef VG_CORE_BASE_H
#define VG_CORE_BASE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/stddef.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif

#define VG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A view into a packet: never owns, never copies. */
struct vg_str {
	const char *p;
	u32 len;
};

static inline bool vg_str_empty(const struct vg_str *s)
{
	return s->len == 0;
}

#endif /* VG_CORE_BASE_H */
