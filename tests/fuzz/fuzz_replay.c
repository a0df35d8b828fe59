// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the replay pipeline (link, IP and transport decoding,
 * SIP into calls, pinholes, RTP/RTCP validation and statistics) over a
 * sequence of packets.
 *
 * Input: a classic pcap file (the seeds are the corpus captures): the
 * header's link type picks the decoder and its sigfigs field, otherwise
 * unused, carries configuration bits. Anything else is read as one octet
 * of link type choice, one octet of configuration bits, then packets each
 * preceded by a two-octet big-endian length.
 *
 * The engine runs with tiny tables so that "call table full" and "stream
 * table full" are reached, and its counters are checked after each packet.
 */
#include <stdlib.h>

#include "../../userspace/replay_engine.c"

#define FUZZ_MAX_CALLS		8
#define FUZZ_MAX_STREAMS	16

static const u32 fuzz_links[] = {
	REPLAY_LINK_ETHERNET, REPLAY_LINK_RAW, REPLAY_LINK_LINUX_SLL,
	REPLAY_LINK_LINUX_SLL2, REPLAY_LINK_NULL, REPLAY_LINK_LOOP,
	REPLAY_LINK_IPV4, REPLAY_LINK_IPV6,
};

static u32 rd32(const u8 *p, bool swap)
{
	u32 v = (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;

	return swap ? __builtin_bswap32(v) : v;
}

static void check(const struct replay *r)
{
	const struct replay_counts *c = &r->counts;
	u64 sum = 0;
	u32 i;

	if (c->accepted + c->dropped != c->packets)
		abort();
	for (i = 0; i < VG_R__COUNT; i++)
		sum += c->drops[i];
	if (sum != c->dropped || c->drops[VG_R_NONE])
		abort();
	if (r->n_calls > r->cfg.max_calls || r->n_streams > r->cfg.max_streams ||
	    r->n_open > r->n_streams)
		abort();
	for (i = 0; i < r->n_open; i++)
		if (r->open[i] >= r->n_streams || !r->streams[r->open[i]].open ||
		    r->streams[r->open[i]].call >= r->n_calls)
			abort();
}

static void configure(struct replay_config *cfg, u8 bits)
{
	replay_config_default(cfg);
	cfg->max_calls = FUZZ_MAX_CALLS;
	cfg->max_streams = FUZZ_MAX_STREAMS;
	cfg->peer_restrict = bits & 1;
	cfg->media_strict = !(bits & 2);
	cfg->tcp_split = bits & 4 ? REPLAY_TCP_SPLIT_DROP : REPLAY_TCP_SPLIT_PASS;
	if (bits & 8) {
		/* SIP on a range that overlaps the media ports */
		cfg->sip_ports[1].first = 5000;
		cfg->sip_ports[1].last = 6000;
		cfg->n_sip_ports = 2;
	}
	if (bits & 16)
		cfg->sip_limits.strict = VG_SIP_STRICT_REQUIRED |
					 VG_SIP_STRICT_SINGLE;
}

static void feed(struct replay *r, u32 link, u64 ts, const u8 *p, u32 len,
		 u32 wirelen)
{
	u8 *copy;

	/* an exact-size copy, so ASan sees any read past the frame */
	copy = malloc(len ? len : 1);
	if (!copy)
		return;
	if (len)
		memcpy(copy, p, len);
	replay_packet(r, link, ts, copy, len, wirelen);
	free(copy);
	check(r);
}

static void run_pcap(const u8 *data, size_t size)
{
	u32 magic = rd32(data, false), link;
	bool swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	bool nano = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	struct replay_config cfg;
	struct replay *r;
	size_t off = 24;

	link = rd32(data + 20, swap) & 0xffff;
	configure(&cfg, (u8)rd32(data + 12, swap));
	r = replay_new(&cfg);
	if (!r)
		return;
	while (off + 16 <= size) {
		u32 sec = rd32(data + off, swap), frac = rd32(data + off + 4, swap);
		u32 incl = rd32(data + off + 8, swap);
		u32 orig = rd32(data + off + 12, swap);
		u64 ts = (u64)sec * 1000000000ULL +
			 (nano ? frac : (u64)frac * 1000);

		off += 16;
		if (incl > size - off)
			incl = (u32)(size - off);
		feed(r, link, ts, data + off, incl, orig);
		off += incl;
	}
	replay_free(r);
}

static void run_raw(const u8 *data, size_t size)
{
	struct replay_config cfg;
	struct replay *r;
	size_t off = 2;
	u64 ts = 1000000000ULL;
	u32 link;

	if (size < 2)
		return;
	link = fuzz_links[data[0] % VG_ARRAY_SIZE(fuzz_links)];
	configure(&cfg, data[1]);
	r = replay_new(&cfg);
	if (!r)
		return;
	while (off + 2 <= size) {
		u32 len = (u32)data[off] << 8 | data[off + 1];

		off += 2;
		if (len > size - off)
			len = (u32)(size - off);
		/* 20 ms apart, nudged by the length for some jitter */
		ts += 20000000ULL + (len & 0xff) * 1000ULL;
		feed(r, link, ts, data + off, len, len);
		off += len;
	}
	replay_free(r);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 magic;

	if (size >= 24) {
		magic = rd32(data, false);
		if (magic == 0xa1b2c3d4u || magic == 0xd4c3b2a1u ||
		    magic == 0xa1b23c4du || magic == 0x4d3cb2a1u) {
			run_pcap(data, size);
			return 0;
		}
	}
	run_raw(data, size);
	return 0;
}
