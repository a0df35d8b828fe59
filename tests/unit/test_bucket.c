// SPDX-License-Identifier: GPL-2.0
/*
 * Token bucket: configuration bounds, burst, steady rate, weighted costs,
 * byte rates, clock going backwards, and the extremes of rate and burst
 * (no overflow anywhere, checked under UBSan).
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "bucket.h"

#define NS 1000000000ULL

/* Count conforming takes of @cost every @step_ns over @dur_ns. */
static u64 run(struct vg_bucket *b, u64 start, u64 step_ns, u64 dur_ns,
	       u32 cost)
{
	u64 t, n = 0;

	for (t = start; t < start + dur_ns; t += step_ns)
		n += vg_bucket_take(b, t, cost);
	return n;
}

static void test_config(void)
{
	struct vg_bucket b;

	memset(&b, 0x5a, sizeof(b));
	ok(vg_bucket_config_error(0, 10) != NULL, "rate 0 refused");
	ok(vg_bucket_config_error(10, 0) != NULL, "burst 0 refused");
	ok(vg_bucket_config_error(VG_BUCKET_RATE_MAX + 1, 10) != NULL,
	   "rate above the maximum refused");
	ok(vg_bucket_config_error(10, VG_BUCKET_BURST_MAX + 1) != NULL,
	   "burst above the maximum refused");
	ok(vg_bucket_config_error(~0ULL, ~0ULL) != NULL, "u64 max refused");
	ok(vg_bucket_config_error(1, 1) == NULL, "rate 1 burst 1 accepted");
	ok(vg_bucket_config_error(VG_BUCKET_RATE_MAX, VG_BUCKET_BURST_MAX) ==
	   NULL, "maximum rate and burst accepted");
	ok(!vg_bucket_init(&b, 0, 10, 0), "init refuses rate 0");
	is_int(b.rate, 0x5a5a5a5a5a5a5a5aULL, "refused init leaves it alone");
}

static void test_rate(void)
{
	struct vg_bucket b;
	u64 n;

	ok(vg_bucket_init(&b, 10, 5, 1000), "10/s burst 5");
	is_int(vg_bucket_tokens(&b, 1000), 5, "starts full");
	is_int(run(&b, 1000, 1, 100, 1), 5, "burst of 5 at once");
	ok(!vg_bucket_take(&b, 1000 + NS / 10 - 1, 1),
	   "not before 100 ms");
	ok(vg_bucket_take(&b, 1000 + NS / 10 + 100, 1), "one token at 100 ms");

	/* steady state: 1000 attempts per second for 10 s at 10/s */
	vg_bucket_init(&b, 10, 5, 0);
	n = run(&b, 0, NS / 1000, 10 * NS, 1);
	is_int(n, 5 + 100 - 1, "10 s at 10/s: burst + 10 per second");

	/* weighted: INVITE costs 4 */
	vg_bucket_init(&b, 100, 20, 0);
	is_int(run(&b, 0, 1, 10, 4), 5, "burst 20 holds 5 INVITEs of 4");
	ok(!vg_bucket_take(&b, 10, 1), "then empty");
	ok(vg_bucket_take(&b, NS / 100 + 10, 1), "10 ms later: one token");
	ok(!vg_bucket_take(&b, NS, 21), "cost above burst never conforms");
	ok(vg_bucket_take(&b, 2 * NS, 20), "cost equal to burst, when full");

	/* byte rate: 64 kbit/s G.711 = 8000 B/s payload + headers */
	vg_bucket_init(&b, 10000, 2000, 0);
	n = run(&b, 0, NS / 50, 10 * NS, 172);
	is_int(n, 500, "G.711 at 50 pps x 172 B fits 10000 B/s");
	vg_bucket_init(&b, 8000, 2000, 0);
	n = run(&b, 0, NS / 50, 10 * NS, 172);
	ok(n < 500 && n >= 8000 * 10 / 172,
	   "... and is policed at 8000 B/s (%llu of 500)",
	   (unsigned long long)n);

	/* clock going backwards refills nothing and takes nothing extra */
	vg_bucket_init(&b, 1, 1, 5 * NS);
	ok(vg_bucket_take(&b, 5 * NS, 1), "take the only token");
	ok(!vg_bucket_take(&b, 1 * NS, 1), "earlier clock: nothing");
	ok(!vg_bucket_take(&b, 5 * NS + NS - 1, 1), "not quite a second");
	ok(vg_bucket_take(&b, 6 * NS, 1), "a second after the last refill");

	/*
	 * Fractional rates are exact: 3/s, tried every 1/7 s for 100 s
	 * (last try at 99.857 s): burst 2 + floor(3 * 99.857) = 301.
	 */
	vg_bucket_init(&b, 3, 2, 0);
	n = run(&b, 0, NS / 7, 100 * NS, 1);
	is_int(n, 301, "3/s over 100 s: no rounding drift");
}

static void test_extremes(void)
{
	struct vg_bucket b;

	ok(vg_bucket_init(&b, VG_BUCKET_RATE_MAX, VG_BUCKET_BURST_MAX, 0),
	   "maximum rate and burst");
	ok(vg_bucket_take(&b, 0, 0xffffffffu), "take the whole burst");
	ok(!vg_bucket_take(&b, 0, 1), "empty");
	ok(vg_bucket_take(&b, 1, 1000), "1 ns at 10^12/s: 1000 tokens");
	ok(!vg_bucket_take(&b, 1, 1), "and no more");
	ok(vg_bucket_take(&b, ~0ULL, 0xffffffffu), "clock at u64 max: full");
	is_int(vg_bucket_tokens(&b, ~0ULL), 0, "emptied again");

	ok(vg_bucket_init(&b, 1, VG_BUCKET_BURST_MAX, 0),
	   "rate 1 with the largest burst");
	vg_bucket_take(&b, 0, 0xffffffffu);
	is_int(vg_bucket_tokens(&b, 1000 * NS), 1000, "1000 s: 1000 tokens");
	is_int(vg_bucket_tokens(&b, ~0ULL), VG_BUCKET_BURST_MAX,
	       "centuries later: full, not wrapped");

	ok(vg_bucket_init(&b, VG_BUCKET_RATE_MAX, 1, 0), "max rate, burst 1");
	vg_bucket_take(&b, 0, 1);
	is_int(vg_bucket_tokens(&b, ~0ULL / 2), 1, "capped at burst");
}

/* CPUs sharing one GCRA word, each taking a few tokens at a time. */
static void test_gcra(void)
{
	u64 tat = 0, t, now = 1000 * NS;
	u32 got, total, cache[2] = { 0, 0 };
	int cpu, k;

	is_int(vg_gcra_take(tat, now, 1, 20, 16, &tat), 16,
	       "full bucket of 20: a batch of 16");
	is_int(vg_gcra_take(tat, now, 1, 20, 16, &tat), 4, "then the last 4");
	t = tat;
	is_int(vg_gcra_take(tat, now, 1, 20, 16, &tat), 0, "then none");
	ok(tat == t, "a refused take publishes nothing");
	is_int(vg_gcra_take(tat, now + NS - 1, 1, 20, 16, &tat), 0,
	       "rate 1: not before a second");
	is_int(vg_gcra_take(tat, now + NS, 1, 20, 16, &tat), 1,
	       "one token a second later");
	is_int(vg_gcra_take(tat, now + 100 * NS, 1, 20, 16, &tat), 16,
	       "idle long: full again, not beyond");
	is_int(vg_gcra_take(tat, now + 100 * NS, 1, 20, 16, &tat), 4,
	       "the burst, no more");
	/* another CPU's older timestamp finds the word ahead of its clock */
	is_int(vg_gcra_take(tat, now + 50 * NS, 1, 20, 1, &tat), 0,
	       "clock behind the word: nothing");

	/*
	 * Two CPUs alternate packets for 10 s at 3,000 per second against a
	 * budget of 1,000/s and 500: each spends its cached tokens first and
	 * takes 16 more from the shared word when out. What passes is the
	 * budget (burst + 10 s of rate), whichever CPU asks, to one batch.
	 */
	tat = 0;
	total = 0;
	for (k = 0; k < 30000; k++) {
		now = 5 * NS + (u64)k * (NS / 3000);
		cpu = k & 1;
		if (!cache[cpu]) {
			got = vg_gcra_take(tat, now, 1000, 500, 16, &tat);
			cache[cpu] = got;
		}
		if (cache[cpu]) {
			cache[cpu]--;
			total++;
		}
	}
	ok(total >= 10500 - 32 && total <= 10500,
	   "two CPUs, 10 s: %u passed of a 10,500 budget", total);

	/* rounding: 3/s and 2 taken one at a time: 301 in 100 s as above */
	tat = 0;
	total = 0;
	for (k = 0; k < 100 * 7; k++)
		total += vg_gcra_take(tat, (u64)k * (NS / 7), 3, 2, 1, &tat);
	ok(total >= 300 && total <= 302, "3/s over 100 s one at a time: %u",
	   total);
	/* the largest values do not overflow */
	tat = 0;
	is_int(vg_gcra_take(tat, NS, VG_BUCKET_RATE_MAX, VG_BUCKET_BURST_MAX,
			    0xffffffffu, &tat), 0xffffffffu,
	       "maximum rate and burst: the whole burst at once");
	is_int(vg_gcra_take(tat, NS, VG_BUCKET_RATE_MAX, VG_BUCKET_BURST_MAX,
			    1, &tat), 0, "then empty");
	tat = 0;
	is_int(vg_gcra_take(tat, NS, 1, VG_BUCKET_BURST_MAX, 0xffffffffu,
			    &tat), 0xffffffffu, "rate 1, burst 2^32 - 1");
}

int main(void)
{
	test_config();
	test_rate();
	test_extremes();
	test_gcra();
	return tap_done();
}
