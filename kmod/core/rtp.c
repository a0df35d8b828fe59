// SPDX-License-Identifier: GPL-2.0
/*
 * RTP header validation and per-stream receive statistics (RFC 3550
 * appendices A.1 and A.8).
 */
#include "rtp.h"

#define VG_RTP_PT_CN		13	/* comfort noise, RFC 3389 */
#define VG_RTP_PT_CN_OLD	19	/* comfort noise, before RFC 3551 */
#define VG_RTP_SEEN_BITS	128
#define VG_RTP_NSEC_PER_SEC	1000000000ULL

#define VG_LIKELY(x)		__builtin_expect(!!(x), 1)
#define VG_UNLIKELY(x)		__builtin_expect(!!(x), 0)

static inline u16 vg_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 vg_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

enum vg_reason vg_rtp_parse_full(const u8 *p, u32 len,
				 const struct vg_rtp_pt_set *allowed,
				 struct vg_rtp_hdr *h)
{
	u32 off = VG_RTP_HDR_LEN, ext_len = 0;
	u16 ext_profile = 0;
	u8 b0, b1, pad = 0;

	if (len < VG_RTP_HDR_LEN)
		return VG_R_RTP_BAD_HEADER;
	/* Read into locals first: stores through h may alias p. */
	b0 = p[0];
	b1 = p[1];
	if ((b0 >> 6) != VG_RTP_VERSION)
		return VG_R_RTP_BAD_HEADER;

	if (VG_UNLIKELY(b0 & 0x3f)) {	/* CSRCs, extension or padding */
		off += 4 * (u32)(b0 & 0x0f);
		if (off > len)
			return VG_R_RTP_BAD_HEADER;
		if (b0 & 0x10) {
			if (len - off < 4)
				return VG_R_RTP_BAD_HEADER;
			ext_profile = vg_get_be16(p + off);
			ext_len = 4 * (u32)vg_get_be16(p + off + 2);
			off += 4;
			if (ext_len > len - off)
				return VG_R_RTP_BAD_HEADER;
			off += ext_len;
		}
		if (b0 & 0x20) {
			/* The count includes itself, may not eat the header. */
			pad = p[len - 1];
			if (!pad || pad > len - off)
				return VG_R_RTP_BAD_HEADER;
		}
	}

	h->seq = vg_get_be16(p + 2);
	h->ts = vg_get_be32(p + 4);
	h->ssrc = vg_get_be32(p + 8);
	h->csrc_count = b0 & 0x0f;
	h->extension = b0 & 0x10;
	h->ext_profile = ext_profile;
	h->ext_len = ext_len;
	h->marker = b1 >> 7;
	h->pt = b1 & 0x7f;
	h->payload_off = off;
	h->payload_len = len - off - pad;
	h->pad_len = pad;

	/* Second octet 200..204: an RTCP SR..APP header, not RTP (A.1). */
	if ((u8)(b1 - (0x80 | 72)) <= 76 - 72)
		return VG_R_RTP_BAD_PAYLOAD_TYPE;
	if (!vg_rtp_pt_allowed(allowed, b1 & 0x7f))
		return VG_R_RTP_BAD_PAYLOAD_TYPE;
	return VG_R_NONE;
}

void vg_rtp_stream_init(struct vg_rtp_stream *s, u32 clock_rate)
{
	memset(s, 0, sizeof(*s));
	s->event_pt = VG_RTP_NO_PT;
	if (clock_rate && clock_rate <= VG_RTP_CLOCK_RATE_MAX) {
		s->clock_rate = clock_rate;
		s->tick_ns = (u32)(VG_RTP_NSEC_PER_SEC / clock_rate);
		s->tick_frac = (u32)(((VG_RTP_NSEC_PER_SEC % clock_rate) << 16) /
				     clock_rate);
	}
}

void vg_rtp_stream_set_event_pt(struct vg_rtp_stream *s, u8 pt)
{
	s->event_pt = pt & 0x7f;
}

/* Expected since the last restart (once probation is over). */
static inline u64 vg_rtp_seq_expected(const struct vg_rtp_stream *s)
{
	return (u64)(vg_rtp_stream_ext_max(s) - s->base_seq) + 1;
}

/* A.1 init_seq(), with history: counts so far move to the prior totals. */
static void vg_rtp_seq_restart(struct vg_rtp_stream *s, u16 seq)
{
	u64 expected = vg_rtp_seq_expected(s);

	s->expected_prior += expected;
	if (expected > s->received)
		s->lost_prior += expected - s->received;
	s->cycles = 0;
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = VG_RTP_SEQ_MOD + 1;	/* matches no seq */
	s->seen[0] = 1;
	s->seen[1] = 0;
	s->received = 1;
}

/* Slide the duplicate window forward by @d (1..MAX_DROPOUT) numbers. */
static void vg_rtp_seen_advance(struct vg_rtp_stream *s, u32 d)
{
	if (d >= VG_RTP_SEEN_BITS) {
		s->seen[1] = 0;
		s->seen[0] = 1;
	} else if (d >= 64) {
		s->seen[1] = s->seen[0] << (d - 64);
		s->seen[0] = 1;
	} else {
		s->seen[1] = s->seen[1] << d | s->seen[0] >> (63 - d) >> 1;
		s->seen[0] = s->seen[0] << d | 1;
	}
}

static enum vg_rtp_seq vg_rtp_seq_update(struct vg_rtp_stream *s, u16 seq)
{
	u16 udelta = (u16)(seq - s->max_seq);
	u64 bit;
	u32 back;

	if (VG_LIKELY(udelta == 1 && !s->probation)) {
		/* The common case: the next packet. */
		u64 seen0 = s->seen[0];

		s->seen[1] = s->seen[1] << 1 | seen0 >> 63;
		if (!seq)
			s->cycles += VG_RTP_SEQ_MOD;
		s->seen[0] = seen0 << 1 | 1;
		s->max_seq = seq;
		s->received++;
		return VG_RTP_SEQ_OK;
	}

	if (s->probation) {
		if (seq == (u16)(s->max_seq + 1)) {
			s->max_seq = seq;
			if (--s->probation)
				return VG_RTP_SEQ_PROBATION;
			/* Count the probation packets: they were in order. */
			s->seq_valid = true;
			s->cycles = seq < VG_RTP_MIN_SEQUENTIAL - 1 ?
				    VG_RTP_SEQ_MOD : 0;
			s->base_seq = s->cycles + seq -
				      (VG_RTP_MIN_SEQUENTIAL - 1);
			s->bad_seq = VG_RTP_SEQ_MOD + 1;
			s->seen[0] = (1ULL << VG_RTP_MIN_SEQUENTIAL) - 1;
			s->seen[1] = 0;
			s->received = VG_RTP_MIN_SEQUENTIAL;
			return VG_RTP_SEQ_OK;
		}
		s->probation = VG_RTP_MIN_SEQUENTIAL - 1;
		s->max_seq = seq;
		return VG_RTP_SEQ_PROBATION;
	}

	if (udelta && udelta < VG_RTP_MAX_DROPOUT) {
		if (seq < s->max_seq)
			s->cycles += VG_RTP_SEQ_MOD;
		s->max_seq = seq;
		vg_rtp_seen_advance(s, udelta);
		s->received++;
		return VG_RTP_SEQ_OK;
	}

	if (udelta && udelta <= VG_RTP_SEQ_MOD - VG_RTP_MAX_MISORDER) {
		if (seq == s->bad_seq) {
			/* Two in a row after a jump: the source restarted. */
			s->resyncs++;
			vg_rtp_seq_restart(s, seq);
			return VG_RTP_SEQ_RESYNC;
		}
		s->bad_seq = (u16)(seq + 1);
		s->bad_seq_count++;
		return VG_RTP_SEQ_BAD;
	}

	/* Same as the highest, or up to MAX_MISORDER behind it. */
	s->received++;
	back = (u16)(s->max_seq - seq);
	bit = 1ULL << (back & 63);
	if (s->seen[back >> 6] & bit) {
		s->duplicates++;
		return VG_RTP_SEQ_DUPLICATE;
	}
	s->seen[back >> 6] |= bit;
	s->reordered++;
	return VG_RTP_SEQ_REORDERED;
}

static inline bool vg_rtp_pt_is_cn(u8 pt)
{
	return pt == VG_RTP_PT_CN || pt == VG_RTP_PT_CN_OLD;
}

/* Nanoseconds of @ticks timestamp units: |result| < 2^62. */
static inline s64 vg_rtp_ticks_ns(const struct vg_rtp_stream *s, s32 ticks)
{
	/* tick_ns < 2^30 and tick_frac < 2^16: neither product overflows. */
	return (s64)ticks * s->tick_ns + (((s64)ticks * s->tick_frac) >> 16);
}

static void vg_rtp_jitter_update(struct vg_rtp_stream *s,
				 const struct vg_rtp_hdr *h, u64 arrival_ns)
{
	s32 ts_delta = (s32)(h->ts - s->ref_ts);
	bool cn = vg_rtp_pt_is_cn(h->pt);
	s64 arrival_delta, transit;
	u64 d;

	/*
	 * An event's timestamp stays at the event's start while the clock
	 * runs on: as a reference it would make the audio after it look
	 * late by the event's length.
	 */
	if (VG_UNLIKELY(h->pt == s->event_pt))
		return;
	if (VG_LIKELY(s->clock_rate)) {
		/*
		 * |D| = |arrival delta - nominal delta| in ns, computed with
		 * wrapping arithmetic: deltas beyond +-2^62 ns (a century)
		 * give a meaningless but clamped D, never an overflow.
		 */
		arrival_delta = (s64)(arrival_ns - s->ref_arrival_ns);
		transit = (s64)((u64)arrival_delta -
				(u64)vg_rtp_ticks_ns(s, ts_delta));
		d = transit < 0 ? -(u64)transit : (u64)transit;
		if (VG_UNLIKELY(d > VG_RTP_TRANSIT_DIFF_MAX))
			d = VG_RTP_TRANSIT_DIFF_MAX;

		/* J += (|D| - J) / 16, with J in ns << 4: J - J/16 + |D|. */
		s->jitter = s->jitter - ((s->jitter + 8) >> 4) + d;

		if (VG_LIKELY(ts_delta >= 0 && !h->marker && !cn &&
			      !s->last_cn)) {
			u64 j = s->jitter, sum;

			if (j > s->jitter_max)
				s->jitter_max = j;
			if (VG_UNLIKELY(__builtin_add_overflow(s->jitter_sum,
							       j, &sum)))
				sum = ~0ULL;
			s->jitter_sum = sum;
			s->jitter_samples++;
		}
	}

	if (ts_delta >= 0) {
		s->ref_ts = h->ts;
		s->ref_arrival_ns = arrival_ns;
	}
	s->last_cn = cn;
}

/* @h starts the timing (first packet, source restart): no sample. */
static void vg_rtp_jitter_start(struct vg_rtp_stream *s,
				const struct vg_rtp_hdr *h, u64 arrival_ns)
{
	s->ref_ts = h->ts;
	s->ref_arrival_ns = arrival_ns;
	s->last_cn = vg_rtp_pt_is_cn(h->pt);
}

enum vg_rtp_seq vg_rtp_stream_update(struct vg_rtp_stream *s,
				     const struct vg_rtp_hdr *h, u32 len,
				     u64 arrival_ns)
{
	enum vg_rtp_seq ret;

	if (VG_UNLIKELY(!s->latched)) {
		s->latched = true;
		s->ssrc = h->ssrc;
		/* A.1: max_seq = seq - 1, so the first packet is in order. */
		s->max_seq = (u16)(h->seq - 1);
		s->probation = VG_RTP_MIN_SEQUENTIAL;
		vg_rtp_jitter_start(s, h, arrival_ns);
		s->packets++;
		s->bytes += len;
		return vg_rtp_seq_update(s, h->seq);
	}
	if (VG_UNLIKELY(h->ssrc != s->ssrc)) {
		s->other_ssrc++;
		return VG_RTP_SEQ_OTHER_SSRC;
	}

	s->bytes += len;
	ret = vg_rtp_seq_update(s, h->seq);
	/*
	 * A packet the sequence check ignores is no timing reference: one
	 * wild timestamp would make every later packet look late. After a
	 * restart the timestamps start afresh.
	 */
	if (VG_LIKELY(ret < VG_RTP_SEQ_BAD))
		vg_rtp_jitter_update(s, h, arrival_ns);
	else if (ret == VG_RTP_SEQ_RESYNC)
		vg_rtp_jitter_start(s, h, arrival_ns);
	s->packets++;
	return ret;
}

u64 vg_rtp_stream_expected(const struct vg_rtp_stream *s)
{
	if (!s->seq_valid)
		return s->expected_prior;
	return s->expected_prior + vg_rtp_seq_expected(s);
}

u64 vg_rtp_stream_lost(const struct vg_rtp_stream *s)
{
	u64 expected, lost = s->lost_prior;

	if (!s->seq_valid)
		return lost;
	expected = vg_rtp_seq_expected(s);
	if (expected > s->received)
		lost += expected - s->received;
	return lost;
}

u32 vg_rtp_stream_loss_ppm(const struct vg_rtp_stream *s)
{
	u64 expected = vg_rtp_stream_expected(s);
	u64 lost = vg_rtp_stream_lost(s);

	if (!expected)
		return 0;
	if (lost >= expected)
		return 1000000;
	if (lost >> 40) {
		/* Keep lost * 10^6 within u64; the ratio barely changes. */
		lost >>= 24;
		expected >>= 24;
	}
	return (u32)(lost * 1000000 / expected);
}

u64 vg_rtp_stream_jitter_mean(const struct vg_rtp_stream *s)
{
	if (!s->jitter_samples)
		return 0;
	return s->jitter_sum / s->jitter_samples;
}

u32 vg_rtp_stream_jitter_ts(const struct vg_rtp_stream *s)
{
	/* J <= 2^36 (fixed point) and rate <= 2^24: the product fits. */
	return (u32)(((s->jitter * s->clock_rate) >> VG_RTP_JITTER_SHIFT) /
		     VG_RTP_NSEC_PER_SEC);
}
