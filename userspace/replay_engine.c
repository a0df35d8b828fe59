// SPDX-License-Identifier: GPL-2.0
/*
 * The replay pipeline: decode a captured frame down to UDP or TCP, then
 * judge it as the data path does. SIP (configured ports) is validated and
 * drives the calls; UDP to an open pinhole is RTP or RTCP, validated and
 * measured; RTP-looking UDP to a closed media port is dropped; the rest
 * passes. Every decision about SIP, calls, RTP and RTCP is the core's.
 */
#include <stdlib.h>

#include "replay_engine.h"
#include "rtcp.h"

#define IPPROTO_UDP_NUM	17
#define IPPROTO_TCP_NUM	6

static const char *const class_names[REPLAY_CLASS__COUNT] = {
	[REPLAY_CLASS_SIP] = "sip",
	[REPLAY_CLASS_RTP] = "rtp",
	[REPLAY_CLASS_RTCP] = "rtcp",
	[REPLAY_CLASS_OTHER] = "other",
};

const char *replay_class_name(enum replay_class c)
{
	return (unsigned int)c < REPLAY_CLASS__COUNT ? class_names[c] : "unknown";
}

void replay_config_default(struct replay_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->n_sip_ports = 1;
	cfg->sip_ports[0].first = 5060;
	cfg->sip_ports[0].last = 5060;
	cfg->n_media_ports = 1;
	cfg->media_ports[0].first = 1024;
	cfg->media_ports[0].last = 65535;
	cfg->media_strict = true;
	cfg->tcp_split = REPLAY_TCP_SPLIT_PASS;
	cfg->max_calls = 4096;
	cfg->max_streams = 16384;
	vg_sip_limits_default(&cfg->sip_limits);
	vg_call_config_default(&cfg->call_config);
}

struct replay *replay_new(const struct replay_config *cfg)
{
	struct replay *r;

	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	if (cfg)
		r->cfg = *cfg;
	else
		replay_config_default(&r->cfg);
	if (!r->cfg.max_calls || !r->cfg.max_streams ||
	    r->cfg.max_calls > (1u << 24) || r->cfg.max_streams > (1u << 24))
		goto fail;
	r->calls = calloc(r->cfg.max_calls, sizeof(*r->calls));
	r->streams = calloc(r->cfg.max_streams, sizeof(*r->streams));
	r->open = calloc(r->cfg.max_streams, sizeof(*r->open));
	if (!r->calls || !r->streams || !r->open)
		goto fail;
	return r;
fail:
	replay_free(r);
	return NULL;
}

void replay_free(struct replay *r)
{
	u32 i;

	if (!r)
		return;
	for (i = 0; i < REPLAY_FRAG_SLOTS; i++)
		free(r->frags[i].buf);
	free(r->calls);
	free(r->streams);
	free(r->open);
	free(r);
}

static inline u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static bool in_ranges(const struct replay_port_range *rg, u32 n, u16 port)
{
	u32 i;

	for (i = 0; i < n && i < REPLAY_MAX_PORT_RANGES; i++)
		if (port >= rg[i].first && port <= rg[i].last)
			return true;
	return false;
}

/* ---- decoding ---------------------------------------------------------- */

enum decode_status {
	DECODE_OK,
	DECODE_NOT_IP,		/* link or network layer not understood */
	DECODE_TRUNCATED,	/* the capture cut the packet short */
	DECODE_FRAGMENT,
	DECODE_OTHER_L4,	/* IP, but neither UDP nor TCP */
	DECODE_MALFORMED_L4,	/* UDP/TCP header inconsistent with IP */
};

struct replay_pkt {
	u8 family;		/* enum vg_af */
	u8 l4proto;
	const u8 *src;		/* 4 or 16 octets */
	const u8 *dst;
	u16 sport;
	u16 dport;
	const u8 *payload;
	u32 len;
	/* a fragment: its place in the datagram's L4 octets */
	u32 frag_id;
	u32 frag_off;
	bool frag_more;
	const u8 *frag_data;
	u32 frag_len;
};

static bool supported_link(u32 link)
{
	switch (link) {
	case REPLAY_LINK_NULL:
	case REPLAY_LINK_ETHERNET:
	case REPLAY_LINK_RAW:
	case REPLAY_LINK_LOOP:
	case REPLAY_LINK_LINUX_SLL:
	case REPLAY_LINK_IPV4:
	case REPLAY_LINK_IPV6:
	case REPLAY_LINK_LINUX_SLL2:
		return true;
	}
	return false;
}

bool replay_link_supported(u32 link)
{
	return supported_link(link);
}

/* Offset of the IP header and its version (4, 6), or 0 when not IP. */
static u32 link_decode(u32 link, const u8 *p, u32 caplen, u32 *off)
{
	u32 o, fam;
	u16 type;
	int tags;

	switch (link) {
	case REPLAY_LINK_ETHERNET:
		if (caplen < 14)
			return 0;
		type = be16(p + 12);
		o = 14;
		/* 802.1Q / 802.1ad tags, up to two deep (QinQ) */
		for (tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8 ||
					    type == 0x9100); tags++) {
			if (caplen < o + 4)
				return 0;
			type = be16(p + o + 2);
			o += 4;
		}
		break;
	case REPLAY_LINK_LINUX_SLL:
		if (caplen < 16)
			return 0;
		type = be16(p + 14);
		o = 16;
		break;
	case REPLAY_LINK_LINUX_SLL2:
		if (caplen < 20)
			return 0;
		type = be16(p);
		o = 20;
		break;
	case REPLAY_LINK_NULL:
	case REPLAY_LINK_LOOP:
		if (caplen < 4)
			return 0;
		/* NULL is in the writer's byte order: take the small reading */
		fam = be32(p);
		if (link == REPLAY_LINK_NULL && fam > 0xffff)
			fam = (u32)p[3] << 24 | (u32)p[2] << 16 |
			      (u32)p[1] << 8 | p[0];
		*off = 4;
		if (fam == 2)
			return 4;
		/* AF_INET6 on Linux, FreeBSD, Darwin and the other BSDs */
		if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
			return 6;
		return 0;
	case REPLAY_LINK_RAW:
	case REPLAY_LINK_IPV4:
	case REPLAY_LINK_IPV6:
		if (caplen < 1)
			return 0;
		*off = 0;
		if ((p[0] >> 4) == 4 && link != REPLAY_LINK_IPV6)
			return 4;
		if ((p[0] >> 4) == 6 && link != REPLAY_LINK_IPV4)
			return 6;
		return 0;
	default:
		return 0;
	}
	*off = o;
	if (type == 0x0800)
		return 4;
	if (type == 0x86dd)
		return 6;
	return 0;
}

/*
 * Layer 4 of an IP payload: @have octets captured of @total on the wire.
 */
static enum decode_status l4_decode(struct replay_pkt *pk, const u8 *l4,
				    u32 have, u32 total)
{
	if (pk->l4proto == IPPROTO_UDP_NUM) {
		u16 ulen;

		if (have < 8)
			return total < 8 ? DECODE_MALFORMED_L4 : DECODE_TRUNCATED;
		ulen = be16(l4 + 4);
		if (ulen < 8 || ulen > total)
			return DECODE_MALFORMED_L4;
		if (ulen > have)
			return DECODE_TRUNCATED;
		pk->sport = be16(l4);
		pk->dport = be16(l4 + 2);
		pk->payload = l4 + 8;
		pk->len = ulen - 8u;
		return DECODE_OK;
	}
	if (pk->l4proto == IPPROTO_TCP_NUM) {
		u32 doff;

		if (have < 20)
			return total < 20 ? DECODE_MALFORMED_L4 : DECODE_TRUNCATED;
		doff = 4u * (l4[12] >> 4);
		if (doff < 20 || doff > total)
			return DECODE_MALFORMED_L4;
		if (total > have)
			return DECODE_TRUNCATED;
		pk->sport = be16(l4);
		pk->dport = be16(l4 + 2);
		pk->payload = l4 + doff;
		pk->len = total - doff;
		return DECODE_OK;
	}
	return DECODE_OTHER_L4;
}

static enum decode_status ipv4_decode(struct replay_pkt *pk, const u8 *p,
				      u32 caplen)
{
	u32 ihl, total, have;
	u16 frag;

	if (caplen < 20)
		return DECODE_TRUNCATED;
	if ((p[0] >> 4) != 4)
		return DECODE_NOT_IP;
	ihl = 4u * (p[0] & 0x0f);
	total = be16(p + 2);
	if (ihl < 20 || total < ihl)
		return DECODE_NOT_IP;
	if (caplen < ihl)
		return DECODE_TRUNCATED;
	/* trailing link padding is not IP payload; a short capture is cut */
	have = caplen < total ? caplen : total;
	pk->family = VG_AF_INET;
	pk->l4proto = p[9];
	pk->src = p + 12;
	pk->dst = p + 16;
	frag = be16(p + 6);
	if (frag & 0x3fff) {	/* MF set or a non-zero offset */
		if (total > have)
			return DECODE_TRUNCATED;
		pk->frag_id = be16(p + 4);
		pk->frag_off = 8u * (frag & 0x1fff);
		pk->frag_more = frag & 0x2000;
		pk->frag_data = p + ihl;
		pk->frag_len = total - ihl;
		return DECODE_FRAGMENT;
	}
	return l4_decode(pk, p + ihl, have - ihl, total - ihl);
}

static enum decode_status ipv6_decode(struct replay_pkt *pk, const u8 *p,
				      u32 caplen)
{
	u32 off = 40, total, have, hl;
	u8 nh;
	int n;

	if (caplen < 40)
		return DECODE_TRUNCATED;
	if ((p[0] >> 4) != 6)
		return DECODE_NOT_IP;
	total = 40u + be16(p + 4);	/* a jumbogram (0) has no payload here */
	have = caplen < total ? caplen : total;
	pk->family = VG_AF_INET6;
	pk->src = p + 8;
	pk->dst = p + 24;
	nh = p[6];
	for (n = 0; n < 8; n++) {
		switch (nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
			if (have < off + 2)
				return total < off + 2 ? DECODE_NOT_IP :
							 DECODE_TRUNCATED;
			hl = 8u * (p[off + 1] + 1u);
			break;
		case 51:	/* authentication header */
			if (have < off + 2)
				return total < off + 2 ? DECODE_NOT_IP :
							 DECODE_TRUNCATED;
			hl = 4u * (p[off + 1] + 2u);
			break;
		case 44:	/* fragment */
			if (total > have)
				return DECODE_TRUNCATED;
			if (total < off + 8)
				return DECODE_NOT_IP;
			pk->l4proto = p[off];
			pk->frag_off = be16(p + off + 2) & 0xfff8;
			pk->frag_more = p[off + 3] & 1;
			pk->frag_id = be32(p + off + 4);
			pk->frag_data = p + off + 8;
			pk->frag_len = total - off - 8;
			return DECODE_FRAGMENT;
		default:
			pk->l4proto = nh;
			return l4_decode(pk, p + off, have - off, total - off);
		}
		if (total < off + hl)
			return DECODE_NOT_IP;
		if (have < off + hl)
			return DECODE_TRUNCATED;
		nh = p[off];
		off += hl;
	}
	return DECODE_NOT_IP;
}

/* ---- fragments --------------------------------------------------------- */

static bool frag_block_seen(const struct replay_frag *f, u32 b)
{
	return f->blocks[b >> 3] & (1u << (b & 7));
}

static struct replay_frag *frag_slot(struct replay *r,
				     const struct replay_pkt *pk, u64 now)
{
	u32 alen = pk->family == VG_AF_INET ? 4 : 16, i;
	struct replay_frag *f, *victim = NULL;

	for (i = 0; i < REPLAY_FRAG_SLOTS; i++) {
		f = &r->frags[i];
		if (f->used && now - f->first_ns > REPLAY_FRAG_TIMEOUT_NS &&
		    now > f->first_ns) {
			f->used = false;	/* never completed */
			r->counts.frags_dropped++;
		}
		if (f->used && f->family == pk->family &&
		    f->l4proto == pk->l4proto && f->id == pk->frag_id &&
		    !memcmp(f->src, pk->src, alen) &&
		    !memcmp(f->dst, pk->dst, alen))
			return f;
	}
	for (i = 0; i < REPLAY_FRAG_SLOTS; i++) {
		f = &r->frags[i];
		if (!f->used) {
			victim = f;
			break;
		}
		if (!victim || f->first_ns < victim->first_ns)
			victim = f;
	}
	if (victim->used)
		r->counts.frags_dropped++;	/* the oldest gives way */
	if (!victim->buf) {
		victim->buf = malloc(REPLAY_FRAG_MAX);
		if (!victim->buf)
			return NULL;
	}
	victim->used = true;
	victim->family = pk->family;
	victim->l4proto = pk->l4proto;
	memset(victim->src, 0, sizeof(victim->src));
	memset(victim->dst, 0, sizeof(victim->dst));
	memcpy(victim->src, pk->src, alen);
	memcpy(victim->dst, pk->dst, alen);
	victim->id = pk->frag_id;
	victim->total = 0;
	victim->first_ns = now;
	memset(victim->blocks, 0, sizeof(victim->blocks));
	return victim;
}

/*
 * Add fragment @pk; when it completes its datagram, return the slot (the
 * L4 octets are buf[0..total)) for the caller to judge and release.
 */
static struct replay_frag *frag_add(struct replay *r,
				    const struct replay_pkt *pk, u64 now)
{
	struct replay_frag *f;
	u32 end = pk->frag_off + pk->frag_len, b, nblocks;

	/* beyond 64 KB, or a middle piece not a multiple of 8: give up */
	if (end > REPLAY_FRAG_MAX || (pk->frag_more && (pk->frag_len & 7)) ||
	    (!pk->frag_more && !end)) {
		r->counts.frags_dropped++;
		return NULL;
	}
	f = frag_slot(r, pk, now);
	if (!f)
		return NULL;
	if (!pk->frag_more) {
		if (f->total && f->total != end) {
			f->used = false;	/* two different ends */
			r->counts.frags_dropped++;
			return NULL;
		}
		f->total = end;
	}
	if (f->total && end > f->total) {
		f->used = false;
		r->counts.frags_dropped++;
		return NULL;
	}
	memcpy(f->buf + pk->frag_off, pk->frag_data, pk->frag_len);
	for (b = pk->frag_off / 8; b < (end + 7) / 8; b++)
		f->blocks[b >> 3] |= 1u << (b & 7);
	if (!f->total)
		return NULL;
	nblocks = (f->total + 7) / 8;
	for (b = 0; b < nblocks; b++)
		if (!frag_block_seen(f, b))
			return NULL;
	return f;
}

/* ---- calls and pinholes ------------------------------------------------ */

static u32 hash_bytes(const char *p, u32 len)
{
	u32 h = 2166136261u, i;

	for (i = 0; i < len; i++) {
		h ^= (u8)p[i];
		h *= 16777619u;
	}
	return h;
}

static s32 call_find(const struct replay *r, const struct vg_str *id, u32 hash)
{
	u32 i, n = id->len < REPLAY_CALL_ID_MAX ? id->len : REPLAY_CALL_ID_MAX;

	/* newest first: a Call-ID seen again is most likely the latest */
	for (i = r->n_calls; i-- > 0;) {
		const struct replay_call *c = &r->calls[i];

		if (c->call_id_hash == hash && c->call_id_len == id->len &&
		    !memcmp(c->call_id, id->p, n))
			return (s32)i;
	}
	return -1;
}

static void open_add(struct replay *r, u32 idx)
{
	r->streams[idx].open = true;
	r->open[r->n_open++] = idx;
}

static void stream_close(struct replay *r, u32 idx, u64 now)
{
	u32 i;

	if (!r->streams[idx].open)
		return;
	r->streams[idx].open = false;
	r->streams[idx].closed_ns = now;
	for (i = 0; i < r->n_open; i++) {
		if (r->open[i] == idx) {
			r->open[i] = r->open[--r->n_open];
			break;
		}
	}
}

static void call_close_media(struct replay *r, u32 call, u64 now)
{
	u32 i = 0;

	while (i < r->n_open) {
		u32 idx = r->open[i];

		if (r->streams[idx].call == call)
			stream_close(r, idx, now);	/* swaps in another */
		else
			i++;
	}
}

static bool same_pinhole(const struct vg_pinhole *a, const struct vg_pinhole *b)
{
	return a->family == b->family && a->receiver == b->receiver &&
	       a->media_index == b->media_index && a->dst_port == b->dst_port &&
	       !memcmp(a->dst, b->dst, sizeof(a->dst));
}

/*
 * VG_CALL_EV_MEDIA: the decision's pinholes replace the call's. A pinhole
 * that stays the same keeps its stream and statistics (an answer repeated
 * in the 2xx, a re-INVITE that changes nothing for this direction).
 */
static void call_replace_media(struct replay *r, u32 call,
			       const struct vg_call_decision *dec, u64 now)
{
	bool kept[2 * VG_SDP_MAX_MEDIA] = { false };
	u32 i = 0, k;

	while (i < r->n_open) {
		u32 idx = r->open[i];
		struct replay_stream *s = &r->streams[idx];
		bool keep = false;

		if (s->call == call) {
			for (k = 0; k < dec->n_pinholes; k++) {
				if (!kept[k] &&
				    same_pinhole(&s->ph, &dec->pinholes[k])) {
					kept[k] = true;
					s->ph = dec->pinholes[k];
					keep = true;
					break;
				}
			}
			if (!keep) {
				stream_close(r, idx, now);
				continue;
			}
		}
		i++;
	}
	for (k = 0; k < dec->n_pinholes; k++) {
		struct replay_stream *s;

		if (kept[k])
			continue;
		if (r->n_streams >= r->cfg.max_streams) {
			r->counts.streams_refused++;
			continue;
		}
		s = &r->streams[r->n_streams];
		memset(s, 0, sizeof(*s));
		s->call = call;
		s->ph = dec->pinholes[k];
		s->last_pt = -1;
		s->opened_ns = now;
		open_add(r, r->n_streams++);
	}
}

/* A valid SIP message: find or begin its call and apply the decision. */
static enum vg_reason sip_apply(struct replay *r, const struct vg_sip_msg *msg,
				u64 now)
{
	struct vg_call_decision *dec = &r->dec;
	struct replay_counts *c = &r->counts;
	struct replay_call *call;
	struct vg_call fresh;
	enum vg_reason sdp_r;
	u32 hash, n;
	s32 idx;

	c->sip.messages++;
	if (msg->is_request)
		c->sip.requests++;
	else
		c->sip.responses++;
	if (msg->is_request && msg->method == VG_SIP_M_INVITE)
		c->sip.invites++;
	if (!msg->call_id.len) {
		c->sip.no_call_id++;
		return VG_R_NONE;
	}
	hash = hash_bytes(msg->call_id.p, msg->call_id.len);
	idx = call_find(r, &msg->call_id, hash);
	if (idx < 0) {
		memset(&fresh, 0, sizeof(fresh));
		sdp_r = vg_call_update(&fresh, &r->cfg.call_config, msg,
				       &r->sdp_scratch, dec);
		if (sdp_r)
			c->sip.bad_sdp++;
		if (!(dec->events & VG_CALL_EV_NEW))
			return VG_R_NONE;	/* REGISTER, OPTIONS, strays */
		if (r->n_calls >= r->cfg.max_calls) {
			c->calls_refused++;
			return VG_R_STATE_FULL;
		}
		idx = (s32)r->n_calls++;
		call = &r->calls[idx];
		memset(call, 0, sizeof(*call));
		n = msg->call_id.len < REPLAY_CALL_ID_MAX ? msg->call_id.len :
							    REPLAY_CALL_ID_MAX;
		memcpy(call->call_id, msg->call_id.p, n);
		call->call_id[n] = '\0';
		call->call_id_len = msg->call_id.len;
		call->call_id_hash = hash;
		call->start_ns = now;
		call->st = fresh;
	} else {
		call = &r->calls[idx];
		/*
		 * An out-of-dialog INVITE after the call ended begins it
		 * again under the same Call-ID, as on the data path, which
		 * forgets ended calls: the retry with credentials after a
		 * 401/407, or a proxy's copy for its next target after the
		 * first refused (same CSeq).
		 */
		if (call->st.state == VG_CALL_ENDED && msg->is_request &&
		    msg->method == VG_SIP_M_INVITE && !msg->to.tag.len) {
			memset(&call->st, 0, sizeof(call->st));
			call->end_ns = 0;
		}
		sdp_r = vg_call_update(&call->st, &r->cfg.call_config, msg,
				       &r->sdp_scratch, dec);
		if (sdp_r)
			c->sip.bad_sdp++;
	}
	call->messages++;
	if (dec->events & VG_CALL_EV_NEW)
		call->invites++;
	if (dec->events & VG_CALL_EV_MEDIA)
		call_replace_media(r, (u32)idx, dec, now);
	if (dec->events & VG_CALL_EV_END) {
		call_close_media(r, (u32)idx, now);
		call->end_ns = now;
	}
	return VG_R_NONE;
}

static enum vg_reason sip_udp(struct replay *r, const struct replay_pkt *pk,
			      u64 now)
{
	struct vg_sip_msg msg;
	enum vg_reason res;

	if (vg_sip_is_keepalive(pk->payload, pk->len)) {
		r->counts.sip.keepalives++;
		return VG_R_NONE;
	}
	res = vg_sip_parse((const char *)pk->payload, pk->len,
			   &r->cfg.sip_limits, &msg);
	if (res) {
		r->counts.sip.invalid++;
		return res;
	}
	return sip_apply(r, &msg, now);
}

/* Whether the headers of a message starting at p end inside len octets. */
static bool headers_complete(const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return true;
		if (p[i + 1] == '\r' && i + 2 < len && p[i + 2] == '\n')
			return true;
	}
	return false;
}

/* The split-flow entry of @pk's TCP flow, or NULL. */
static struct replay_tcp_flow *split_flow_find(struct replay *r,
					       const struct replay_pkt *pk)
{
	u32 alen = pk->family == VG_AF_INET ? 4 : 16, i;

	for (i = 0; i < REPLAY_TCP_SPLIT_FLOWS; i++) {
		struct replay_tcp_flow *f = &r->split_flows[i];

		if (f->used && f->family == pk->family &&
		    f->sport == pk->sport && f->dport == pk->dport &&
		    !memcmp(f->src, pk->src, alen) &&
		    !memcmp(f->dst, pk->dst, alen))
			return f;
	}
	return NULL;
}

static void split_flow_mark(struct replay *r, const struct replay_pkt *pk,
			    u64 now)
{
	u32 alen = pk->family == VG_AF_INET ? 4 : 16, i;
	struct replay_tcp_flow *f = split_flow_find(r, pk);

	if (!f) {
		/* a free entry, else the least recently split flow */
		for (i = 0; i < REPLAY_TCP_SPLIT_FLOWS; i++) {
			struct replay_tcp_flow *e = &r->split_flows[i];

			if (!e->used) {
				f = e;
				break;
			}
			if (!f || e->last_ns < f->last_ns)
				f = e;
		}
		memset(f, 0, sizeof(*f));
		f->used = true;
		f->family = pk->family;
		memcpy(f->src, pk->src, alen);
		memcpy(f->dst, pk->dst, alen);
		f->sport = pk->sport;
		f->dport = pk->dport;
	}
	f->last_ns = now;
}

/*
 * SIP over TCP: every message whole within the segment is judged; a
 * segment that ends inside a message, and the segments of that flow that
 * follow until one starts with a whole message, are counted and passed or
 * dropped as configured (the data path does not reassemble streams).
 */
static enum vg_reason sip_tcp(struct replay *r, const struct replay_pkt *pk,
			      u64 now)
{
	struct replay_tcp_flow *cont = split_flow_find(r, pk);
	const u8 *p = pk->payload;
	u32 off = 0, len = pk->len;
	struct vg_sip_msg msg;
	enum vg_reason res;

	while (off < len) {
		const u8 *m = p + off;
		u32 rest = len - off;

		if (vg_sip_is_keepalive(m, rest)) {
			if (!off && !cont)
				r->counts.sip.keepalives++;
			break;
		}
		if (!headers_complete(m, rest))
			goto split;
		res = vg_sip_parse((const char *)m, rest, &r->cfg.sip_limits,
				   &msg);
		/* a stream message must give its length, as on the data path */
		if (!res && !(msg.flags & VG_SIP_F_CL_PRESENT))
			res = VG_R_SIP_BAD_CONTENT_LENGTH;
		if (res == VG_R_SIP_BAD_CONTENT_LENGTH &&
		    (msg.flags & VG_SIP_F_CL_PRESENT) &&
		    !(msg.flags & VG_SIP_F_CL_CONFLICT) &&
		    msg.content_length <= r->cfg.sip_limits.max_msg_len)
			goto split;	/* the body goes on in the next segment */
		if (res && !off && cont)
			goto split;	/* the rest of an earlier message */
		if (res) {
			r->counts.sip.invalid++;
			return res;
		}
		if (cont) {
			cont->used = false;	/* back in step */
			cont = NULL;
		}
		res = sip_apply(r, &msg, now);
		if (res)
			return res;
		if (!msg.msg_len)
			break;
		off += msg.msg_len;
	}
	if (cont && !off)
		goto split;		/* only blank octets: still inside */
	return VG_R_NONE;
split:
	split_flow_mark(r, pk, now);
	r->counts.sip.tcp_split++;
	return r->cfg.tcp_split == REPLAY_TCP_SPLIT_DROP ? VG_R_SIP_TCP_SPLIT :
							   VG_R_NONE;
}

/* ---- media ------------------------------------------------------------- */

/* The open pinhole @pk is sent to; *rtcp_port when it hit the RTCP port. */
static s32 pinhole_find(const struct replay *r, const struct replay_pkt *pk,
			bool *rtcp_port)
{
	u32 alen = pk->family == VG_AF_INET ? 4 : 16, i;
	s32 best = -1;

	for (i = 0; i < r->n_open; i++) {
		u32 idx = r->open[i];
		const struct vg_pinhole *ph = &r->streams[idx].ph;
		bool rtcp;

		if (ph->family != pk->family || memcmp(ph->dst, pk->dst, alen))
			continue;
		if (pk->dport == ph->dst_port)
			rtcp = false;
		else if (ph->rtcp_port && pk->dport == ph->rtcp_port)
			rtcp = true;
		else
			continue;
		/* two calls on one address: the newest pinhole wins */
		if (best < 0 || idx > (u32)best) {
			best = (s32)idx;
			*rtcp_port = rtcp;
		}
	}
	return best;
}

static bool from_peer(const struct vg_pinhole *ph, const struct replay_pkt *pk)
{
	u32 alen = pk->family == VG_AF_INET ? 4 : 16;

	if (ph->peer.family == VG_AF_NONE || vg_addr_unspecified(&ph->peer))
		return true;	/* nothing to hold the sender to */
	return ph->peer.family == pk->family &&
	       !memcmp(ph->peer.addr, pk->src, alen);
}

static enum vg_reason media_packet(struct replay *r, struct replay_stream *s,
				   bool rtcp_port, const struct replay_pkt *pk,
				   u64 now, enum replay_class *cls)
{
	const struct vg_pinhole *ph = &s->ph;
	struct vg_rtp_pt_set pts;
	struct vg_rtp_hdr h;
	enum vg_rtp_seq seq;
	enum vg_reason res;

	if (rtcp_port || ((ph->flags & VG_PH_RTCP_MUX) &&
			  vg_rtp_is_rtcp(pk->payload, pk->len)))
		*cls = REPLAY_CLASS_RTCP;
	else
		*cls = REPLAY_CLASS_RTP;
	if (r->cfg.peer_restrict && !from_peer(ph, pk))
		return VG_R_RTP_WRONG_SOURCE;
	if (*cls == REPLAY_CLASS_RTCP) {
		/* SRTCP encrypts all but the first packet's header. */
		res = ph->flags & VG_PH_SRTP ?
		      vg_srtcp_validate(pk->payload, pk->len, NULL) :
		      vg_rtcp_validate(pk->payload, pk->len, NULL);
		if (!res)
			s->rtcp_packets++;
		return res;
	}
	/* a direction that SDP holds inactive or send-only receives nothing */
	if (!(ph->flags & VG_PH_RTP))
		return VG_R_RTP_NO_PINHOLE;
	vg_rtp_pt_set_from_words(&pts, ph->pts.bits);
	res = vg_rtp_parse(pk->payload, pk->len, &pts, &h);
	if (res)
		return res;
	if (!s->stats_init) {
		vg_pinhole_stream_init(ph, h.pt, &s->rtp);
		s->stats_init = true;
	}
	seq = vg_rtp_stream_update(&s->rtp, &h, pk->len, now);
	if (seq == VG_RTP_SEQ_OTHER_SSRC) {
		if (r->cfg.peer_restrict)
			return VG_R_RTP_WRONG_SOURCE;
		s->other_ssrc++;
		return VG_R_NONE;
	}
	if (!s->has_src) {
		s->has_src = true;
		s->src_family = pk->family;
		memcpy(s->src_addr, pk->src, pk->family == VG_AF_INET ? 4 : 16);
		s->src_port = pk->sport;
	}
	s->packets++;
	s->bytes += pk->len;
	s->last_pt = h.pt;
	s->last_ns = now;
	return VG_R_NONE;
}

/* RTP (version 2, a whole fixed header) or RTCP by its first octets. */
static bool looks_like_media(const u8 *p, u32 len)
{
	if (vg_rtp_is_rtcp(p, len))
		return true;
	return len >= VG_RTP_HDR_LEN && (p[0] >> 6) == VG_RTP_VERSION;
}

static enum vg_reason udp_packet(struct replay *r, const struct replay_pkt *pk,
				 u64 now, struct replay_verdict *v)
{
	const struct replay_config *cfg = &r->cfg;
	bool rtcp_port = false;
	enum vg_reason res;
	s32 idx;

	if (in_ranges(cfg->sip_ports, cfg->n_sip_ports, pk->dport) ||
	    in_ranges(cfg->sip_ports, cfg->n_sip_ports, pk->sport)) {
		v->cls = REPLAY_CLASS_SIP;
		return sip_udp(r, pk, now);
	}
	idx = pinhole_find(r, pk, &rtcp_port);
	if (idx >= 0) {
		struct replay_stream *s = &r->streams[idx];

		v->stream = idx;
		res = media_packet(r, s, rtcp_port, pk, now, &v->cls);
		if (res)
			s->dropped++;
		return res;
	}
	/*
	 * Media is sent from a media port to a media port (symmetric RTP):
	 * asking for both keeps answers from well-known ports (DNS, NTP)
	 * that happen to start like RTP from being taken for stray media.
	 */
	if (cfg->media_strict &&
	    in_ranges(cfg->media_ports, cfg->n_media_ports, pk->dport) &&
	    in_ranges(cfg->media_ports, cfg->n_media_ports, pk->sport) &&
	    looks_like_media(pk->payload, pk->len)) {
		v->cls = vg_rtp_is_rtcp(pk->payload, pk->len) ?
			 REPLAY_CLASS_RTCP : REPLAY_CLASS_RTP;
		return VG_R_RTP_NO_PINHOLE;
	}
	return VG_R_NONE;
}

struct replay_verdict replay_packet(struct replay *r, u32 link, u64 ts_ns,
				    const u8 *data, u32 caplen, u32 wirelen)
{
	struct replay_verdict v = {
		.reason = VG_R_NONE, .cls = REPLAY_CLASS_OTHER, .stream = -1,
	};
	struct replay_counts *c = &r->counts;
	struct replay_pkt pk;
	enum decode_status st;
	u32 off = 0, ver;

	(void)wirelen;	/* a short capture shows in the IP lengths */
	memset(&pk, 0, sizeof(pk));
	c->packets++;
	ver = link_decode(link, data, caplen, &off);
	if (!ver) {
		st = DECODE_NOT_IP;
	} else if (ver == 4) {
		c->ipv4++;
		st = ipv4_decode(&pk, data + off, caplen - off);
	} else {
		c->ipv6++;
		st = ipv6_decode(&pk, data + off, caplen - off);
	}
	if (st == DECODE_FRAGMENT) {
		struct replay_frag *f;

		c->fragments++;
		f = frag_add(r, &pk, ts_ns);
		if (f) {
			/* the whole datagram, judged as the hook sees it */
			c->reassembled++;
			st = l4_decode(&pk, f->buf, f->total, f->total);
			f->used = false;	/* buf stays valid until reuse */
		}
	}
	switch (st) {
	case DECODE_OK:
		if (pk.l4proto == IPPROTO_UDP_NUM) {
			c->udp++;
			v.reason = udp_packet(r, &pk, ts_ns, &v);
		} else {
			c->tcp++;
			if (in_ranges(r->cfg.sip_ports, r->cfg.n_sip_ports,
				      pk.dport) ||
			    in_ranges(r->cfg.sip_ports, r->cfg.n_sip_ports,
				      pk.sport)) {
				v.cls = REPLAY_CLASS_SIP;
				if (pk.len)
					v.reason = sip_tcp(r, &pk, ts_ns);
			}
		}
		break;
	case DECODE_NOT_IP:
		c->not_ip++;
		break;
	case DECODE_TRUNCATED:
		c->truncated++;
		break;
	case DECODE_FRAGMENT:
		break;
	case DECODE_OTHER_L4:
		break;
	case DECODE_MALFORMED_L4:
		v.reason = VG_R_MALFORMED_L4;
		break;
	}
	c->classes[v.cls]++;
	if (v.reason == VG_R_NONE) {
		c->accepted++;
	} else {
		c->dropped++;
		if ((unsigned int)v.reason < VG_R__COUNT)
			c->drops[v.reason]++;
	}
	return v;
}
