// SPDX-License-Identifier: GPL-2.0
/*
 * Call logic: dialog state and SDP offer/answer (RFC 3261, RFC 3264,
 * RFC 6337) reduced to what a media firewall acts on.
 */
#include "call.h"
#include "rtp.h"

static const struct vg_call_config vg_call_default_config = {
	.n_emergency = 3,
	.emergency = { "911", "112", "urn:service:sos" },
};

void vg_call_config_default(struct vg_call_config *cfg)
{
	*cfg = vg_call_default_config;
}

const char *vg_call_state_name(enum vg_call_state s)
{
	switch (s) {
	case VG_CALL_IDLE:
		return "idle";
	case VG_CALL_INVITED:
		return "invited";
	case VG_CALL_EARLY:
		return "early";
	case VG_CALL_ANSWERED:
		return "answered";
	case VG_CALL_CONFIRMED:
		return "confirmed";
	case VG_CALL_ENDED:
		return "ended";
	}
	return "unknown";
}

/* Prefix entry ("urn:service:sos") against a whole URI. */
static bool uri_prefix_match(const struct vg_str *uri, const char *pfx, u32 pl)
{
	char c;

	if (uri->len < pl || vg_strncasecmp(uri->p, pfx, pl))
		return false;
	if (uri->len == pl)
		return true;
	c = uri->p[pl];
	/* a sub-service ("sos.fire") or parameters, not "sosx" */
	return c == '.' || c == ';' || c == '?';
}

static bool uri_is_emergency(const struct vg_call_config *cfg,
			     const struct vg_str *uri)
{
	struct vg_str user;
	u32 k;

	if (!uri->len)
		return false;
	user = vg_sip_uri_user(uri);
	for (k = 0; k < cfg->n_emergency && k < VG_CALL_MAX_EMERGENCY; k++) {
		const char *e = cfg->emergency[k];
		u32 el = (u32)strnlen(e, VG_CALL_EMERGENCY_LEN);

		if (!el)
			continue;
		if (memchr(e, ':', el)) {
			if (uri_prefix_match(uri, e, el))
				return true;
		} else if (user.len == el && !memcmp(user.p, e, el)) {
			return true;
		}
	}
	return false;
}

bool vg_call_is_emergency(const struct vg_call_config *cfg,
			  const struct vg_sip_msg *msg)
{
	if (!cfg)
		cfg = &vg_call_default_config;
	return uri_is_emergency(cfg, &msg->uri);
}

/*
 * Whether an Accept value admits application/sdp (a media range of
 * application/sdp, application/ * or * / *). RFC 3261 20.1: an empty
 * Accept admits nothing; an absent one admits application/sdp.
 */
static bool accept_allows_sdp(const struct vg_str *accept)
{
	const char *s = accept->p;
	u32 n = accept->len, i = 0;

	while (i < n) {
		u32 e = i, a, b;
		bool quoted = false;

		while (e < n && (quoted || s[e] != ',')) {
			if (s[e] == '"')
				quoted = !quoted;
			e++;
		}
		a = i;
		while (a < e && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' ||
				 s[a] == '\n'))
			a++;
		b = a;
		while (b < e && s[b] != ';' && s[b] != ' ' && s[b] != '\t' &&
		       s[b] != '\r' && s[b] != '\n')
			b++;
		if ((b - a == 15 && !vg_strncasecmp(s + a, "application/sdp", 15)) ||
		    (b - a == 13 && !vg_strncasecmp(s + a, "application/*", 13)) ||
		    (b - a == 3 && !memcmp(s + a, "*/*", 3)))
			return true;
		i = e + 1;
	}
	return false;
}

/* FNV-1a: the call keeps a hash of the caller's From tag, not a copy. */
static u32 tag_hash(const struct vg_str *s)
{
	u32 h = 2166136261u, i;

	for (i = 0; i < s->len; i++) {
		h ^= (u8)s->p[i];
		h *= 16777619u;
	}
	return h;
}

void vg_media_desc_from_sdp(struct vg_media_desc *d, const struct vg_sdp *sdp,
			    const struct vg_sdp_media *m)
{
	u32 k;

	memset(d, 0, sizeof(*d));
	d->addr = m->conn;
	d->port = m->port;
	if (m->flags & VG_SDP_M_RTCP_MUX)
		d->rtcp_port = 0;
	else if (m->flags & VG_SDP_M_RTCP_ATTR)
		d->rtcp_port = m->rtcp_port;
	else if (m->port && m->port < 65535)
		d->rtcp_port = (u16)(m->port + 1);
	d->ptime = m->ptime;
	d->kind = (u8)m->kind;
	d->proto = (u8)m->proto;
	d->dir = (u8)vg_sdp_media_dir(sdp, m);
	if (vg_sdp_media_usable(m))
		d->flags |= VG_MD_USABLE;
	else if (vg_sdp_media_held(m))
		d->flags |= VG_MD_HELD;
	if (m->flags & VG_SDP_M_RTCP_MUX)
		d->flags |= VG_MD_RTCP_MUX;
	if (vg_sdp_proto_is_srtp(m->proto) || (m->flags & VG_SDP_M_CRYPTO))
		d->flags |= VG_MD_SRTP;
	d->first_pt = m->first_pt;
	d->clock = m->n_pts ? vg_sdp_clock_rate(m, m->first_pt) : 0;
	d->bw_as = m->bw_as ? m->bw_as : sdp->bw_as;
	d->pts = m->pts;
	for (k = 0; k < m->n_rtpmap; k++) {
		const struct vg_sdp_rtpmap *map = &m->rtpmap[k];
		struct vg_str codec = { sdp->base + map->codec_off,
					map->codec_len };

		if (!vg_pt_set_has(&m->pts, map->pt))
			continue;
		/* RFC 4733's media subtype; MIME names ignore case */
		if (!(d->flags & VG_MD_EVENT) &&
		    vg_str_ieq(&codec, "telephone-event")) {
			d->flags |= VG_MD_EVENT;
			d->event_pt = map->pt;
		}
		if (d->n_clocks < VG_MD_MAX_CLOCKS) {
			d->clocks[d->n_clocks].pt = map->pt;
			d->clocks[d->n_clocks].clock = map->clock;
			d->n_clocks++;
		}
	}
}

u32 vg_pinhole_clock(const struct vg_pinhole *ph, u8 pt)
{
	u32 k, c;

	for (k = 0; k < ph->n_clocks && k < VG_PH_MAX_CLOCKS; k++)
		if (ph->clocks[k].pt == pt)
			return ph->clocks[k].clock;
	c = vg_rtp_static_clock(pt);
	return c ? c : ph->clock;
}

void vg_pinhole_stream_init(const struct vg_pinhole *ph, u8 pt,
			    struct vg_rtp_stream *s)
{
	u32 clock = vg_pinhole_clock(ph, pt);

	/* a key pressed at once: the stream's clock is the voice's */
	if ((ph->flags & VG_PH_EVENT) && pt == ph->event_pt && ph->clock)
		clock = ph->clock;
	vg_rtp_stream_init(s, clock);
	if (ph->flags & VG_PH_EVENT)
		vg_rtp_stream_set_event_pt(s, ph->event_pt);
}

void vg_pinhole_dst(const struct vg_pinhole *ph, struct vg_addr *dst)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = ph->family;
	memcpy(dst->addr, ph->dst, ph->family == VG_AF_INET ? 4 : 16);
}

enum vg_reason vg_call_msg_sdp(const struct vg_sip_msg *msg,
			       struct vg_sdp *sdp, bool *present)
{
	struct vg_str found;

	*present = false;
	/* ambiguous framing: trust no media description in it */
	if (msg->flags & (VG_SIP_F_CL_CONFLICT | VG_SIP_F_DUPLICATE))
		return VG_R_NONE;
	if (!msg->body.len || !msg->content_type.len)
		return VG_R_NONE;
	if (!vg_sdp_find(&msg->content_type, &msg->body, &found))
		return VG_R_NONE;
	*present = true;
	return vg_sdp_parse(found.p, found.len, sdp);
}

static bool dir_receives(u8 dir)
{
	return dir == VG_SDP_DIR_SENDRECV || dir == VG_SDP_DIR_RECVONLY;
}

static bool dir_sends(u8 dir)
{
	return dir == VG_SDP_DIR_SENDRECV || dir == VG_SDP_DIR_SENDONLY;
}

static void fill_pinhole(struct vg_pinhole *ph, const struct vg_media_desc *rx,
			 const struct vg_media_desc *tx, u8 receiver, u8 index,
			 bool mux)
{
	u32 k;

	memset(ph, 0, sizeof(*ph));
	ph->family = rx->addr.family;
	ph->l4proto = 17;
	ph->receiver = receiver;
	ph->media_index = index;
	ph->kind = rx->kind;
	if (dir_receives(rx->dir) && dir_sends(tx->dir))
		ph->flags |= VG_PH_RTP;
	if (mux)
		ph->flags |= VG_PH_RTCP_MUX;
	if (rx->flags & VG_MD_SRTP)
		ph->flags |= VG_PH_SRTP;
	if (rx->flags & VG_MD_EVENT) {
		ph->flags |= VG_PH_EVENT;
		ph->event_pt = rx->event_pt;
	}
	ph->first_pt = rx->first_pt;
	memcpy(ph->dst, rx->addr.addr, sizeof(ph->dst));
	ph->dst_port = rx->port;
	ph->rtcp_port = mux ? 0 : (rx->rtcp_port ? rx->rtcp_port :
				   (u16)(rx->port < 65535 ? rx->port + 1 : 0));
	ph->ptime = rx->ptime;
	ph->clock = rx->clock;
	ph->bw_as = rx->bw_as;
	ph->peer = tx->addr;
	ph->pts = rx->pts;
	ph->n_clocks = rx->n_clocks;
	for (k = 0; k < rx->n_clocks && k < VG_PH_MAX_CLOCKS; k++) {
		ph->clocks[k].pt = rx->clocks[k].pt;
		ph->clocks[k].clock = rx->clocks[k].clock;
	}
}

static void record_offer(struct vg_call *call, const struct vg_sdp *sdp,
			 u8 sender, u32 cseq)
{
	u32 k;

	call->n_offer = (u8)sdp->n_media;
	for (k = 0; k < sdp->n_media; k++)
		vg_media_desc_from_sdp(&call->offer[k], sdp, &sdp->media[k]);
	call->offerer = sender;
	call->offer_cseq = cseq;
	call->offer_pending = true;
	call->has_offer = true;
}

/*
 * The answer meets the stored offer: m= lines pair by index (RFC 3264 6);
 * each usable pair opens one pinhole towards each side. A side held with
 * an unspecified address gets none, but may send to the other.
 */
static void apply_answer(struct vg_call *call, const struct vg_sdp *answer,
			 struct vg_call_decision *dec)
{
	u32 k, n = call->n_offer;

	if (answer->n_media < n)
		n = answer->n_media;
	dec->n_pinholes = 0;
	for (k = 0; k < n; k++) {
		const struct vg_media_desc *o = &call->offer[k];
		struct vg_media_desc a;
		u8 answerer = call->offerer == VG_SIDE_CALLER ? VG_SIDE_CALLEE
							      : VG_SIDE_CALLER;
		bool mux;

		vg_media_desc_from_sdp(&a, answer, &answer->media[k]);
		if (o->addr.family != a.addr.family ||
		    !((o->flags | a.flags) & VG_MD_USABLE) ||
		    !(o->flags & (VG_MD_USABLE | VG_MD_HELD)) ||
		    !(a.flags & (VG_MD_USABLE | VG_MD_HELD)))
			continue;
		/* RFC 5761: muxed only when both sides agree */
		mux = (o->flags & VG_MD_RTCP_MUX) && (a.flags & VG_MD_RTCP_MUX);
		if (o->flags & VG_MD_USABLE)
			fill_pinhole(&dec->pinholes[dec->n_pinholes++], o, &a,
				     call->offerer, (u8)k, mux);
		if (a.flags & VG_MD_USABLE)
			fill_pinhole(&dec->pinholes[dec->n_pinholes++], &a, o,
				     answerer, (u8)k, mux);
	}
	call->offer_pending = false;
	call->answered = true;
	dec->events |= VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA;
}

/* SDP in a request: offer, or the answer to an offer made in a response. */
static void request_sdp(struct vg_call *call, const struct vg_sip_msg *msg,
			const struct vg_sdp *sdp, u8 sender,
			struct vg_call_decision *dec)
{
	bool answers = call->offer_pending && call->offerer != sender;

	switch (msg->method) {
	case VG_SIP_M_ACK:
		if (answers && msg->cseq == call->offer_cseq)
			apply_answer(call, sdp, dec);
		return;
	case VG_SIP_M_PRACK:
		if (answers) {
			apply_answer(call, sdp, dec);
			return;
		}
		break;
	case VG_SIP_M_INVITE:
	case VG_SIP_M_UPDATE:
		break;
	default:
		return;		/* SDP elsewhere (MESSAGE, INFO) is no offer */
	}
	record_offer(call, sdp, sender, msg->cseq);
	dec->events |= VG_CALL_EV_OFFER;
	if (call->answered)
		dec->events |= VG_CALL_EV_REOFFER;
}

/* SDP in a 101..299 response to INVITE, UPDATE or PRACK. */
static void response_sdp(struct vg_call *call, const struct vg_sip_msg *msg,
			 const struct vg_sdp *sdp, u8 sender,
			 struct vg_call_decision *dec)
{
	bool same_txn = call->has_offer && call->offer_cseq == msg->cseq;

	if (same_txn && call->offerer != sender) {
		/* first answer, or the same answer again in the 2xx */
		apply_answer(call, sdp, dec);
		return;
	}
	/*
	 * An offer of this response's own transaction, answered already
	 * (in a PRACK): the 2xx repeats it (RFC 6337 3.1.1), it offers
	 * nothing new.
	 */
	if (same_txn && !call->offer_pending)
		return;
	if (msg->cseq_method != VG_SIP_M_INVITE || call->offer_pending)
		return;
	/* an INVITE without SDP: the response carries the offer */
	record_offer(call, sdp, sender, msg->cseq);
	dec->events |= VG_CALL_EV_OFFER;
	if (call->answered)
		dec->events |= VG_CALL_EV_REOFFER;
}

static void end_call(struct vg_call *call, struct vg_call_decision *dec)
{
	call->state = VG_CALL_ENDED;
	call->offer_pending = false;
	dec->events |= VG_CALL_EV_END;
}

/* The copy of the initial INVITE that msg belongs to (top Via), or -1. */
static int branch_index(const struct vg_call *call,
			const struct vg_sip_msg *msg)
{
	u32 h = tag_hash(&msg->via.branch), k;

	for (k = 0; k < call->n_branches && k < VG_CALL_MAX_BRANCHES; k++)
		if (call->branch_hash[k] == h)
			return (int)k;
	return -1;
}

static void branch_add(struct vg_call *call, const struct vg_sip_msg *msg)
{
	if (call->n_branches < VG_CALL_MAX_BRANCHES)
		call->branch_hash[call->n_branches++] =
			tag_hash(&msg->via.branch);
}

/*
 * A final failure or a CANCEL of one copy of the initial INVITE. A forking
 * proxy on the path sends a copy to each target, each with its own Via
 * branch: the call ends when every copy seen has failed. A copy never
 * seen ends it at once.
 */
static void branch_failed(struct vg_call *call, const struct vg_sip_msg *msg,
			  struct vg_call_decision *dec)
{
	u32 all = (1u << call->n_branches) - 1;
	int k = branch_index(call, msg);

	if (k >= 0) {
		call->failed_branches |= 1u << k;
		if ((call->failed_branches & all) != all)
			return;
	}
	end_call(call, dec);
}

static void handle_request(struct vg_call *call, const struct vg_sip_msg *msg,
			   const struct vg_sdp *sdp,
			   u8 sender, struct vg_call_decision *dec)
{
	switch (msg->method) {
	case VG_SIP_M_INVITE:
		if (msg->cseq == call->invite_cseq && !msg->to.tag.len) {
			/* a retransmission, or a proxy's copy for a fork */
			if (call->state < VG_CALL_ANSWERED &&
			    branch_index(call, msg) < 0)
				branch_add(call, msg);
			return;
		}
		break;
	case VG_SIP_M_ACK:
		if (call->state == VG_CALL_ANSWERED &&
		    msg->cseq == call->invite_cseq) {
			call->state = VG_CALL_CONFIRMED;
			dec->events |= VG_CALL_EV_CONFIRMED;
		}
		break;
	case VG_SIP_M_BYE:
		end_call(call, dec);
		return;
	case VG_SIP_M_CANCEL:
		/* CANCEL only ends a call that is not answered yet */
		if (call->state < VG_CALL_ANSWERED &&
		    msg->cseq == call->invite_cseq)
			branch_failed(call, msg, dec);
		return;
	default:
		break;
	}
	if (sdp)
		request_sdp(call, msg, sdp, sender, dec);
}

static void handle_response(struct vg_call *call, const struct vg_sip_msg *msg,
			    const struct vg_sdp *sdp, u8 sender,
			    struct vg_call_decision *dec)
{
	u16 st = msg->status;
	bool initial = msg->cseq_method == VG_SIP_M_INVITE &&
		       msg->cseq == call->invite_cseq;

	if (msg->cseq_method == VG_SIP_M_INVITE && st >= 300) {
		if (initial && call->state < VG_CALL_ANSWERED) {
			branch_failed(call, msg, dec);
		} else if (call->offer_pending &&
			   call->offer_cseq == msg->cseq) {
			/* refused re-offer: the media in use stays (RFC 3264 8) */
			call->offer_pending = false;
			call->has_offer = false;
			dec->events |= VG_CALL_EV_OFFER_FAILED;
		}
		return;
	}
	if (st >= 300)
		return;
	/* every one restarts the ring timer (Timer C, RFC 3261 16.6) */
	if (initial && st > 100 && st < 200 &&
	    call->state < VG_CALL_ANSWERED) {
		call->state = VG_CALL_EARLY;
		dec->events |= VG_CALL_EV_EARLY;
	}
	if (initial && st >= 200 && call->state < VG_CALL_ANSWERED) {
		call->state = VG_CALL_ANSWERED;
		dec->events |= VG_CALL_EV_ANSWERED;
		if (msg->to.tag.len) {
			call->callee_tag_hash = tag_hash(&msg->to.tag);
			call->has_callee_tag = true;
		}
	}
	if (!sdp || st == 100)
		return;
	if (msg->cseq_method != VG_SIP_M_INVITE &&
	    msg->cseq_method != VG_SIP_M_UPDATE &&
	    msg->cseq_method != VG_SIP_M_PRACK)
		return;
	/* the INVITE's Accept ruled out an SDP answer (RFC 4475 sdp01) */
	if (initial && call->no_sdp_answer)
		return;
	response_sdp(call, msg, sdp, sender, dec);
}

/*
 * Whether msg belongs to the call's dialog. A request without a To tag
 * that is not the caller's comes from another UA that chose the same
 * Call-ID. Once a 2xx has answered, the call is that 2xx's dialog: the
 * other forks' 2xx and their dialogs (RFC 3261 13.2.2.4) leave it alone.
 */
static bool in_dialog(const struct vg_call *call, const struct vg_sip_msg *msg,
		      bool from_caller)
{
	const struct vg_str *peer = from_caller ? &msg->to.tag : &msg->from.tag;

	if (msg->is_request && !from_caller && !msg->to.tag.len)
		return false;
	return !call->has_callee_tag || !peer->len ||
	       tag_hash(peer) == call->callee_tag_hash;
}

enum vg_reason vg_call_update(struct vg_call *call,
			      const struct vg_call_config *cfg,
			      const struct vg_sip_msg *msg,
			      struct vg_sdp *scratch,
			      struct vg_call_decision *dec)
{
	enum vg_reason r;
	const struct vg_sdp *sdp = NULL;
	bool has_sdp, from_caller;
	u8 sender;

	memset(dec, 0, sizeof(*dec));
	if (!cfg)
		cfg = &vg_call_default_config;
	r = vg_call_msg_sdp(msg, scratch, &has_sdp);
	if (r) {
		dec->events |= VG_CALL_EV_BAD_SDP;
		has_sdp = false;
	}
	if (has_sdp)
		sdp = scratch;

	if (call->state == VG_CALL_IDLE) {
		/* only an out-of-dialog INVITE begins a call */
		if (!msg->is_request || msg->method != VG_SIP_M_INVITE ||
		    msg->to.tag.len) {
			dec->events |= VG_CALL_EV_IGNORED;
			dec->state = call->state;
			return r;
		}
		memset(call, 0, sizeof(*call));
		call->state = VG_CALL_INVITED;
		call->invite_cseq = msg->cseq;
		call->caller_tag_hash = tag_hash(&msg->from.tag);
		branch_add(call, msg);
		call->emergency = vg_call_is_emergency(cfg, msg);
		call->no_sdp_answer = msg->accept.p &&
				      !accept_allows_sdp(&msg->accept);
		dec->events |= VG_CALL_EV_NEW;
		if (call->emergency)
			dec->events |= VG_CALL_EV_EMERGENCY;
		dec->from = VG_SIDE_CALLER;
		if (sdp)
			request_sdp(call, msg, sdp, VG_SIDE_CALLER, dec);
		dec->state = call->state;
		return r;
	}
	if (call->state == VG_CALL_ENDED) {
		dec->events |= VG_CALL_EV_IGNORED;
		dec->state = call->state;
		return r;
	}

	/* who sent it: requests carry the sender's tag in From */
	from_caller = tag_hash(&msg->from.tag) == call->caller_tag_hash;
	if (msg->is_request)
		sender = from_caller ? VG_SIDE_CALLER : VG_SIDE_CALLEE;
	else
		sender = from_caller ? VG_SIDE_CALLEE : VG_SIDE_CALLER;
	dec->from = sender;

	if (!in_dialog(call, msg, from_caller))
		dec->events |= VG_CALL_EV_IGNORED;
	else if (msg->is_request)
		handle_request(call, msg, sdp, sender, dec);
	else
		handle_response(call, msg, sdp, sender, dec);
	if (!dec->events)
		dec->events |= VG_CALL_EV_IGNORED;
	dec->state = call->state;
	return r;
}
