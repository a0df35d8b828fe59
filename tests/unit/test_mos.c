// SPDX-License-Identifier: GPL-2.0
/*
 * E-model: integer results against the G.107 formulas evaluated here in
 * doubles, codec lookups, and the expected shape (clean G.711 near 4.4,
 * loss and delay lower it, better codecs score higher).
 */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#include "tap.h"
#include "mos.h"
#include "rtp.h"

static double ref_id(double d_ms)
{
	return 0.024 * d_ms + (d_ms > 177.3 ? 0.11 * (d_ms - 177.3) : 0);
}

static double ref_ie_eff(double ie, double bpl, double ppl)
{
	return ie + (95 - ie) * ppl / (ppl + bpl);
}

static double ref_mos(double r)
{
	if (r <= 0)
		return 1;
	if (r >= 100)
		return 4.5;
	/* The cubic dips just below 1 for small R: MOS is 1..4.5. */
	return fmax(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}

static void test_formulas(void)
{
	static const u32 delays_ms[] = { 0, 20, 100, 177, 178, 200, 400, 800 };
	static const u32 loss_ppm[] = { 0, 1000, 10000, 50000, 200000,
					1000000 };
	const struct vg_mos_codec *g729 = vg_mos_codec_by_name("G729", 4);
	unsigned int i, bad = 0, n = 0;
	double worst = 0;

	for (i = 0; i < VG_ARRAY_SIZE(delays_ms); i++) {
		double want = ref_id(delays_ms[i]) * 100;
		double got = vg_mos_id_x100(delays_ms[i] * 1000);

		ok(fabs(got - want) <= 1, "Id(%u ms) = %.2f, formula %.2f",
		   delays_ms[i], got / 100, want / 100);
	}
	for (i = 0; i < VG_ARRAY_SIZE(loss_ppm); i++) {
		double want = ref_ie_eff(11, 19, loss_ppm[i] / 1e4) * 100;
		double got = vg_mos_ie_eff_x100(g729, loss_ppm[i]);

		ok(fabs(got - want) <= 1, "G.729 Ie-eff(%.1f%%) = %.2f, formula %.2f",
		   loss_ppm[i] / 1e4, got / 100, want / 100);
	}
	/* every R from 0 to 100 by 0.01 */
	for (i = 0; i <= 10000; i++) {
		double want = ref_mos(i / 100.0) * 100;
		double got = vg_mos_from_r_x100(i);

		n++;
		if (fabs(got - want) > 0.5 + 1e-9)
			bad++;
		if (fabs(got - want) > worst)
			worst = fabs(got - want);
	}
	ok(bad == 0, "MOS(R) within rounding of the formula at %u points (worst %.3f)",
	   n, worst / 100);
	is_int(vg_mos_from_r_x100(0), 100, "R 0: MOS 1");
	is_int(vg_mos_from_r_x100(10000), 450, "R 100: MOS 4.5");
	is_int(vg_mos_from_r_x100(20000), 450, "R 200: MOS 4.5");
	is_int(vg_mos_from_r_x100(9320), 441, "R 93.2: MOS 4.41");
	is_int(vg_mos_from_r_x100(5000), 258, "R 50: MOS 2.58");
}

static void test_codecs(void)
{
	ok(vg_mos_codec_by_pt(0) && vg_mos_codec_by_pt(0)->ie == 0,
	   "PT 0 is G.711");
	ok(vg_mos_codec_by_pt(18) && vg_mos_codec_by_pt(18)->ie == 11,
	   "PT 18 is G.729, Ie 11");
	ok(vg_mos_codec_by_pt(3) && vg_mos_codec_by_pt(3)->ie == 20,
	   "PT 3 is GSM, Ie 20");
	ok(!vg_mos_codec_by_pt(96), "PT 96 is dynamic: unknown");
	ok(vg_mos_codec_by_name("pcma", 4) == vg_mos_codec_by_pt(8),
	   "name lookup ignores case");
	ok(vg_mos_codec_by_name("OPUS", 4) != NULL, "opus known");
	ok(!vg_mos_codec_by_name("PCM", 3), "prefix is not a match");
	ok(!vg_mos_codec_by_name("PCMUX", 5), "longer is not a match");
	ok(!vg_mos_codec_by_name("", 0), "empty name unknown");
	ok(vg_mos_codec_default() == vg_mos_codec_by_pt(0), "default G.711");
}

static void test_estimates(void)
{
	const struct vg_mos_codec *g711 = vg_mos_codec_by_pt(0);
	const struct vg_mos_codec *g729 = vg_mos_codec_by_pt(18);
	const struct vg_mos_codec *gsm = vg_mos_codec_by_pt(3);
	u64 low_jitter = (u64)6179 << VG_RTP_JITTER_SHIFT;	/* 6 us */
	u64 j50 = (u64)50000000 << VG_RTP_JITTER_SHIFT;		/* 50 ms */
	u32 clean, lossy, m729, mgsm, jittery;
	double d, want;

	clean = vg_mos_estimate(g711, 0, low_jitter);
	ok(clean >= 435 && clean <= 441,
	   "G.711, no loss, low jitter: MOS %.2f (about 4.4)", clean / 100.0);
	d = 40 + 1 + 2 * 0.006179;
	want = ref_mos(93.2 - ref_id(d)) * 100;
	ok(fabs(clean - want) <= 1, "... formula gives %.2f", want / 100);

	lossy = vg_mos_estimate(g711, 50000, low_jitter);
	want = ref_mos(93.2 - ref_id(d) - ref_ie_eff(0, 25.1, 5)) * 100;
	ok(lossy < clean, "5%% loss lowers MOS: %.2f", lossy / 100.0);
	ok(fabs(lossy - want) <= 1, "... formula gives %.2f", want / 100);

	jittery = vg_mos_estimate(g711, 0, j50);
	d = 40 + 1 + 2 * 50;
	want = ref_mos(93.2 - ref_id(d)) * 100;
	ok(jittery < clean, "50 ms jitter lowers MOS: %.2f", jittery / 100.0);
	ok(fabs(jittery - want) <= 1, "... formula gives %.2f", want / 100);
	is_int(vg_mos_delay_us(g711, j50), 141000, "delay 2x50 + 1 + 40 ms");

	m729 = vg_mos_estimate(g729, 0, low_jitter);
	mgsm = vg_mos_estimate(gsm, 0, low_jitter);
	ok(m729 < clean && mgsm < m729,
	   "codec order: G.711 %.2f > G.729 %.2f > GSM %.2f", clean / 100.0,
	   m729 / 100.0, mgsm / 100.0);
	want = ref_mos(93.2 - ref_id(40 + 15 + 0.012) - 11) * 100;
	ok(fabs(m729 - want) <= 1, "G.729 formula gives %.2f", want / 100);

	is_int(vg_mos_estimate(g711, 1000000, low_jitter),
	       (u32)lround(ref_mos(93.2 - ref_id(d - 100 + 0.012) -
				   ref_ie_eff(0, 25.1, 100)) * 100),
	       "100%% loss");
	is_int(vg_mos_estimate(g711, 2000000, ~0ULL), 100,
	       "absurd inputs clamp to MOS 1");
	is_int(vg_mos_estimate(NULL, 0, low_jitter), clean,
	       "NULL codec is G.711");
}

static void test_stream(void)
{
	struct vg_rtp_stream s;
	struct vg_rtp_hdr h = { .ssrc = 1, .pt = 0 };
	u32 i, clean;

	vg_rtp_stream_init(&s, 8000);
	for (i = 0; i < 1000; i++) {
		h.seq = (u16)i;
		h.ts = i * 160;
		vg_rtp_stream_update(&s, &h, 172, (u64)i * 20000000);
	}
	clean = vg_mos_stream(&s, NULL);
	ok(clean >= 435, "clean stream: MOS %.2f", clean / 100.0);
	vg_rtp_stream_init(&s, 8000);
	for (i = 0; i < 1000; i++) {
		if (i % 10 == 5)
			continue;	/* 10% loss */
		h.seq = (u16)i;
		h.ts = i * 160;
		vg_rtp_stream_update(&s, &h, 172, (u64)i * 20000000);
	}
	is_int(vg_rtp_stream_loss_ppm(&s), 100000,
	       "stream loss 100 of 1000 expected");
	ok(vg_mos_stream(&s, NULL) < clean, "10%% loss: MOS %.2f",
	   vg_mos_stream(&s, NULL) / 100.0);
}

int main(void)
{
	test_formulas();
	test_codecs();
	test_estimates();
	test_stream();
	return tap_done();
}
