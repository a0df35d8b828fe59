/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP (RFC 3550): header validation (appendix A.1), RTCP-under-mux
 * recognition (RFC 5761 section 4) and per-stream receive statistics:
 * source probation, SSRC latching, extended sequence numbers, loss,
 * duplicates, reordering and interarrival jitter (appendix A.8).
 *
 * Jitter is kept in nanoseconds, in fixed point with VG_RTP_JITTER_SHIFT
 * fraction bits, because real streams jitter by a few microseconds: far
 * less than one tick of an 8 kHz clock, so the timestamp-unit integer of
 * RFC 3550 would read zero. The running value follows Wireshark's RTP
 * stream analysis so that mean and max compare with it directly.
 */
#ifndef VG_CORE_RTP_H
#define VG_CORE_RTP_H

#include "vg_base.h"
#include "reason.h"

#define VG_RTP_VERSION		2
#define VG_RTP_HDR_LEN		12	/* fixed header, without CSRCs */
#define VG_RTP_MIN_SEQUENTIAL	2	/* packets in sequence to end probation */
#define VG_RTP_MAX_DROPOUT	3000	/* forward jump still taken as loss */
#define VG_RTP_MAX_MISORDER	100	/* backward jump still taken as late */
#define VG_RTP_SEQ_MOD		(1U << 16)

/* No payload type (payload types are 0..127). */
#define VG_RTP_NO_PT		0x100

/* Fraction bits of the nanosecond jitter values (ns << 4). */
#define VG_RTP_JITTER_SHIFT	4

/*
 * Set of allowed payload types (0..127), bit n for type n. The empty set
 * allows every type (used before SDP has named any).
 */
struct vg_rtp_pt_set {
	u64 bits[2];
};

static inline void vg_rtp_pt_set_add(struct vg_rtp_pt_set *set, u8 pt)
{
	pt &= 0x7f;
	set->bits[pt >> 6] |= 1ULL << (pt & 63);
}

static inline bool vg_rtp_pt_set_empty(const struct vg_rtp_pt_set *set)
{
	return !(set->bits[0] | set->bits[1]);
}

/* Set from four 32-bit words, bit n of word k = type 32k + n (SDP's form). */
static inline void vg_rtp_pt_set_from_words(struct vg_rtp_pt_set *set,
					    const u32 words[4])
{
	set->bits[0] = (u64)words[1] << 32 | words[0];
	set->bits[1] = (u64)words[3] << 32 | words[2];
}

/* True when @pt is in @set, or @set is NULL or empty. */
static inline bool vg_rtp_pt_allowed(const struct vg_rtp_pt_set *set, u8 pt)
{
	if (!set || vg_rtp_pt_set_empty(set))
		return true;
	pt &= 0x7f;
	return (set->bits[pt >> 6] >> (pt & 63)) & 1;
}

/* A parsed RTP header; offsets are relative to the start of the packet. */
struct vg_rtp_hdr {
	u32 ssrc;
	u32 ts;
	u16 seq;
	u8 pt;			/* payload type, 0..127 */
	u8 csrc_count;
	bool marker;
	bool extension;
	u16 ext_profile;	/* "defined by profile" word, when extension */
	u32 ext_len;		/* extension data octets, after its 4-octet head */
	u32 payload_off;	/* first payload octet */
	u32 payload_len;	/* payload octets, padding excluded */
	u8 pad_len;		/* padding octets (count octet included), 0 if none */
};

/*
 * Validate the RTP packet @p of @len octets (the UDP payload) per RFC 3550
 * A.1: version 2; the fixed header, the CSRC list and the header extension
 * fit; when the P bit is set the last octet counts at least one octet and
 * padding does not reach into the header; the payload type is in @allowed
 * (NULL or empty: any), and it is not 72..76 with the marker bit set,
 * which makes the second octet read as RTCP SR..APP (A.1: "must not be
 * equal to SR or RR"). On a muxed port classify with vg_rtp_is_rtcp()
 * first.
 *
 * Returns VG_R_NONE and fills @h, VG_R_RTP_BAD_HEADER (then @h is
 * unspecified) or VG_R_RTP_BAD_PAYLOAD_TYPE (then @h is filled).
 * vg_rtp_parse() is the inline fast path of vg_rtp_parse_full(); both
 * judge every packet alike.
 */
enum vg_reason vg_rtp_parse_full(const u8 *p, u32 len,
				 const struct vg_rtp_pt_set *allowed,
				 struct vg_rtp_hdr *h);

static inline enum vg_reason vg_rtp_parse(const u8 *p, u32 len,
					  const struct vg_rtp_pt_set *allowed,
					  struct vg_rtp_hdr *h)
{
	u8 b1;

	/* Inline only the usual packet: no CSRC, extension or padding. */
	if (len < VG_RTP_HDR_LEN || p[0] != VG_RTP_VERSION << 6)
		return vg_rtp_parse_full(p, len, allowed, h);
	b1 = p[1];
	h->seq = (u16)(p[2] << 8 | p[3]);
	h->ts = (u32)p[4] << 24 | (u32)p[5] << 16 | (u32)p[6] << 8 | p[7];
	h->ssrc = (u32)p[8] << 24 | (u32)p[9] << 16 | (u32)p[10] << 8 | p[11];
	h->csrc_count = 0;
	h->extension = false;
	h->ext_profile = 0;
	h->ext_len = 0;
	h->marker = b1 >> 7;
	h->pt = b1 & 0x7f;
	h->payload_off = VG_RTP_HDR_LEN;
	h->payload_len = len - VG_RTP_HDR_LEN;
	h->pad_len = 0;
	if ((u8)(b1 - (0x80 | 72)) <= 76 - 72)
		return VG_R_RTP_BAD_PAYLOAD_TYPE;
	/* A negotiated type passes at once; only a miss asks "any allowed?" */
	if (!allowed ||
	    (allowed->bits[(b1 >> 6) & 1] >> (b1 & 63)) & 1 ||
	    vg_rtp_pt_set_empty(allowed))
		return VG_R_NONE;
	return VG_R_RTP_BAD_PAYLOAD_TYPE;
}

/*
 * RFC 5761 section 4 demultiplexing of RTP and RTCP on one port: a version-2
 * packet of at least 4 octets whose second octet is 192..223 is RTCP.
 * Validate it with vg_rtcp_validate().
 */
static inline bool vg_rtp_is_rtcp(const u8 *p, u32 len)
{
	return len >= 4 && (p[0] >> 6) == VG_RTP_VERSION &&
	       p[1] >= 192 && p[1] <= 223;
}

/*
 * What vg_rtp_stream_update() made of a packet; the values before
 * VG_RTP_SEQ_BAD are packets of the running sequence.
 */
enum vg_rtp_seq {
	VG_RTP_SEQ_OK,		/* next in sequence, or a forward gap (loss) */
	VG_RTP_SEQ_PROBATION,	/* source not yet validated (A.1 probation) */
	VG_RTP_SEQ_DUPLICATE,	/* seen before (within the misorder window) */
	VG_RTP_SEQ_REORDERED,	/* late but not seen before: fills a gap */
	VG_RTP_SEQ_BAD,		/* big jump: ignored unless the next follows */
	VG_RTP_SEQ_RESYNC,	/* second packet after a big jump: restarted */
	VG_RTP_SEQ_OTHER_SSRC,	/* SSRC differs from the latched one */
};

/*
 * Receive state of one RTP stream (one SSRC from one source). Plain data:
 * zero it or call vg_rtp_stream_init(), embed it anywhere, copy it freely.
 * The caller serialises updates (one lock or one CPU per stream).
 */
struct vg_rtp_stream {
	/* RFC 3550 A.1 sequence state */
	u32 ssrc;		/* latched SSRC, when latched */
	u32 cycles;		/* sequence wraps, shifted left by 16 */
	u32 base_seq;		/* first counted, extended (cycles + seq) */
	u32 bad_seq;		/* after a big jump: the number expected next */
	u64 seen[2];		/* bit n: max_seq - n arrived (duplicates) */
	u16 max_seq;		/* highest sequence number seen */
	u8 probation;		/* sequential packets still needed */
	bool latched;		/* ssrc is valid */
	bool seq_valid;		/* probation passed */
	bool last_cn;		/* the previous packet was comfort noise */
	u16 event_pt;		/* telephone-event type, or VG_RTP_NO_PT */

	/* counters */
	u64 packets;		/* every packet of the latched SSRC */
	u64 bytes;		/* their RTP octets (header + payload + padding) */
	u64 received;		/* A.1 "received" since the last restart */
	u64 expected_prior;	/* expected before the last restart */
	u64 lost_prior;		/* lost before the last restart */
	u32 duplicates;
	u32 reordered;
	u32 bad_seq_count;	/* packets after a big jump, not counted */
	u32 resyncs;		/* restarts after a big jump */
	u32 other_ssrc;		/* packets refused for a different SSRC */

	/* RFC 3550 A.8 jitter, in ns << VG_RTP_JITTER_SHIFT */
	u32 clock_rate;		/* Hz, from SDP; 0: no jitter measured */
	u32 tick_ns;		/* whole ns per timestamp tick */
	u32 tick_frac;		/* and the fraction, in 1/65536 ns */
	u32 ref_ts;		/* last packet in timestamp order */
	u64 ref_arrival_ns;	/* and its arrival time */
	u64 jitter;		/* running estimate J */
	u64 jitter_max;
	u64 jitter_sum;		/* of J after each sampled packet, saturating */
	u64 jitter_samples;	/* packets summed into jitter_sum */
};

/* Largest clock rate measured (Hz); above it jitter is not kept. */
#define VG_RTP_CLOCK_RATE_MAX	(1U << 24)
/* One transit difference counts for at most this much (ns): a pause. */
#define VG_RTP_TRANSIT_DIFF_MAX	(1ULL << 32)

/*
 * Reset @s to "nothing seen" for a codec clock of @clock_rate Hz (0 when
 * unknown or above VG_RTP_CLOCK_RATE_MAX: sequence statistics only).
 */
void vg_rtp_stream_init(struct vg_rtp_stream *s, u32 clock_rate);

/*
 * Packets of payload type @pt (RFC 4733 telephone-event) keep their
 * timestamp still while an event lasts: they are counted, but take no
 * part in jitter (no sample, and the timing reference stays with the
 * last media packet).
 */
void vg_rtp_stream_set_event_pt(struct vg_rtp_stream *s, u8 pt);

/*
 * Account the validated packet @h (@len octets of RTP, arrived at
 * @arrival_ns on any monotonic nanosecond clock) to stream @s.
 *
 * The first packet latches its SSRC. A packet of another SSRC changes
 * nothing but the other_ssrc counter and returns VG_RTP_SEQ_OTHER_SSRC; the
 * caller decides whether to drop it or to start over with
 * vg_rtp_stream_init() (e.g. after a re-INVITE).
 *
 * Sequence handling is RFC 3550 A.1 (probation of VG_RTP_MIN_SEQUENTIAL
 * packets, which are counted once it ends; MAX_DROPOUT; MAX_MISORDER;
 * restart after two sequential packets following a big jump). "received"
 * counts duplicates, as in A.1; a window of the last 128 sequence numbers
 * tells duplicates from late packets.
 *
 * Jitter follows A.8 with the arithmetic of Wireshark's RTP stream analysis,
 * so the figures compare: every packet but the first updates J from its
 * transit time against the last packet in timestamp order (D clamped to
 * VG_RTP_TRANSIT_DIFF_MAX). Packets ignored as a big jump take no part,
 * and the packet that restarts the sequence restarts the timing, as the
 * first packet does. J is sampled into the mean and max only for
 * "regular" packets: not the first, no marker bit, timestamp not going
 * backwards, not comfort noise (PT 13 or 19) nor right after it, not a
 * telephone event.
 */
enum vg_rtp_seq vg_rtp_stream_update(struct vg_rtp_stream *s,
				     const struct vg_rtp_hdr *h, u32 len,
				     u64 arrival_ns);

/* Extended highest sequence number received (cycles + max_seq). */
static inline u32 vg_rtp_stream_ext_max(const struct vg_rtp_stream *s)
{
	return s->cycles + s->max_seq;
}

/* Packets expected from the first counted one to the highest seen. */
u64 vg_rtp_stream_expected(const struct vg_rtp_stream *s);

/* Packets lost: expected - received, 0 when duplicates outnumber losses. */
u64 vg_rtp_stream_lost(const struct vg_rtp_stream *s);

/* Loss in parts per million of expected (0 when nothing expected). */
u32 vg_rtp_stream_loss_ppm(const struct vg_rtp_stream *s);

/* Current jitter J, ns << VG_RTP_JITTER_SHIFT. */
static inline u64 vg_rtp_stream_jitter(const struct vg_rtp_stream *s)
{
	return s->jitter;
}

/* Mean of J over the stream's packets, ns << VG_RTP_JITTER_SHIFT. */
u64 vg_rtp_stream_jitter_mean(const struct vg_rtp_stream *s);

/* Largest J seen, ns << VG_RTP_JITTER_SHIFT. */
static inline u64 vg_rtp_stream_jitter_max(const struct vg_rtp_stream *s)
{
	return s->jitter_max;
}

/*
 * Current jitter in RTP timestamp units, the integer RFC 3550 puts in
 * reception reports (0 without a clock rate).
 */
u32 vg_rtp_stream_jitter_ts(const struct vg_rtp_stream *s);

#endif /* VG_CORE_RTP_H */
