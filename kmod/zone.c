// SPDX-License-Identifier: GPL-2.0
/*
 * Longest-prefix match: per prefix length a sorted run of masked
 * addresses, searched longest length first. With a handful of distinct
 * lengths (the usual zone plan) a lookup is a few binary searches over a
 * flat array: no pointers to chase, no allocation, nothing to lock.
 */
#include <linux/errno.h>
#include <linux/sort.h>

#include "zone.h"

static inline u32 vg_mask4(u8 len)
{
	return len ? ~0U << (32 - len) : 0;
}

static inline u64 vg_mask64(u8 len)
{
	return len ? ~0ULL << (64 - len) : 0;
}

/* The two halves of an IPv6 address masked to @len. */
static inline void vg_mask6(u64 *hi, u64 *lo, u8 len)
{
	if (len <= 64) {
		*hi &= vg_mask64(len);
		*lo = 0;
	} else {
		*lo &= vg_mask64(len - 64);
	}
}

static u32 vg_lpm4_search(const struct vg_lpm4 *lpm, u8 len, u32 key)
{
	u32 lo = lpm->start[len], hi = lpm->end[len];

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (lpm->pfx[mid].addr < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int vg_lpm4_lookup(const struct vg_lpm4 *lpm, u32 addr)
{
	unsigned int i;

	for (i = 0; i < lpm->n_lens; i++) {
		u8 len = lpm->lens[i];
		u32 key = addr & vg_mask4(len);
		u32 pos = vg_lpm4_search(lpm, len, key);

		if (pos < lpm->end[len] && lpm->pfx[pos].addr == key)
			return lpm->pfx[pos].zone;
	}
	return VG_ZONE_NONE;
}

int vg_lpm4_find(const struct vg_lpm4 *lpm, u32 addr, u8 len)
{
	u32 pos;

	if (len > 32 || lpm->start[len] == lpm->end[len])
		return -1;
	pos = vg_lpm4_search(lpm, len, addr);
	if (pos < lpm->end[len] && lpm->pfx[pos].addr == addr)
		return pos;
	return -1;
}

static inline int vg_cmp6(u64 ahi, u64 alo, u64 bhi, u64 blo)
{
	if (ahi != bhi)
		return ahi < bhi ? -1 : 1;
	if (alo != blo)
		return alo < blo ? -1 : 1;
	return 0;
}

static u32 vg_lpm6_search(const struct vg_lpm6 *lpm, u8 len, u64 khi,
			  u64 klo)
{
	u32 lo = lpm->start[len], hi = lpm->end[len];

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const struct vg_prefix6 *p = &lpm->pfx[mid];

		if (vg_cmp6(p->hi, p->lo, khi, klo) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int vg_lpm6_lookup(const struct vg_lpm6 *lpm, u64 hi, u64 lo)
{
	unsigned int i;

	for (i = 0; i < lpm->n_lens; i++) {
		u8 len = lpm->lens[i];
		u64 khi = hi, klo = lo;
		u32 pos;

		vg_mask6(&khi, &klo, len);
		pos = vg_lpm6_search(lpm, len, khi, klo);
		if (pos < lpm->end[len] && lpm->pfx[pos].hi == khi &&
		    lpm->pfx[pos].lo == klo)
			return lpm->pfx[pos].zone;
	}
	return VG_ZONE_NONE;
}

int vg_lpm6_find(const struct vg_lpm6 *lpm, u64 hi, u64 lo, u8 len)
{
	u32 pos;

	if (len > 128 || lpm->start[len] == lpm->end[len])
		return -1;
	pos = vg_lpm6_search(lpm, len, hi, lo);
	if (pos < lpm->end[len] && lpm->pfx[pos].hi == hi &&
	    lpm->pfx[pos].lo == lo)
		return pos;
	return -1;
}

/* Longest first, then by address: each length is one sorted run. */
static int vg_prefix4_cmp(const void *a, const void *b)
{
	const struct vg_prefix4 *pa = a, *pb = b;

	if (pa->len != pb->len)
		return pa->len > pb->len ? -1 : 1;
	if (pa->addr != pb->addr)
		return pa->addr < pb->addr ? -1 : 1;
	return 0;
}

static int vg_prefix6_cmp(const void *a, const void *b)
{
	const struct vg_prefix6 *pa = a, *pb = b;

	if (pa->len != pb->len)
		return pa->len > pb->len ? -1 : 1;
	return vg_cmp6(pa->hi, pa->lo, pb->hi, pb->lo);
}

int vg_lpm4_build(struct vg_lpm4 *lpm)
{
	u32 i;

	sort(lpm->pfx, lpm->n, sizeof(*lpm->pfx), vg_prefix4_cmp, NULL);
	memset(lpm->start, 0, sizeof(lpm->start));
	memset(lpm->end, 0, sizeof(lpm->end));
	lpm->n_lens = 0;
	for (i = 0; i < lpm->n; i++) {
		const struct vg_prefix4 *p = &lpm->pfx[i];

		if (i && !vg_prefix4_cmp(p, p - 1))
			return -EEXIST;
		if (!i || p->len != p[-1].len) {
			lpm->start[p->len] = i;
			lpm->lens[lpm->n_lens++] = p->len;
		}
		lpm->end[p->len] = i + 1;
	}
	return 0;
}

int vg_lpm6_build(struct vg_lpm6 *lpm)
{
	u32 i;

	sort(lpm->pfx, lpm->n, sizeof(*lpm->pfx), vg_prefix6_cmp, NULL);
	memset(lpm->start, 0, sizeof(lpm->start));
	memset(lpm->end, 0, sizeof(lpm->end));
	lpm->n_lens = 0;
	for (i = 0; i < lpm->n; i++) {
		const struct vg_prefix6 *p = &lpm->pfx[i];

		if (i && !vg_prefix6_cmp(p, p - 1))
			return -EEXIST;
		if (!i || p->len != p[-1].len) {
			lpm->start[p->len] = i;
			lpm->lens[lpm->n_lens++] = p->len;
		}
		lpm->end[p->len] = i + 1;
	}
	return 0;
}
