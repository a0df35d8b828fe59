// SPDX-License-Identifier: GPL-2.0
/*
 * RTP header validation (RFC 3550 A.1), RTCP-mux recognition (RFC 5761)
 * and stream statistics on synthetic sequences: probation, wraparound,
 * loss, duplicates, reordering, big jumps and resync, SSRC latching,
 * jitter against a double-precision model of the same estimator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "tap.h"
#include "rtp.h"

#define SSRC 0x11223344u

/* Build a minimal RTP packet into @buf; returns its length. */
static u32 mk(u8 *buf, u8 pt, bool marker, u16 seq, u32 ts, u32 ssrc,
	      u32 payload)
{
	memset(buf, 0, 12 + payload);
	buf[0] = 0x80;
	buf[1] = (u8)(pt | (marker ? 0x80 : 0));
	buf[2] = seq >> 8;
	buf[3] = seq & 0xff;
	buf[4] = ts >> 24;
	buf[5] = ts >> 16;
	buf[6] = ts >> 8;
	buf[7] = ts & 0xff;
	buf[8] = ssrc >> 24;
	buf[9] = ssrc >> 16;
	buf[10] = ssrc >> 8;
	buf[11] = ssrc & 0xff;
	return 12 + payload;
}

static void test_parse(void)
{
	struct vg_rtp_pt_set set = { { 0, 0 } };
	struct vg_rtp_hdr h;
	u8 b[256];
	u32 n;

	n = mk(b, 0, true, 0x1234, 0xdeadbeef, SSRC, 160);
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_NONE, "plain PCMU packet");
	is_int(h.seq, 0x1234, "seq");
	is_int(h.ts, 0xdeadbeef, "timestamp");
	is_int(h.ssrc, SSRC, "ssrc");
	is_int(h.marker, 1, "marker");
	is_int(h.pt, 0, "payload type");
	is_int(h.payload_off, 12, "payload offset");
	is_int(h.payload_len, 160, "payload length");

	is_int(vg_rtp_parse(b, 11, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "11 octets: too short");
	is_int(vg_rtp_parse(b, 12, NULL, &h), VG_R_NONE,
	       "12 octets: empty payload is valid");
	b[0] = 0x40;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER, "version 1");
	b[0] = 0xc0;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER, "version 3");

	/* CSRC list */
	n = mk(b, 8, false, 1, 2, SSRC, 8);
	b[0] |= 2;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_NONE, "two CSRCs fit");
	is_int(h.payload_off, 20, "payload after CSRCs");
	is_int(h.payload_len, 0, "CSRCs took the payload");
	b[0] = (b[0] & 0xf0) | 3;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "three CSRCs do not fit in 20 octets");
	b[0] = 0x8f;
	is_int(vg_rtp_parse(b, 12 + 60, NULL, &h), VG_R_NONE,
	       "fifteen CSRCs in 72 octets");
	is_int(vg_rtp_parse(b, 12 + 59, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "fifteen CSRCs in 71 octets");

	/* header extension */
	n = mk(b, 0, false, 1, 2, SSRC, 12);
	b[0] |= 0x10;
	b[12] = 0xbe;
	b[13] = 0xde;
	b[15] = 1;		/* one word of extension data */
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_NONE, "extension fits");
	is_int(h.extension, 1, "extension flagged");
	is_int(h.ext_profile, 0xbede, "extension profile");
	is_int(h.ext_len, 4, "extension length");
	is_int(h.payload_off, 20, "payload after extension");
	is_int(h.payload_len, 4, "payload length after extension");
	b[15] = 3;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "extension longer than the packet");
	b[15] = 2;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_NONE,
	       "extension exactly to the end");
	is_int(vg_rtp_parse(b, 15, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "extension head cut short");
	b[15] = 0xff;
	b[14] = 0xff;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "extension length 0xffff words");

	/* padding */
	n = mk(b, 0, false, 1, 2, SSRC, 20);
	b[0] |= 0x20;
	b[n - 1] = 4;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_NONE, "4 octets padding");
	is_int(h.pad_len, 4, "pad length");
	is_int(h.payload_len, 16, "payload without padding");
	b[n - 1] = 0;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "padding count 0");
	b[n - 1] = 20;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_NONE,
	       "padding is the whole payload");
	is_int(h.payload_len, 0, "no payload left");
	b[n - 1] = 21;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "padding reaches into the header");
	b[n - 1] = 255;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_HEADER,
	       "padding 255 in a 32-octet packet");

	/* payload types */
	n = mk(b, 8, false, 1, 2, SSRC, 160);
	vg_rtp_pt_set_add(&set, 0);
	vg_rtp_pt_set_add(&set, 101);
	is_int(vg_rtp_parse(b, n, &set, &h), VG_R_RTP_BAD_PAYLOAD_TYPE,
	       "PT 8 not negotiated");
	is_int(h.pt, 8, "header filled on bad payload type");
	b[1] = 101;
	is_int(vg_rtp_parse(b, n, &set, &h), VG_R_NONE, "PT 101 negotiated");
	b[1] = 100;
	is_int(vg_rtp_parse(b, n, &set, &h), VG_R_RTP_BAD_PAYLOAD_TYPE,
	       "PT 100 not negotiated");
	b[1] = 0;
	is_int(vg_rtp_parse(b, n, &set, &h), VG_R_NONE, "PT 0 negotiated");
	b[1] = 127;
	vg_rtp_pt_set_add(&set, 127);
	is_int(vg_rtp_parse(b, n, &set, &h), VG_R_NONE, "PT 127 negotiated");
	b[1] = 0x80 | 72;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_PAYLOAD_TYPE,
	       "marker + PT 72 reads as RTCP SR");
	b[1] = 0x80 | 76;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_RTP_BAD_PAYLOAD_TYPE,
	       "marker + PT 76 reads as RTCP APP");
	b[1] = 72;
	is_int(vg_rtp_parse(b, n, NULL, &h), VG_R_NONE,
	       "PT 72 without marker is not RTCP-like");

	{
		const u32 words[4] = { 1u << 8, 0, 0, 1u << 5 };	/* 8, 101 */

		vg_rtp_pt_set_from_words(&set, words);
		ok(vg_rtp_pt_allowed(&set, 8) && vg_rtp_pt_allowed(&set, 101) &&
		   !vg_rtp_pt_allowed(&set, 0) && !vg_rtp_pt_allowed(&set, 69),
		   "set from 32-bit words: exactly 8 and 101");
	}

	/* RFC 5761 demultiplexing */
	n = mk(b, 0, false, 1, 2, SSRC, 0);
	b[1] = 200;
	ok(vg_rtp_is_rtcp(b, n), "second octet 200: RTCP");
	b[1] = 192;
	ok(vg_rtp_is_rtcp(b, n), "second octet 192: RTCP");
	b[1] = 223;
	ok(vg_rtp_is_rtcp(b, n), "second octet 223: RTCP");
	b[1] = 191;
	ok(!vg_rtp_is_rtcp(b, n), "second octet 191: RTP");
	b[1] = 224;
	ok(!vg_rtp_is_rtcp(b, n), "second octet 224: RTP");
	b[1] = 200;
	ok(!vg_rtp_is_rtcp(b, 3), "3 octets: not RTCP");
	b[0] = 0x40;
	ok(!vg_rtp_is_rtcp(b, n), "version 1: not RTCP");
}

struct feeder {
	struct vg_rtp_stream s;
	u8 buf[64];
};

static enum vg_rtp_seq feed(struct feeder *f, u16 seq, u32 ts, u64 t_ns)
{
	struct vg_rtp_hdr h;
	u32 n = mk(f->buf, 0, false, seq, ts, SSRC, 20);

	if (vg_rtp_parse(f->buf, n, NULL, &h) != VG_R_NONE)
		return (enum vg_rtp_seq)-1;
	return vg_rtp_stream_update(&f->s, &h, n, t_ns);
}

/*
 * After seq 0..2 at 20 ms: a 200 ms key press, ten events (PT 101) every
 * 20 ms all stamped with the press's start (480), then audio seq 13 on
 * the running clock.
 */
static void feed_key_press(struct feeder *f)
{
	struct vg_rtp_hdr h;
	u32 i, n;

	for (i = 0; i < 10; i++) {
		n = mk(f->buf, 101, i == 0, (u16)(3 + i), 480, SSRC, 4);
		vg_rtp_parse(f->buf, n, NULL, &h);
		vg_rtp_stream_update(&f->s, &h, n, (u64)(3 + i) * 20000000);
	}
	feed(f, 13, 13 * 160, 13 * 20000000ULL);
}

/* Feed seq first..first+count-1 (mod 2^16) in order. */
static void feed_run(struct feeder *f, u16 first, u32 count)
{
	for (u32 i = 0; i < count; i++)
		feed(f, (u16)(first + i), (first + i) * 160,
		     (u64)(first + i) * 20000000);
}

static void test_sequence(void)
{
	struct feeder f;
	int i;

	vg_rtp_stream_init(&f.s, 8000);
	is_int(feed(&f, 100, 0, 0), VG_RTP_SEQ_PROBATION,
	       "first packet: probation");
	is_int(feed(&f, 101, 160, 20000000), VG_RTP_SEQ_OK,
	       "second in sequence: valid");
	is_int(f.s.received, 2, "probation packets counted once valid");
	is_int(vg_rtp_stream_expected(&f.s), 2, "expected 2");
	is_int(vg_rtp_stream_lost(&f.s), 0, "lost 0");

	/* probation restarts on a gap */
	vg_rtp_stream_init(&f.s, 8000);
	feed(&f, 10, 0, 0);
	is_int(feed(&f, 12, 0, 0), VG_RTP_SEQ_PROBATION,
	       "gap during probation: still on probation");
	is_int(feed(&f, 13, 0, 0), VG_RTP_SEQ_OK, "then two in a row: valid");
	is_int(vg_rtp_stream_expected(&f.s), 2,
	       "counting starts at the sequential pair");
	is_int(f.s.packets, 3, "all three packets seen");

	/* wraparound */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 65530, 12);
	is_int(f.s.cycles, 65536, "one wrap counted");
	is_int(vg_rtp_stream_ext_max(&f.s), 65536 + 5, "extended max");
	is_int(vg_rtp_stream_expected(&f.s), 12, "expected across wrap");
	is_int(vg_rtp_stream_lost(&f.s), 0, "no loss across wrap");

	/* probation ending right at the wrap */
	vg_rtp_stream_init(&f.s, 8000);
	feed(&f, 65535, 0, 0);
	is_int(feed(&f, 0, 160, 0), VG_RTP_SEQ_OK, "valid at 65535 -> 0");
	is_int(vg_rtp_stream_expected(&f.s), 2, "expected 2 across wrap");
	feed(&f, 1, 320, 0);
	is_int(vg_rtp_stream_expected(&f.s), 3, "expected 3");
	is_int(vg_rtp_stream_lost(&f.s), 0, "lost 0");

	/* loss */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 1000, 10);
	is_int(feed(&f, 1015, 0, 0), VG_RTP_SEQ_OK, "forward gap is loss");
	is_int(vg_rtp_stream_expected(&f.s), 16, "expected 16");
	is_int(vg_rtp_stream_lost(&f.s), 5, "lost 5");
	is_int(vg_rtp_stream_loss_ppm(&f.s), 312500, "loss 5/16 in ppm");

	/* a late packet fills a gap; a copy of it is a duplicate */
	is_int(feed(&f, 1012, 0, 0), VG_RTP_SEQ_REORDERED, "late packet");
	is_int(vg_rtp_stream_lost(&f.s), 4, "late packet reduces loss");
	is_int(feed(&f, 1012, 0, 0), VG_RTP_SEQ_DUPLICATE,
	       "second copy is a duplicate");
	is_int(feed(&f, 1015, 0, 0), VG_RTP_SEQ_DUPLICATE,
	       "copy of the highest is a duplicate");
	is_int(feed(&f, 1009, 0, 0), VG_RTP_SEQ_DUPLICATE,
	       "copy of an older one is a duplicate");
	is_int(f.s.duplicates, 3, "3 duplicates");
	is_int(f.s.reordered, 1, "1 reordered");
	is_int(vg_rtp_stream_lost(&f.s), 1,
	       "lost = expected - received (duplicates count, as A.1)");
	feed(&f, 1010, 0, 0);
	feed(&f, 1011, 0, 0);
	feed(&f, 1013, 0, 0);
	is_int(vg_rtp_stream_lost(&f.s), 0, "never below zero");

	/* the duplicate window holds 128 numbers, across a wrap */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 65500, 70);	/* up to 33 */
	is_int(feed(&f, 65500 + 2, 0, 0), VG_RTP_SEQ_DUPLICATE,
	       "duplicate 68 back, across the wrap");
	is_int(feed(&f, 65500 + 1, 0, 0), VG_RTP_SEQ_DUPLICATE,
	       "duplicate 69 back");
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 2);
	feed(&f, 99, 0, 0);		/* loses 2..98 */
	is_int(feed(&f, 5, 0, 0), VG_RTP_SEQ_REORDERED,
	       "94 back after a 97 gap: reordered");
	is_int(feed(&f, 1, 0, 0), VG_RTP_SEQ_DUPLICATE,
	       "98 back: duplicate of a packet before the gap");

	/* misorder window: 100 back is a big jump, 99 back is late */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 200);
	is_int(feed(&f, 199 - 99, 0, 0), VG_RTP_SEQ_DUPLICATE,
	       "99 back: within MAX_MISORDER");
	is_int(feed(&f, 199 - 100, 0, 0), VG_RTP_SEQ_BAD,
	       "100 back: beyond MAX_MISORDER");

	/* MAX_DROPOUT: 2999 ahead is loss, 3000 is a jump */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 10);
	is_int(feed(&f, 9 + 2999, 0, 0), VG_RTP_SEQ_OK,
	       "2999 ahead: loss");
	is_int(vg_rtp_stream_lost(&f.s), 2998, "2998 lost");
	is_int(feed(&f, 3008 + 3000, 0, 0), VG_RTP_SEQ_BAD,
	       "3000 ahead: big jump");
	is_int(f.s.max_seq, 3008, "big jump ignored");

	/* resync: the packet after the jump follows it */
	is_int(feed(&f, 6008 + 1, 0, 0), VG_RTP_SEQ_RESYNC,
	       "next after a jump: resync");
	is_int(f.s.resyncs, 1, "one resync");
	is_int(f.s.max_seq, 6009, "sequence restarted");
	is_int(vg_rtp_stream_expected(&f.s), 3009 + 1,
	       "expected keeps the history");
	is_int(vg_rtp_stream_lost(&f.s), 2998, "lost keeps the history");
	is_int(feed(&f, 6010, 0, 0), VG_RTP_SEQ_OK, "then in sequence");
	is_int(vg_rtp_stream_expected(&f.s), 3009 + 2, "expected grows");

	/* two restarts: each adds its own counts to the history, once */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 5);
	feed_run(&f, 6, 4);		/* 5 lost */
	feed(&f, 20000, 0, 0);
	is_int(feed(&f, 20001, 0, 0), VG_RTP_SEQ_RESYNC, "first restart");
	feed_run(&f, 20002, 8);
	is_int(vg_rtp_stream_expected(&f.s), 10 + 9,
	       "expected after the first restart");
	feed(&f, 40000, 0, 0);
	is_int(feed(&f, 40001, 0, 0), VG_RTP_SEQ_RESYNC, "second restart");
	is_int(f.s.resyncs, 2, "two resyncs");
	is_int(vg_rtp_stream_expected(&f.s), 10 + 9 + 1,
	       "second restart: history counted once");
	is_int(vg_rtp_stream_lost(&f.s), 1,
	       "second restart: lost counted once");
	feed(&f, 60000, 0, 0);
	feed(&f, 60001, 0, 0);
	is_int(vg_rtp_stream_expected(&f.s), 10 + 9 + 1 + 1,
	       "third restart: history counted once");
	is_int(vg_rtp_stream_lost(&f.s), 1,
	       "third restart: lost counted once");

	/* an isolated wild packet does not resync */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 500, 10);
	is_int(feed(&f, 40000, 0, 0), VG_RTP_SEQ_BAD, "wild packet");
	is_int(feed(&f, 510, 0, 0), VG_RTP_SEQ_OK, "stream carries on");
	is_int(feed(&f, 40002, 0, 0), VG_RTP_SEQ_BAD, "another wild one");
	is_int(feed(&f, 511, 0, 0), VG_RTP_SEQ_OK, "stream carries on");
	is_int(f.s.bad_seq_count, 2, "two bad");
	is_int(vg_rtp_stream_lost(&f.s), 0, "no loss");

	/* long stream: many wraps */
	vg_rtp_stream_init(&f.s, 8000);
	for (i = 0; i < 3 * 65536 + 7; i++)
		feed(&f, (u16)(12345 + i), 0, 0);
	is_int(vg_rtp_stream_expected(&f.s), 3 * 65536 + 7,
	       "expected over three wraps");
	is_int(vg_rtp_stream_lost(&f.s), 0, "no loss over three wraps");
}

static void test_ssrc(void)
{
	struct feeder f;
	struct vg_rtp_hdr h;
	u32 n;

	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 1, 5);
	n = mk(f.buf, 0, false, 6, 0, 0x55555555, 20);
	vg_rtp_parse(f.buf, n, NULL, &h);
	is_int(vg_rtp_stream_update(&f.s, &h, n, 0), VG_RTP_SEQ_OTHER_SSRC,
	       "other SSRC after latching");
	is_int(f.s.other_ssrc, 1, "counted");
	is_int(f.s.packets, 5, "not counted as a stream packet");
	is_int(f.s.max_seq, 5, "sequence untouched");
	is_int(f.s.ssrc, SSRC, "latched SSRC kept");
	is_int(f.s.bytes, 5 * 32, "bytes of the latched SSRC");
}

/* The estimator the stream implements, in doubles (Wireshark's form). */
struct jmodel {
	bool started;
	double ref_t, j, max, sum;
	u32 ref_ts;
	long n;
};

static void jmodel_feed(struct jmodel *m, u32 ts, double t_ms, u32 rate,
			bool marker)
{
	s32 dts;
	double d;

	if (!m->started) {
		m->started = true;
		m->ref_t = t_ms;
		m->ref_ts = ts;
		return;
	}
	dts = (s32)(ts - m->ref_ts);
	d = fabs((t_ms - m->ref_t) - dts * 1000.0 / rate);
	m->j = (15 * m->j + d) / 16;
	if (dts >= 0 && !marker) {
		if (m->j > m->max)
			m->max = m->j;
		m->sum += m->j;
		m->n++;
	}
	if (dts >= 0) {
		m->ref_t = t_ms;
		m->ref_ts = ts;
	}
}

static void test_jitter(void)
{
	static const u32 rates[] = { 8000, 16000, 48000, 90000, 44100 };
	struct feeder f;
	struct jmodel m;
	struct vg_rtp_hdr h;
	u64 t;
	u32 n, r, ts;
	int i;

	/* perfect pacing: zero jitter */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 100);
	is_int(vg_rtp_stream_jitter_max(&f.s), 0, "perfect pacing: no jitter");
	is_int(f.s.jitter_samples, 99, "all but the first sampled");

	/* constant offset: one late packet of 1 ms */
	vg_rtp_stream_init(&f.s, 8000);
	feed(&f, 0, 0, 0);
	feed(&f, 1, 160, 21000000);
	is_int(vg_rtp_stream_jitter(&f.s), (1000000 << VG_RTP_JITTER_SHIFT) / 16,
	       "1 ms late: J = 1/16 ms");
	is_int(vg_rtp_stream_jitter_ts(&f.s), 0, "J in ticks: 62.5 us < 1 tick");

	/* no clock rate: sequence only */
	vg_rtp_stream_init(&f.s, 0);
	feed(&f, 0, 0, 0);
	feed(&f, 1, 160, 50000000);
	is_int(vg_rtp_stream_jitter(&f.s), 0, "clock 0: no jitter");
	is_int(f.s.jitter_samples, 0, "clock 0: no samples");

	/* pseudo-random arrival noise, several clock rates, vs the model */
	for (r = 0; r < VG_ARRAY_SIZE(rates); r++) {
		u32 rate = rates[r], step = rate / 50;
		double mean, max;

		vg_rtp_stream_init(&f.s, rate);
		memset(&m, 0, sizeof(m));
		srand(r + 1);
		ts = 0xfffff000u;	/* timestamps wrap too */
		for (i = 0; i < 2000; i++) {
			bool marker = i % 500 == 250;

			t = (u64)i * 20000000 + (u64)(rand() % 3000000);
			if (i % 97 == 0)
				ts -= step;	/* timestamp goes backwards */
			n = mk(f.buf, 0, marker, (u16)i, ts, SSRC, 20);
			vg_rtp_parse(f.buf, n, NULL, &h);
			vg_rtp_stream_update(&f.s, &h, n, t);
			jmodel_feed(&m, ts, t / 1e6, rate, marker);
			ts += step;
			if (i % 97 == 0)
				ts += step;
		}
		mean = (double)vg_rtp_stream_jitter_mean(&f.s) /
		       (1 << VG_RTP_JITTER_SHIFT) / 1e6;
		max = (double)vg_rtp_stream_jitter_max(&f.s) /
		      (1 << VG_RTP_JITTER_SHIFT) / 1e6;
		ok(fabs(mean - m.sum / m.n) < 1e-5,
		   "%u Hz: mean %.6f ms, model %.6f ms", rate, mean,
		   m.sum / m.n);
		ok(fabs(max - m.max) < 1e-5, "%u Hz: max %.6f ms, model %.6f ms",
		   rate, max, m.max);
		is_int(f.s.jitter_samples, m.n, "%u Hz: samples", rate);
	}

	/* comfort noise and the packet after it are not sampled */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 3);
	n = mk(f.buf, 13, false, 3, 480, SSRC, 1);
	vg_rtp_parse(f.buf, n, NULL, &h);
	vg_rtp_stream_update(&f.s, &h, n, 60000000);
	feed(&f, 4, 640, 80000000);
	feed(&f, 5, 800, 100000000);
	is_int(f.s.jitter_samples, 3, "CN and the packet after it skipped");

	/*
	 * A 200 ms key press: ten events, every 20 ms, all stamped with the
	 * event's start (480), then audio again on the running clock. The
	 * events are counted but leave J alone; as a timing reference the
	 * last of them would make the next audio packet 180 ms "early".
	 */
	vg_rtp_stream_init(&f.s, 8000);
	vg_rtp_stream_set_event_pt(&f.s, 101);
	feed_run(&f, 0, 3);
	feed_key_press(&f);
	feed(&f, 14, 14 * 160, 14 * 20000000ULL);
	is_int(f.s.packets, 15, "events counted as packets");
	is_int(f.s.jitter_samples, 4, "events not sampled");
	is_int(vg_rtp_stream_jitter(&f.s), 0, "events: J stays 0 after them");
	is_int(vg_rtp_stream_jitter_max(&f.s), 0, "events: no jitter peak");
	/* the same stream without the event type known: a 20 ms peak */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 3);
	feed_key_press(&f);
	ok(vg_rtp_stream_jitter(&f.s) > (10000000ULL << VG_RTP_JITTER_SHIFT),
	   "events taken as media: J %llu ns",
	   (unsigned long long)(vg_rtp_stream_jitter(&f.s) >>
				VG_RTP_JITTER_SHIFT));

	/* a long pause with the timestamp still: D clamped */
	vg_rtp_stream_init(&f.s, 8000);
	feed(&f, 0, 0, 0);
	feed(&f, 1, 160, 3600ULL * 1000000000);
	is_int(vg_rtp_stream_jitter(&f.s),
	       (VG_RTP_TRANSIT_DIFF_MAX << VG_RTP_JITTER_SHIFT) / 16,
	       "hour-long pause: D clamped");
	/* arrival clock going backwards */
	feed(&f, 2, 320, 0);
	ok(vg_rtp_stream_jitter(&f.s) > 0, "arrival going backwards: no UB");

	/*
	 * A wild packet (a big sequence jump, ignored as A.1 says) with a
	 * timestamp a minute ahead: it is no timing reference either, or
	 * every packet after it would read as a minute late and go unsampled.
	 */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 25);
	is_int(feed(&f, 40000, 25 * 160 + 60 * 8000, 25 * 20000000ULL + 1000000),
	       VG_RTP_SEQ_BAD, "wild packet");
	feed_run(&f, 25, 25);
	is_int(vg_rtp_stream_jitter_max(&f.s), 0,
	       "wild packet: no jitter peak");
	is_int(f.s.jitter_samples, 49, "wild packet: the rest all sampled");

	/*
	 * A source restart (A.1: two packets in sequence after a big jump)
	 * with a new random timestamp base: the timing restarts too, with
	 * no transit difference measured across it.
	 */
	vg_rtp_stream_init(&f.s, 8000);
	feed_run(&f, 0, 20);
	for (i = 0; i < 20; i++)
		feed(&f, (u16)(30000 + i), 0x80000000u + i * 160,
		     (u64)(20 + i) * 20000000);
	is_int(f.s.resyncs, 1, "restart: resynced");
	is_int(vg_rtp_stream_jitter_max(&f.s), 0, "restart: no jitter peak");
	is_int(f.s.jitter_samples, 19 + 18,
	       "restart: sampled again after the restart packet");

	/* clock rate limit */
	vg_rtp_stream_init(&f.s, VG_RTP_CLOCK_RATE_MAX + 1);
	is_int(f.s.clock_rate, 0, "absurd clock rate: jitter off");
	vg_rtp_stream_init(&f.s, 90000);
	is_int(f.s.tick_ns, 11111, "90 kHz: 11111 ns per tick");
	is_int(f.s.tick_frac, 7281, "and 0.111 ns");
}

/*
 * The seeds of corpus/seeds/rtp: one octet payload type, four octets SSRC,
 * two 12-octet RTP headers, seven parameter octets, then packets each led
 * by a one-octet length. Feed every packet to a stream.
 */
static bool feed_seed(const char *name, struct vg_rtp_stream *s)
{
	char path[256];
	u8 d[4096];
	size_t n;
	u32 off, plen, i = 0;
	struct vg_rtp_hdr h;
	FILE *f;

	snprintf(path, sizeof(path), "../shared/corpus/seeds/rtp/%s", name);
	f = fopen(path, "rb");
	if (!f)
		return false;
	n = fread(d, 1, sizeof(d), f);
	fclose(f);
	if (n < 36)
		return false;
	vg_rtp_stream_init(s, 8000);
	for (off = 5; off < n; i++) {
		const u8 *p;

		if (off < 29) {
			p = d + off;
			plen = 12;
			off = off == 5 ? 17 : 36;
		} else {
			plen = d[off];
			p = d + off + 1;
			if (plen > n - off - 1)
				return false;
			off += 1 + plen;
		}
		if (vg_rtp_parse(p, plen, NULL, &h) != VG_R_NONE ||
		    h.pt != d[0])
			return false;
		vg_rtp_stream_update(s, &h, plen, (u64)i * 20000000);
	}
	return true;
}

static void test_seeds(void)
{
	struct vg_rtp_stream s;

	ok(feed_seed("minimal_working.rtp", &s), "seed minimal_working");
	is_int(s.packets, 2, "minimal_working: 2 packets");
	is_int(vg_rtp_stream_expected(&s), 2, "minimal_working: expected 2");
	is_int(vg_rtp_stream_lost(&s), 0, "minimal_working: no loss");

	/* seq 1 2 10 12 11 13 14 */
	ok(feed_seed("jitter_outoforder.rtp", &s), "seed jitter_outoforder");
	is_int(s.packets, 7, "jitter_outoforder: 7 packets");
	is_int(vg_rtp_stream_expected(&s), 14, "jitter_outoforder: 1..14");
	is_int(vg_rtp_stream_lost(&s), 7, "jitter_outoforder: 7 lost");
	is_int(s.reordered, 1, "jitter_outoforder: 11 came late");
	is_int(s.duplicates, 0, "jitter_outoforder: no duplicates");
	ok(vg_rtp_stream_jitter_max(&s) > 0, "jitter_outoforder: jitter seen");

	/* seq 100 101 200 202 204 206 */
	ok(feed_seed("sequence_gaps.rtp", &s), "seed sequence_gaps");
	is_int(s.packets, 6, "sequence_gaps: 6 packets");
	is_int(vg_rtp_stream_expected(&s), 107, "sequence_gaps: 100..206");
	is_int(vg_rtp_stream_lost(&s), 101, "sequence_gaps: 101 lost");
	is_int(s.bad_seq_count, 0, "sequence_gaps: a 99 gap is loss, not a jump");
}

int main(void)
{
	test_parse();
	test_seeds();
	test_sequence();
	test_ssrc();
	test_jitter();
	return tap_done();
}
