// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: RTP header validation, and the stream state machine fed
 * a sequence of packets.
 *
 * Input layout (the one of the seeds in corpus/seeds/rtp): a 36-octet
 * preamble, then packets each preceded by its length in one octet. The
 * preamble is: one octet (the seeds' payload type; here it picks the clock
 * rate and the telephone-event type), four octets (the seeds' SSRC,
 * unused), two 12-octet RTP headers fed as the first two packets, and
 * seven octets that drive the arrival clock. A shorter input is one packet.
 */
#include <stdlib.h>

#include "rtp.h"
#include "rtcp.h"
#include "mos.h"

#define PREAMBLE 36

static const u32 rates[] = {
	0, 1, 8000, 16000, 44100, 48000, 90000, VG_RTP_CLOCK_RATE_MAX,
	VG_RTP_CLOCK_RATE_MAX + 1, 0xffffffffu,
};

static void check_parse(const u8 *p, u32 len, const struct vg_rtp_pt_set *set,
			struct vg_rtp_hdr *h, enum vg_reason *r)
{
	struct vg_rtp_hdr full;

	*r = vg_rtp_parse(p, len, set, h);
	/* The inline fast path and the full parser agree on everything. */
	if (vg_rtp_parse_full(p, len, set, &full) != *r)
		abort();
	if (*r == VG_R_RTP_BAD_HEADER)
		return;
	if (full.seq != h->seq || full.ts != h->ts || full.ssrc != h->ssrc ||
	    full.pt != h->pt || full.marker != h->marker ||
	    full.csrc_count != h->csrc_count ||
	    full.extension != h->extension ||
	    full.ext_profile != h->ext_profile || full.ext_len != h->ext_len ||
	    full.payload_off != h->payload_off ||
	    full.payload_len != h->payload_len || full.pad_len != h->pad_len)
		abort();
	/* The parts must add up to the packet and stay inside it. */
	if (h->payload_off > len || h->payload_len > len - h->payload_off ||
	    h->payload_off + h->payload_len + h->pad_len != len)
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vg_rtp_pt_set set = { { 0, 0 } };
	struct vg_rtp_stream s;
	struct vg_rtp_hdr h;
	enum vg_reason r;
	u64 now = 0;
	u32 len = size > 0xffffffu ? 0xffffffu : (u32)size;
	u32 off, i = 0;

	vg_rtp_is_rtcp(data, len);
	check_parse(data, len, NULL, &h, &r);
	if (len > 2) {
		vg_rtp_pt_set_add(&set, data[len - 1]);
		vg_rtp_pt_set_add(&set, data[len - 2]);
		check_parse(data, len, &set, &h, &r);
	}
	if (len < PREAMBLE)
		return 0;

	vg_rtp_stream_init(&s, rates[data[0] % VG_ARRAY_SIZE(rates)]);
	if (data[0] & 0x80)
		vg_rtp_stream_set_event_pt(&s, data[0] + 96);

	for (off = 5; off + 1 <= len; i++) {
		const u8 *clk = data + 29;
		u32 plen;
		const u8 *p;

		if (off < 29) {
			p = data + off;
			plen = 12;
			off += 12;
			if (off == 29)
				off = PREAMBLE;
		} else {
			plen = data[off];
			p = data + off + 1;
			if (plen > len - off - 1)
				plen = len - off - 1;
			off += 1 + plen;
		}
		/* Mostly 20 ms steps, sometimes wild ones (even backwards). */
		now += clk[i % 7] & 1 ? 20000000 + clk[(i + 1) % 7] * 1000ULL :
		       (u64)clk[(i + 2) % 7] << (clk[(i + 3) % 7] & 63);
		check_parse(p, plen, &set, &h, &r);
		if (r == VG_R_RTP_BAD_HEADER)
			continue;
		vg_rtp_stream_update(&s, &h, plen, now);
	}

	if (vg_rtp_stream_ext_max(&s) < s.base_seq && s.seq_valid &&
	    !s.cycles)
		abort();
	vg_rtp_stream_expected(&s);
	vg_rtp_stream_lost(&s);
	if (vg_rtp_stream_loss_ppm(&s) > 1000000)
		abort();
	if (s.jitter_samples && vg_rtp_stream_jitter_mean(&s) > s.jitter_max)
		abort();
	vg_rtp_stream_jitter_ts(&s);
	if (vg_mos_stream(&s, vg_mos_codec_by_pt(data[1] & 0x7f)) < 100)
		abort();
	return 0;
}
