// SPDX-License-Identifier: GPL-2.0
/*
 * RTP stream statistics on real captures: packet counts, loss and jitter
 * mean/max against the Wireshark reference figures of the corpus README,
 * and against "tshark -z rtp,streams" on every capture when tshark is
 * installed.
 *
 * A small classic-pcap reader (Ethernet with VLAN tags, Linux cooked v1/v2,
 * raw IP; IPv4 and IPv6; UDP) feeds every valid RTP packet (version 2, PT
 * 0..34 static audio/video types, ports above 1023 but not 5060, not RTCP
 * under mux) to one struct vg_rtp_stream per (source, destination, SSRC);
 * streams that never leave probation are not RTP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "tap.h"
#include "rtp.h"
#include "sdp.h"

#define CORPUS "../shared/corpus/pcap/"
#define MAX_STREAMS 64

struct pcap_stream {
	u8 src[16], dst[16];
	u16 sport, dport;
	bool v6;
	u8 pt;
	struct vg_rtp_stream st;
};

struct capture {
	struct pcap_stream s[MAX_STREAMS];
	int n;
	u64 packets;
};

static u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 rd32(const u8 *p, bool swap)
{
	u32 v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static void feed_udp(struct capture *c, const u8 *src, const u8 *dst,
		     bool v6, const u8 *udp, u32 len, u64 now_ns)
{
	struct vg_rtp_hdr h;
	struct pcap_stream *ps = NULL;
	u32 alen = v6 ? 16 : 4, ulen;
	u16 sport, dport;
	int i;

	if (len < 8)
		return;
	sport = be16(udp);
	dport = be16(udp + 2);
	ulen = be16(udp + 4);
	if (ulen < 8 || ulen > len)
		return;
	/* Media runs on unprivileged ports; SIP is not RTP. */
	if (sport < 1024 || dport < 1024 || sport == 5060 || dport == 5060)
		return;
	udp += 8;
	ulen -= 8;
	if (vg_rtp_is_rtcp(udp, ulen))
		return;
	if (vg_rtp_parse(udp, ulen, NULL, &h) != VG_R_NONE || h.pt > 34)
		return;

	for (i = 0; i < c->n; i++) {
		ps = &c->s[i];
		if (ps->v6 == v6 && ps->sport == sport && ps->dport == dport &&
		    !memcmp(ps->src, src, alen) && !memcmp(ps->dst, dst, alen) &&
		    ps->st.ssrc == h.ssrc)
			break;
	}
	if (i == c->n) {
		if (c->n == MAX_STREAMS)
			return;
		ps = &c->s[c->n++];
		memset(ps, 0, sizeof(*ps));
		memcpy(ps->src, src, alen);
		memcpy(ps->dst, dst, alen);
		ps->sport = sport;
		ps->dport = dport;
		ps->v6 = v6;
		ps->pt = h.pt;
		vg_rtp_stream_init(&ps->st, vg_rtp_static_clock(h.pt));
	}
	vg_rtp_stream_update(&ps->st, &h, ulen, now_ns);
	c->packets++;
}

static void feed_ip(struct capture *c, const u8 *p, u32 len, u64 now_ns)
{
	u32 ihl;

	if (len < 1)
		return;
	if ((p[0] >> 4) == 4) {
		if (len < 20)
			return;
		ihl = (p[0] & 15) * 4;
		if (ihl < 20 || ihl > len || p[9] != 17)
			return;
		if (be16(p + 6) & 0x3fff)	/* fragment */
			return;
		feed_udp(c, p + 12, p + 16, false, p + ihl, len - ihl, now_ns);
	} else if ((p[0] >> 4) == 6) {
		if (len < 40 || p[6] != 17)
			return;
		feed_udp(c, p + 8, p + 24, true, p + 40, len - 40, now_ns);
	}
}

static void feed_frame(struct capture *c, u32 linktype, const u8 *p, u32 len,
		       u64 now_ns)
{
	u16 type;
	u32 off;

	switch (linktype) {
	case 1:		/* Ethernet */
		if (len < 14)
			return;
		off = 12;
		type = be16(p + off);
		while ((type == 0x8100 || type == 0x88a8) && len >= off + 6) {
			off += 4;
			type = be16(p + off);
		}
		off += 2;
		break;
	case 113:	/* Linux cooked v1 */
		if (len < 16)
			return;
		type = be16(p + 14);
		off = 16;
		break;
	case 276:	/* Linux cooked v2 */
		if (len < 20)
			return;
		type = be16(p);
		off = 20;
		break;
	case 101:	/* raw IP */
		type = 0;
		off = 0;
		break;
	default:
		return;
	}
	if (off > len)
		return;
	if (type && type != 0x0800 && type != 0x86dd)
		return;
	feed_ip(c, p + off, len - off, now_ns);
}

/* Reads a classic pcap file into @c; false if it cannot. */
static bool read_pcap(const char *path, struct capture *c)
{
	u8 gh[24], rh[16];
	static u8 buf[262144];
	bool swap, nsec;
	u32 magic, linktype, incl;
	FILE *f = fopen(path, "rb");

	memset(c, 0, sizeof(*c));
	if (!f)
		return false;
	if (fread(gh, 1, 24, f) != 24)
		goto bad;
	memcpy(&magic, gh, 4);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	nsec = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	if (!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)
		goto bad;
	linktype = rd32(gh + 20, swap) & 0x0fffffff;
	while (fread(rh, 1, 16, f) == 16) {
		u64 sec = rd32(rh, swap), sub = rd32(rh + 4, swap);

		incl = rd32(rh + 8, swap);
		if (incl > sizeof(buf) || fread(buf, 1, incl, f) != incl)
			goto bad;
		feed_frame(c, linktype, buf, incl,
			   sec * 1000000000ULL + (nsec ? sub : sub * 1000));
	}
	fclose(f);
	return true;
bad:
	fclose(f);
	return false;
}

static double fp_ms(u64 v)
{
	return (double)v / (1 << VG_RTP_JITTER_SHIFT) / 1e6;
}

static struct pcap_stream *find_ssrc(struct capture *c, u32 ssrc)
{
	for (int i = 0; i < c->n; i++)
		if (c->s[i].st.ssrc == ssrc)
			return &c->s[i];
	return NULL;
}

static bool within(double got, double want, double rel, double abs_slack)
{
	return fabs(got - want) <= want * rel + abs_slack;
}

/* The corpus README's Wireshark 4.0.17 figures for sip-rtp-g711.pcap. */
static void check_g711_reference(void)
{
	static const struct {
		u32 ssrc;
		const char *codec;
		u64 packets;
		double mean_ms, max_ms;
	} ref[] = {
		{ 0x343DA99B, "PCMU", 425, 0.006179, 0.010245 },
		{ 0x343FFA34, "PCMA", 414, 0.004463, 0.019305 },
	};
	static struct capture c;
	unsigned int i;

	ok(read_pcap(CORPUS "sip-rtp-g711.pcap", &c), "g711: capture read");
	is_int(c.n, 2, "g711: two RTP streams");
	for (i = 0; i < VG_ARRAY_SIZE(ref); i++) {
		struct pcap_stream *ps = find_ssrc(&c, ref[i].ssrc);
		double mean, max;

		ok(ps, "g711 %s: stream 0x%08X found", ref[i].codec,
		   ref[i].ssrc);
		if (!ps)
			continue;
		mean = fp_ms(vg_rtp_stream_jitter_mean(&ps->st));
		max = fp_ms(vg_rtp_stream_jitter_max(&ps->st));
		is_int(ps->st.packets, ref[i].packets, "g711 %s: packets",
		       ref[i].codec);
		is_int(vg_rtp_stream_expected(&ps->st), ref[i].packets,
		       "g711 %s: expected", ref[i].codec);
		is_int(vg_rtp_stream_lost(&ps->st), 0, "g711 %s: no loss",
		       ref[i].codec);
		is_int(ps->st.duplicates + ps->st.reordered, 0,
		       "g711 %s: no duplicates or reordering", ref[i].codec);
		ok(within(mean, ref[i].mean_ms, 0.05, 0),
		   "g711 %s: jitter mean %.6f ms vs Wireshark %.6f ms",
		   ref[i].codec, mean, ref[i].mean_ms);
		ok(within(max, ref[i].max_ms, 0.05, 0),
		   "g711 %s: jitter max %.6f ms vs Wireshark %.6f ms",
		   ref[i].codec, max, ref[i].max_ms);
	}
}

/*
 * Every capture against tshark's own analysis (3 decimals in ms, hence
 * the half-microsecond slack on top of 5%).
 */
static void check_tshark(const char *name)
{
	static struct capture c;
	char cmd[512], line[1024];
	int streams = 0, valid = 0, i;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s%s' -q -z rtp,streams 2>/dev/null", CORPUS, name);
	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		ok(1, "%s: tshark comparison # SKIP tshark not installed", name);
		return;
	}
	snprintf(line, sizeof(line), "%s%s", CORPUS, name);
	if (!read_pcap(line, &c)) {
		ok(0, "%s: capture read", name);
		return;
	}
	p = popen(cmd, "r");
	if (!p) {
		ok(0, "%s: tshark runs", name);
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		char src[64], dst[64], codec[32], lostpct[32];
		double start, end, mind, meand, maxd, minj, meanj, maxj;
		unsigned int sport, dport, ssrc;
		long long pkts, lost;
		struct pcap_stream *ps;

		if (sscanf(line, "%lf %lf %63s %u %63s %u 0x%x %31s %lld %lld %31s %lf %lf %lf %lf %lf %lf",
			   &start, &end, src, &sport, dst, &dport, &ssrc,
			   codec, &pkts, &lost, lostpct, &mind, &meand, &maxd,
			   &minj, &meanj, &maxj) != 17)
			continue;
		streams++;
		ps = find_ssrc(&c, ssrc);
		ok(ps, "%s: stream 0x%08X (%s) found", name, ssrc, codec);
		if (!ps)
			continue;
		is_int(ps->st.packets, pkts, "%s 0x%08X: packets as tshark",
		       name, ssrc);
		is_int(vg_rtp_stream_lost(&ps->st), lost < 0 ? 0 : lost,
		       "%s 0x%08X: lost as tshark", name, ssrc);
		ok(within(fp_ms(vg_rtp_stream_jitter_mean(&ps->st)), meanj,
			  0.05, 0.0005),
		   "%s 0x%08X: jitter mean %.6f ms vs tshark %.3f ms", name,
		   ssrc, fp_ms(vg_rtp_stream_jitter_mean(&ps->st)), meanj);
		ok(within(fp_ms(vg_rtp_stream_jitter_max(&ps->st)), maxj,
			  0.05, 0.0005),
		   "%s 0x%08X: jitter max %.6f ms vs tshark %.3f ms", name,
		   ssrc, fp_ms(vg_rtp_stream_jitter_max(&ps->st)), maxj);
	}
	pclose(p);
	for (i = 0; i < c.n; i++)
		valid += c.s[i].st.seq_valid;
	ok(streams == valid && streams > 0,
	   "%s: %d streams, tshark %d", name, valid, streams);
}

int main(void)
{
	static const char *const captures[] = {
		"sip-rtp-g711.pcap", "sip-rtp-g729a.pcap", "sip-rtp-gsm.pcap",
		"aaa.pcap",
	};
	unsigned int i;

	check_g711_reference();
	for (i = 0; i < VG_ARRAY_SIZE(captures); i++)
		check_tshark(captures[i]);
	return tap_done();
}
