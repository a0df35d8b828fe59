// SPDX-License-Identifier: GPL-2.0
/*
 * Micro-benchmarks of the protocol core's per-packet work.
 *
 *   bench_core                  time every operation, print "op ns/op"
 *   bench_core -t OP            time one operation
 *   bench_core -n N OP          run OP exactly N times, untimed: under
 *                               valgrind --tool=callgrind
 *                               --toggle-collect=bench_op_OP the collected
 *                               instructions divided by N are per operation
 *   bench_core -l               list the operations
 *
 * Each operation is one noinline function bench_op_<name> that does the
 * work and returns a result; what prepares its input (rewriting sequence
 * numbers) and what consumes the result (the sink) stay outside it, so the
 * collected instructions are the operation's own plus its return.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rtp.h"
#include "rtcp.h"
#include "bucket.h"
#include "mos.h"
#include "sip.h"
#include "sdp.h"

#define NOINLINE __attribute__((__noinline__))

/* A softphone's INVITE: two codecs and DTMF, usual headers. */
static const char invite[] =
	"INVITE sip:bob@192.0.2.20:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"Bob\" <sip:bob@example.com>\r\n"
	"From: \"Alice\" <sip:alice@example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:alice@192.0.2.10:5060;transport=udp>\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY\r\n"
	"Supported: replaces, timer, 100rel\r\n"
	"User-Agent: Example Phone 1.2.3\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 288\r\n"
	"\r\n"
	"v=0\r\n"
	"o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
	"s=call\r\n"
	"c=IN IP4 192.0.2.10\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0 8 18 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:18 G729/8000\r\n"
	"a=fmtp:18 annexb=no\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n";

static const char ok200[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060;received=192.0.2.10\r\n"
	"To: \"Bob\" <sip:bob@example.com>;tag=a6c85cf\r\n"
	"From: \"Alice\" <sip:alice@example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:bob@192.0.2.20:5060>\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 185\r\n"
	"\r\n"
	"v=0\r\n"
	"o=bob 2808844564 2808844564 IN IP4 192.0.2.20\r\n"
	"s=call\r\n"
	"c=IN IP4 192.0.2.20\r\n"
	"t=0 0\r\n"
	"m=audio 3456 RTP/AVP 0 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=ptime:20\r\n";

static const char bye[] =
	"BYE sip:alice@192.0.2.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds7\r\n"
	"Max-Forwards: 70\r\n"
	"From: \"Bob\" <sip:bob@example.com>;tag=a6c85cf\r\n"
	"To: \"Alice\" <sip:alice@example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 231 BYE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* RR with one report block, SDES CNAME, as phones send every few s. */
static const u8 rtcp_rr_sdes[] = {
	0x81, 201, 0, 7, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0, 0, 0, 0, 0, 0, 0x10, 0x00,
	0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0,
	0x81, 202, 0, 3, 0x11, 0x22, 0x33, 0x44,
	1, 5, 'a', '@', 'p', 'c', '3', 0,
};

static volatile u32 sink;

static u8 rtp_pkt[172];
static u32 rtp_seq;
static struct vg_rtp_stream rtp_stream;
static struct vg_rtp_pt_set rtp_pts;
static u64 rtp_now;
static struct vg_bucket bucket;
static struct vg_sdp sdp_scratch;

/* Next packet of a 20 ms G.711 stream: sequence, timestamp, clock. */
static inline void rtp_prepare(void)
{
	u32 ts;

	rtp_seq++;
	ts = rtp_seq * 160;
	rtp_pkt[2] = (u8)(rtp_seq >> 8);
	rtp_pkt[3] = (u8)rtp_seq;
	rtp_pkt[4] = (u8)(ts >> 24);
	rtp_pkt[5] = (u8)(ts >> 16);
	rtp_pkt[6] = (u8)(ts >> 8);
	rtp_pkt[7] = (u8)ts;
	rtp_now += 20000000 + (rtp_seq & 7) * 1000;
}

static void setup(void)
{
	memset(rtp_pkt, 0xd5, sizeof(rtp_pkt));
	rtp_pkt[0] = 0x80;
	rtp_pkt[1] = 0;
	rtp_pkt[8] = 0x34;
	rtp_pkt[9] = 0x3d;
	rtp_pkt[10] = 0xa9;
	rtp_pkt[11] = 0x9b;
	vg_rtp_pt_set_add(&rtp_pts, 0);
	vg_rtp_pt_set_add(&rtp_pts, 101);
	vg_rtp_stream_init(&rtp_stream, 8000);
	vg_bucket_init(&bucket, 1000000, 1000, 0);
}

/* RTP validate + stream statistics: the per-packet media work. */
NOINLINE static u32 bench_op_rtp(void)
{
	struct vg_rtp_hdr h;
	u32 r;

	r = vg_rtp_parse(rtp_pkt, sizeof(rtp_pkt), &rtp_pts, &h);
	if (r == VG_R_NONE)
		r = vg_rtp_stream_update(&rtp_stream, &h, sizeof(rtp_pkt),
					 rtp_now);
	return r;
}

NOINLINE static u32 bench_op_rtcp(void)
{
	struct vg_rtcp_info info;

	return vg_rtcp_validate(rtcp_rr_sdes, sizeof(rtcp_rr_sdes), &info);
}

NOINLINE static u32 bench_op_bucket(void)
{
	return vg_bucket_take(&bucket, rtp_now, 172);
}

NOINLINE static u32 bench_op_mos(void)
{
	return vg_mos_stream(&rtp_stream, NULL);
}

/* SIP parse + validate, then find and parse its SDP. */
static inline u32 sip_with_sdp(const char *m, u32 len)
{
	struct vg_sip_msg msg;
	struct vg_str sdp;
	u32 r;

	r = vg_sip_parse(m, len, NULL, &msg);
	if (r == VG_R_NONE && vg_sdp_find(&msg.content_type, &msg.body, &sdp))
		r = vg_sdp_parse(sdp.p, sdp.len, &sdp_scratch);
	return r;
}

/* INVITE parse + validate, then its SDP found and parsed; no call logic. */
NOINLINE static u32 bench_op_invite_sdp(void)
{
	return sip_with_sdp(invite, sizeof(invite) - 1);
}

NOINLINE static u32 bench_op_ok200_sdp(void)
{
	return sip_with_sdp(ok200, sizeof(ok200) - 1);
}

NOINLINE static u32 bench_op_bye(void)
{
	struct vg_sip_msg msg;

	return vg_sip_parse(bye, sizeof(bye) - 1, NULL, &msg);
}

static const struct bench_op {
	const char *name;
	u32 (*fn)(void);
	bool rtp;		/* needs rtp_prepare() before each call */
} ops[] = {
	{ "rtp", bench_op_rtp, true },
	{ "rtcp", bench_op_rtcp, false },
	{ "bucket", bench_op_bucket, true },
	{ "mos", bench_op_mos, false },
	{ "invite_sdp", bench_op_invite_sdp, false },
	{ "ok200_sdp", bench_op_ok200_sdp, false },
	{ "bye", bench_op_bye, false },
};

static const struct bench_op *find_op(const char *name)
{
	unsigned int i;

	for (i = 0; i < VG_ARRAY_SIZE(ops); i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

static void run_n(const struct bench_op *op, u64 n)
{
	u64 i;

	for (i = 0; i < n; i++) {
		if (op->rtp)
			rtp_prepare();
		sink += op->fn();
	}
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Best of five runs of about 0.1 s each: ns per operation. */
static double time_op(const struct bench_op *op)
{
	u64 n = 1000, t0, dt;
	double best = 0;
	int round;

	for (;;) {
		t0 = now_ns();
		run_n(op, n);
		dt = now_ns() - t0;
		if (dt > 20000000)
			break;
		n *= 4;
	}
	n = n * 100000000 / (dt ? dt : 1) + 1;
	for (round = 0; round < 5; round++) {
		double ns;

		t0 = now_ns();
		run_n(op, n);
		ns = (double)(now_ns() - t0) / n;
		if (!round || ns < best)
			best = ns;
	}
	return best;
}

static int check_inputs(void)
{
	struct vg_sip_msg msg;
	int bad = 0;

	if (sip_with_sdp(invite, sizeof(invite) - 1) != VG_R_NONE)
		bad = fprintf(stderr, "bench_core: the INVITE does not validate\n");
	if (sip_with_sdp(ok200, sizeof(ok200) - 1) != VG_R_NONE)
		bad = fprintf(stderr, "bench_core: the 200 OK does not validate\n");
	if (vg_sip_parse(bye, sizeof(bye) - 1, NULL, &msg) != VG_R_NONE)
		bad = fprintf(stderr, "bench_core: the BYE does not validate\n");
	if (vg_rtcp_validate(rtcp_rr_sdes, sizeof(rtcp_rr_sdes), NULL))
		bad = fprintf(stderr, "bench_core: the RTCP does not validate\n");
	return bad ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_core [-l | -t OP | -n N OP]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const struct bench_op *op;
	unsigned int i;

	setup();
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < VG_ARRAY_SIZE(ops); i++)
			printf("%s\n", ops[i].name);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "-n")) {
		op = find_op(argv[3]);
		if (!op)
			return usage();
		run_n(op, strtoull(argv[2], NULL, 0));
		return 0;
	}
	if (check_inputs())
		return 1;
	if (argc == 3 && !strcmp(argv[1], "-t")) {
		op = find_op(argv[2]);
		if (!op)
			return usage();
		printf("%s %.1f\n", op->name, time_op(op));
		return 0;
	}
	if (argc != 1)
		return usage();
	for (i = 0; i < VG_ARRAY_SIZE(ops); i++) {
		setup();
		printf("%s %.1f\n", ops[i].name, time_op(&ops[i]));
	}
	return 0;
}
