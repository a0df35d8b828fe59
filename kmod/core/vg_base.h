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
/* the kernel's noinline; glibc's sys/cdefs.h has __always_inline too */
#define noinline	__attribute_noinline__
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

static inline char vg_tolower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/* Case-insensitive (ASCII) compare of n octets; 0 when equal. */
static inline int vg_strncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ca = vg_tolower(a[i]), cb = vg_tolower(b[i]);

		if (ca != cb)
			return (unsigned char)ca - (unsigned char)cb;
	}
	return 0;
}

/* Case-insensitive (ASCII) equality of a view and a C string. */
static inline bool vg_str_ieq(const struct vg_str *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->len == n && !vg_strncasecmp(s->p, lit, n);
}

/* Case-sensitive equality of a view and a C string. */
static inline bool vg_str_eq(const struct vg_str *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->len == n && !memcmp(s->p, lit, n);
}

#endif /* VG_CORE_BASE_H */
