/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Word-at-a-time helpers for the text parsers. Finding a line end costs
 * about one instruction per octet, eight octets per round, where a byte
 * loop (the kernel's memchr() is one) costs three or more; names and
 * keywords are compared a word at a time.
 */
#ifndef VG_CORE_SCAN_H
#define VG_CORE_SCAN_H

#include "vg_base.h"

#define VG_SCAN_ONES	0x0101010101010101ull
#define VG_SCAN_HIGHS	0x8080808080808080ull

/* Octets as one unaligned word, to compare names a word at a time. */
static inline u64 vg_load64(const char *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u32 vg_load32(const char *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u16 vg_load16(const char *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * p[0..n) equals lit (n == strlen(lit), 1..16) after OR-ing fold into
 * each octet: 0 for an exact match; 0x20 for ASCII case folding against a
 * lowercase lit, exact as long as p holds token characters only (no other
 * token octet ORs to a lowercase letter or '-').
 */
static inline bool vg_word_eq(const char *p, u32 n, const char *lit, u8 fold)
{
	u64 f8 = fold * 0x0101010101010101ull;

	if (n >= 8)
		return ((vg_load64(p) | f8) == vg_load64(lit)) &&
		       ((vg_load64(p + n - 8) | f8) == vg_load64(lit + n - 8));
	if (n >= 4)
		return ((vg_load32(p) | (u32)f8) == vg_load32(lit)) &&
		       ((vg_load32(p + n - 4) | (u32)f8) ==
			vg_load32(lit + n - 4));
	if (n >= 2)
		return ((vg_load16(p) | (u16)f8) == vg_load16(lit)) &&
		       ((vg_load16(p + n - 2) | (u16)f8) ==
			vg_load16(lit + n - 2));
	return (u8)(p[0] | fold) == (u8)lit[0];
}

/* p, holding at least as many octets as lit, starts with lit exactly */
#define VG_STARTS_WITH(p, lit)	vg_word_eq(p, sizeof(lit) - 1, lit, 0)

/*
 * Index in s of the first octet c in the word at p, which t flags: the
 * lowest flag in memory order. Big-endian machines count it out, as a
 * flag there may stand before the octet.
 */
static inline u32 vg_scan_hit(const char *s, const char *p, u64 t, char c)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (u32)(p - s) + ((u32)__builtin_ctzll(t) >> 3);
#else
	while (*p != c)
		p++;
	return (u32)(p - s);
#endif
}

/*
 * Index of the first octet below 0x0e (NUL, HT, LF, CR and the other
 * controls up to CR) in s[i..n), or n when there is none.
 *
 * (x - 0x0e * ONES) & HIGHS flags every octet below 0x0e that no lower
 * one precedes (no octet borrows before the first of them), and some
 * octets from 0x8e up. The flagged octet is looked at again, so the walk
 * goes on past such an octet, which ASCII header lines do not hold.
 */
static inline u64 vg_scan_ctl_flags(const char *p)
{
	u64 x;

	memcpy(&x, p, sizeof(x));
	return (x - 0x0e * VG_SCAN_ONES) & VG_SCAN_HIGHS;
}

/* The flagged octet of the word at p that comes first in memory. */
static inline const char *vg_scan_flagged(const char *p, u64 t)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return p + ((u32)__builtin_ctzll(t) >> 3);
#else
	return p + ((u32)__builtin_clzll(t) >> 3);
#endif
}

static inline u32 vg_scan_ctl(const char *s, u32 i, u32 n)
{
	const char *p = s + i, *e = s + n;
	u64 t;

	for (;;) {
		/* two words per bound check: lines are some tens of octets */
		for (; e - p >= 16; p += 16) {
			t = vg_scan_ctl_flags(p);
			if (t)
				goto flagged;
			t = vg_scan_ctl_flags(p + 8);
			if (t) {
				p += 8;
				goto flagged;
			}
		}
		if (e - p >= 8) {
			t = vg_scan_ctl_flags(p);
			if (t)
				goto flagged;
			p += 8;
		}
		while (p < e && (u8)*p >= 0x0e)
			p++;
		return (u32)(p - s);
flagged:
		p = vg_scan_flagged(p, t);
		if ((u8)*p < 0x0e)
			return (u32)(p - s);
		p++;
	}
}

/*
 * Index of the first octet c in s[i..n), or n: memchr() by words, as the
 * kernel's own is a byte loop. c is the zero octet of x ^ c * ONES, found
 * by the same test with 0x01.
 */
static inline u32 vg_scan_byte(const char *s, u32 i, u32 n, char c)
{
	const char *p = s + i;
	u32 words = (n - i) >> 3;

	for (; words; words--, p += 8) {
		u64 x, t;

		memcpy(&x, p, sizeof(x));
		x ^= (u8)c * VG_SCAN_ONES;
		t = (x - VG_SCAN_ONES) & ~x & VG_SCAN_HIGHS;
		if (t)
			return vg_scan_hit(s, p, t, c);
	}
	while (p < s + n && *p != c)
		p++;
	return (u32)(p - s);
}

/*
 * The first LF in [p, end), or end, by pointers. Per word, (x ^ LFs) -
 * ONES sets the top bit of an LF octet but also of most octets from 0x80
 * up (and of some after them): one test less than vg_scan_byte()'s, and
 * the text parsers' lines are ASCII, so the flagged octet is nearly
 * always the LF; when not, the scan goes on after it.
 */
static inline const char *vg_scan_lf_ptr(const char *p, const char *end)
{
	while (end - p >= 8) {
		u64 x, t;

		memcpy(&x, p, sizeof(x));
		t = ((x ^ 0x0a * VG_SCAN_ONES) - VG_SCAN_ONES) & VG_SCAN_HIGHS;
		if (t) {
			p = vg_scan_flagged(p, t);
			if (*p == '\n')
				return p;
			p++;
			continue;
		}
		p += 8;
	}
	while (p < end && *p != '\n')
		p++;
	return p;
}

#endif /* VG_CORE_SCAN_H */
