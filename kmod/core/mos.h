/* SPDX-License-Identifier: GPL-2.0 */
/*
 * E-model voice quality estimate (ITU-T G.107, simplified): the default
 * transmission rating R0 - Is = 93.2, minus the delay impairment Id and
 * the effective equipment impairment Ie-eff of the codec under random
 * packet loss, then R mapped to MOS-CQE. Other G.107 inputs keep their
 * defaults. Integer math only (kernel): R and MOS are carried times 100.
 */
#ifndef VG_CORE_MOS_H
#define VG_CORE_MOS_H

#include "vg_base.h"

struct vg_rtp_stream;

/* E-model parameters of one codec (ITU-T G.113 appendix I values). */
struct vg_mos_codec {
	const char *name;	/* rtpmap encoding name, e.g. "PCMU" */
	u8 static_pt;		/* RFC 3551 static payload type, or 0xff */
	u16 ie;			/* equipment impairment Ie */
	u16 bpl_x10;		/* packet-loss robustness Bpl, times 10 */
	u16 frame_ms;		/* codec frame/lookahead delay, ms */
};

/* Codec by static payload type (RFC 3551); NULL if none is known. */
const struct vg_mos_codec *vg_mos_codec_by_pt(u8 pt);

/*
 * Codec by rtpmap encoding name (@name, @len octets, case-insensitive,
 * e.g. "PCMA", "G729", "opus"); NULL if none is known.
 */
const struct vg_mos_codec *vg_mos_codec_by_name(const char *name, u32 len);

/* The codec assumed when nothing is known: G.711 (Ie 0). */
const struct vg_mos_codec *vg_mos_codec_default(void);

/*
 * One-way mouth-to-ear delay estimate, in microseconds, from the jitter
 * (ns << VG_RTP_JITTER_SHIFT, as struct vg_rtp_stream keeps it): a jitter
 * buffer of twice the jitter, plus the codec frame delay, plus a fixed
 * network and processing allowance of VG_MOS_BASE_DELAY_MS.
 */
#define VG_MOS_BASE_DELAY_MS	40
u32 vg_mos_delay_us(const struct vg_mos_codec *codec, u64 jitter_fp);

/* Delay impairment Id (x100) of a one-way delay of @delay_us. */
u32 vg_mos_id_x100(u32 delay_us);

/*
 * Effective equipment impairment Ie-eff (x100) of @codec at a packet loss of
 * @loss_ppm parts per million, random loss (BurstR = 1).
 */
u32 vg_mos_ie_eff_x100(const struct vg_mos_codec *codec, u32 loss_ppm);

/* R (x100, 0..9320) for @loss_ppm loss and @delay_us one-way delay. */
u32 vg_mos_r_x100(const struct vg_mos_codec *codec, u32 loss_ppm,
		  u32 delay_us);

/* MOS-CQE (x100, 100..450) for R (x100), G.107 (B-4). */
u32 vg_mos_from_r_x100(u32 r_x100);

/* MOS (x100) for @codec (NULL: default) at @loss_ppm and jitter. */
u32 vg_mos_estimate(const struct vg_mos_codec *codec, u32 loss_ppm,
		    u64 jitter_fp);

/*
 * MOS (x100) of stream @s: its loss so far and its mean jitter, with
 * @codec (NULL: the default codec).
 */
u32 vg_mos_stream(const struct vg_rtp_stream *s,
		  const struct vg_mos_codec *codec);

#endif /* VG_CORE_MOS_H */
