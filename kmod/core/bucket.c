// SPDX-License-Identifier: GPL-2.0
/*
 * Token bucket in token-nanoseconds. Bounds that keep every product in u64:
 * capacity <= 2^32 * 10^9 < 2^62 and rate <= 10^12 < 2^40, and the elapsed
 * time multiplied by the rate is capped at full_ns, so
 * tokens + elapsed * rate <= capacity + capacity + rate < 2^64.
 */
#include "bucket.h"

const char *vg_bucket_config_error(u64 rate, u64 burst)
{
	if (!rate)
		return "rate must be at least 1 per second";
	if (rate > VG_BUCKET_RATE_MAX)
		return "rate too large";
	if (!burst)
		return "burst must be at least 1";
	if (burst > VG_BUCKET_BURST_MAX)
		return "burst too large";
	return NULL;
}

bool vg_bucket_init(struct vg_bucket *b, u64 rate, u64 burst, u64 now_ns)
{
	if (vg_bucket_config_error(rate, burst))
		return false;
	b->rate = rate;
	b->capacity = burst * VG_NSEC_PER_SEC;
	/* Rounded up: after full_ns an empty bucket is surely full. */
	b->full_ns = (b->capacity + rate - 1) / rate;
	b->tokens = b->capacity;
	b->last_ns = now_ns;
	return true;
}

static inline void vg_bucket_refill(struct vg_bucket *b, u64 now_ns)
{
	u64 elapsed;

	if (now_ns <= b->last_ns)
		return;
	elapsed = now_ns - b->last_ns;
	b->last_ns = now_ns;
	if (elapsed >= b->full_ns) {
		b->tokens = b->capacity;
		return;
	}
	b->tokens += elapsed * b->rate;
	if (b->tokens > b->capacity)
		b->tokens = b->capacity;
}

bool vg_bucket_take(struct vg_bucket *b, u64 now_ns, u32 cost)
{
	u64 need = (u64)cost * VG_NSEC_PER_SEC;

	vg_bucket_refill(b, now_ns);
	if (b->tokens < need)
		return false;
	b->tokens -= need;
	return true;
}

u64 vg_bucket_tokens(struct vg_bucket *b, u64 now_ns)
{
	vg_bucket_refill(b, now_ns);
	return b->tokens / VG_NSEC_PER_SEC;
}

/*
 * depth = burst * 10^9 / rate rounded up, < 2^62; room * rate <= depth *
 * rate < burst * 10^9 + rate < 2^63: no product overflows u64.
 */
u32 vg_gcra_take(u64 tat, u64 now_ns, u64 rate, u64 burst, u32 want,
		 u64 *new_tat)
{
	u64 start = tat > now_ns ? tat : now_ns, depth, room, n;

	/* rounded up, or a full bucket would hold a hair less than burst */
	depth = (burst * VG_NSEC_PER_SEC + rate - 1) / rate;
	/* credit left; none when another CPU's clock ran ahead of ours */
	if (start - now_ns >= depth)
		return 0;
	room = depth - (start - now_ns);
	n = room * rate / VG_NSEC_PER_SEC;
	if (n > burst)
		n = burst;
	if (n > want)
		n = want;
	if (!n)
		return 0;
	*new_tat = start + (n * VG_NSEC_PER_SEC + rate - 1) / rate;
	return (u32)n;
}
