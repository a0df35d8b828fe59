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

/*
 * The same bucket as one word, for CPUs that share it through a
 * compare-and-exchange: GCRA's theoretical arrival time @tat (ns; 0 for a
 * full bucket), which the tokens taken push ahead of the clock, never more
 * than the burst's worth. Take up to @want tokens (at least 1) at @now_ns
 * from a bucket of @rate per second and @burst (as vg_bucket_config_error()
 * allows): returns how many there were, 0 when none, and *@new_tat to
 * publish when any were taken. Each take's cost is rounded up to a whole
 * nanosecond, so taking many at once keeps the rate exact.
 */
u32 vg_gcra_take(u64 tat, u64 now_ns, u64 rate, u64 burst, u32 want,
		 u64 *new_tat);

#endif /* VG_CORE_BUCKET_H */
