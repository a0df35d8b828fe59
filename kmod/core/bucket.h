/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token bucket on a nanosecond clock, for packet rates (cost 1, or a weight
 * such as "an INVITE costs 4") and byte rates (cost = octets).
 *
 * Tokens are held in "token-nanoseconds" (one token = NSEC_PER_SEC units),
 * so refilling is one multiplication, elapsed_ns * rate, with no division
 * and no rounding at any rate. The configuration is checked so that no
 * product can overflow u64 (rate and burst are bounded and the elapsed time
 * is capped at what refills an empty bucket): the lesson of nft_limit's
 * CVE-2024-26668.
 *
 * Plain data; the caller serialises access (lock or per-CPU instance).
 */
#ifndef VG_CORE_BUCKET_H
#define VG_CORE_BUCKET_H

#include "vg_base.h"

#define VG_NSEC_PER_SEC		1000000000ULL

/* Largest rate, tokens per second (8 Tbit/s as a byte rate). */
#define VG_BUCKET_RATE_MAX	1000000000000ULL
/* Largest burst, tokens. */
#define VG_BUCKET_BURST_MAX	0xffffffffULL

struct vg_bucket {
	u64 tokens;		/* token-nanoseconds available */
	u64 capacity;		/* burst * NSEC_PER_SEC */
	u64 rate;		/* tokens per second (added per ns, scaled) */
	u64 full_ns;		/* time that refills an empty bucket */
	u64 last_ns;		/* time of the last refill */
};

/*
 * Why (@rate tokens per second, @burst tokens) cannot configure a bucket,
 * as a message fit for a netlink extack, or NULL when it can: rate and
 * burst must be at least 1 and at most VG_BUCKET_RATE_MAX and
 * VG_BUCKET_BURST_MAX.
 */
const char *vg_bucket_config_error(u64 rate, u64 burst);

/*
 * Configure @b for @rate tokens per second and @burst tokens, full, at time
 * @now_ns. Returns false, leaving @b untouched, when
 * vg_bucket_config_error() refuses the values.
 */
bool vg_bucket_init(struct vg_bucket *b, u64 rate, u64 burst, u64 now_ns);

/*
 * Refill @b up to @now_ns, then take @cost tokens if that many are there.
 * Returns true when taken (conforming), false when not (nothing taken).
 * A cost above the burst never conforms. A clock that went backwards
 * (another CPU's timestamp) refills nothing.
 */
bool vg_bucket_take(struct vg_bucket *b, u64 now_ns, u32 cost);

/* Whole tokens available at @now_ns (refills @b as a side effect). */
u64 vg_bucket_tokens(struct vg_bucket *b, u64 now_ns);

#endif /* VG_CORE_BUCKET_H */
