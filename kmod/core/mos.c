// SPDX-License-Identifier: GPL-2.0
/*
 * E-model (ITU-T G.107) in integer arithmetic, values times 100.
 *
 * Codec values (Ie, Bpl) are from ITU-T G.113 appendix I: G.711 with
 * packet loss concealment (G.711 appendix I) Ie 0, Bpl 25.1; G.729A with
 * VAD Ie 11, Bpl 19; G.723.1 (6.3 kbit/s, VAD) Ie 15, Bpl 16.1; GSM-EFR
 * Ie 5, Bpl 10; GSM-FR Ie 20 (G.113 gives no Bpl: the EFR value is used).
 * AMR 12.2 is scored as GSM-EFR (the same algorithm). Wideband codecs
 * (G.722, AMR-WB, Opus) have no narrowband G.107 values; they are scored
 * like G.711 with concealment, which understates them slightly.
 * Frame delays are frame plus look-ahead.
 */
#include "mos.h"
#include "rtp.h"

#define VG_MOS_NO_PT	0xff

static const struct vg_mos_codec vg_mos_codecs[] = {
	{ "PCMU",	0,		0,  251, 1 },
	{ "PCMA",	8,		0,  251, 1 },
	{ "G729",	18,		11, 190, 15 },
	{ "G723",	4,		15, 161, 38 },
	{ "GSM",	3,		20, 100, 20 },
	{ "GSM-EFR",	VG_MOS_NO_PT,	5,  100, 20 },
	{ "AMR",	VG_MOS_NO_PT,	5,  100, 25 },
	{ "G722",	9,		0,  251, 2 },
	{ "AMR-WB",	VG_MOS_NO_PT,	0,  251, 25 },
	{ "opus",	VG_MOS_NO_PT,	0,  251, 27 },
};

const struct vg_mos_codec *vg_mos_codec_by_pt(u8 pt)
{
	unsigned int i;

	for (i = 0; i < VG_ARRAY_SIZE(vg_mos_codecs); i++)
		if (vg_mos_codecs[i].static_pt == pt)
			return &vg_mos_codecs[i];
	return NULL;
}

static inline char vg_mos_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

const struct vg_mos_codec *vg_mos_codec_by_name(const char *name, u32 len)
{
	unsigned int i;
	u32 k;

	for (i = 0; i < VG_ARRAY_SIZE(vg_mos_codecs); i++) {
		const char *n = vg_mos_codecs[i].name;

		for (k = 0; k < len && n[k]; k++)
			if (vg_mos_lower(n[k]) != vg_mos_lower(name[k]))
				break;
		if (k == len && !n[k])
			return &vg_mos_codecs[i];
	}
	return NULL;
}

const struct vg_mos_codec *vg_mos_codec_default(void)
{
	return &vg_mos_codecs[0];
}

u32 vg_mos_delay_us(const struct vg_mos_codec *codec, u64 jitter_fp)
{
	u64 jitter_us = (jitter_fp >> VG_RTP_JITTER_SHIFT) / 1000;
	u64 d;

	if (!codec)
		codec = vg_mos_codec_default();
	d = 2 * jitter_us + (u64)(codec->frame_ms + VG_MOS_BASE_DELAY_MS) *
			    1000;
	return d > 0xffffffffULL ? 0xffffffffU : (u32)d;
}

u32 vg_mos_id_x100(u32 delay_us)
{
	/* Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3), d in ms */
	u64 id = (u64)delay_us * 24;

	if (delay_us > 177300)
		id += (u64)(delay_us - 177300) * 110;
	id = (id + 5000) / 10000;
	return id > 100000 ? 100000 : (u32)id;
}

u32 vg_mos_ie_eff_x100(const struct vg_mos_codec *codec, u32 loss_ppm)
{
	u64 bpl_ppm;

	if (!codec)
		codec = vg_mos_codec_default();
	if (loss_ppm > 1000000)
		loss_ppm = 1000000;
	/* Ppl and Bpl in ppm: Bpl% = bpl_x10 / 10, 1% = 10000 ppm. */
	bpl_ppm = (u64)codec->bpl_x10 * 1000;
	if (!loss_ppm)
		return codec->ie * 100;
	return codec->ie * 100 +
	       (u32)(((u64)(95 - codec->ie) * 100 * loss_ppm +
		      (loss_ppm + bpl_ppm) / 2) / (loss_ppm + bpl_ppm));
}

u32 vg_mos_r_x100(const struct vg_mos_codec *codec, u32 loss_ppm,
		  u32 delay_us)
{
	/* R = R0 - Is - Id - Ie-eff (+ A = 0), R0 - Is = 93.2 by default */
	s64 r = 9320 - (s64)vg_mos_id_x100(delay_us) -
		(s64)vg_mos_ie_eff_x100(codec, loss_ppm);

	return r < 0 ? 0 : (u32)r;
}

u32 vg_mos_from_r_x100(u32 r_x100)
{
	s64 r = r_x100, m;

	if (r <= 0)
		return 100;
	if (r >= 10000)
		return 450;
	/*
	 * MOS = 1 + 0.035 R + 7e-6 R (R - 60) (100 - R), with r = 100 R:
	 * 100 MOS = 100 + 35 r / 1000 + 7 r (r - 6000) (10000 - r) / 1e10.
	 */
	m = 1000000000000LL + 350000000LL * r +
	    7 * r * (r - 6000) * (10000 - r);
	m = (m + 5000000000LL) / 10000000000LL;
	if (m < 100)
		return 100;
	return m > 450 ? 450 : (u32)m;
}

u32 vg_mos_estimate(const struct vg_mos_codec *codec, u32 loss_ppm,
		    u64 jitter_fp)
{
	return vg_mos_from_r_x100(vg_mos_r_x100(codec, loss_ppm,
					vg_mos_delay_us(codec, jitter_fp)));
}

u32 vg_mos_stream(const struct vg_rtp_stream *s,
		  const struct vg_mos_codec *codec)
{
	return vg_mos_estimate(codec, vg_rtp_stream_loss_ppm(s),
			       vg_rtp_stream_jitter_mean(s));
}
