/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Longest-prefix match over the zones' prefixes, built once per
 * configuration and read lock-free and allocation-free by the packet path.
 */
#ifndef VG_ZONE_H
#define VG_ZONE_H

#include "config.h"

/* Zone of a host-order IPv4 address, or VG_ZONE_NONE. */
int vg_lpm4_lookup(const struct vg_lpm4 *lpm, u32 addr);
/* Zone of an IPv6 address as two host-order halves, or VG_ZONE_NONE. */
int vg_lpm6_lookup(const struct vg_lpm6 *lpm, u64 hi, u64 lo);

/* Index of exactly this prefix in lpm->pfx, or -1. */
int vg_lpm4_find(const struct vg_lpm4 *lpm, u32 addr, u8 len);
int vg_lpm6_find(const struct vg_lpm6 *lpm, u64 hi, u64 lo, u8 len);

/*
 * Sorts the prefixes and indexes them by length. Returns -EEXIST if a
 * prefix is there twice (in one zone or in two), else 0.
 */
int vg_lpm4_build(struct vg_lpm4 *lpm);
int vg_lpm6_build(struct vg_lpm6 *lpm);

/* Whether the address has no bits set past @len. */
static inline bool vg_prefix4_is_masked(u32 addr, u8 len)
{
	return len >= 32 || !(addr & (~0U >> len));
}

static inline bool vg_prefix6_is_masked(u64 hi, u64 lo, u8 len)
{
	if (len <= 64)
		return (len == 64 || !(hi & (~0ULL >> len))) && !lo;
	return len >= 128 || !(lo & (~0ULL >> (len - 64)));
}

#endif /* VG_ZONE_H */
