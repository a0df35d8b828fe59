/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call logic: what one SIP message does to a call. Pure functions over a
 * small state struct that the kernel's call table and "vgctl replay" both
 * embed in their own call objects, so the decisions exist once.
 *
 * Usage, per valid SIP message of a dialog (looked up by Call-ID):
 *
 *	struct vg_call st = {0};        // or the stored state of the call
 *	struct vg_sdp scratch;          // large: not on a kernel stack
 *	r = vg_call_update(&st, &cfg, &msg, &scratch, &dec);
 *	if (dec.events & VG_CALL_EV_NEW)     create the call, store st
 *	if (dec.events & VG_CALL_EV_MEDIA)   replace the call's pinholes with
 *	                                     dec.pinholes[0..n_pinholes)
 *	if (dec.events & VG_CALL_EV_END)     close its pinholes, end the call
 *
 * Offer/answer follows RFC 3264 and RFC 6337: media opens when an answer
 * meets a pending offer (in a 18x/2xx, or in the ACK or PRACK for an offer
 * made in a response); an offer alone opens nothing.
 */
#ifndef VG_CORE_CALL_H
#define VG_CORE_CALL_H

#include "vg_base.h"
#include "reason.h"
#include "sip.h"
#include "sdp.h"

struct vg_rtp_stream;

#define VG_CALL_MAX_BRANCHES	4	/* copies of a forked INVITE tracked */
#define VG_CALL_MAX_EMERGENCY	8
#define VG_CALL_EMERGENCY_LEN	32

/*
 * Emergency destinations. An entry with a ':' is a URI prefix matched
 * case-insensitively against the Request-URI ("urn:service:sos" also
 * matches "urn:service:sos.fire"); any other entry is a user part matched
 * exactly ("911" matches sip:911@host and tel:911). The To URI does not
 * count: the request goes where its Request-URI says, and a To that any
 * sender may write would lift the limits off requests to anyone.
 */
struct vg_call_config {
	u8 n_emergency;
	char emergency[VG_CALL_MAX_EMERGENCY][VG_CALL_EMERGENCY_LEN];
};

/* Defaults: "911", "112" and "urn:service:sos". */
void vg_call_config_default(struct vg_call_config *cfg);

/* Whether msg's Request-URI is an emergency destination. */
bool vg_call_is_emergency(const struct vg_call_config *cfg,
			  const struct vg_sip_msg *msg);

enum vg_call_state {
	VG_CALL_IDLE = 0,	/* no call yet (a zeroed struct) */
	VG_CALL_INVITED,	/* initial INVITE seen */
	VG_CALL_EARLY,		/* a 101..199 to it */
	VG_CALL_ANSWERED,	/* a 2xx to it */
	VG_CALL_CONFIRMED,	/* the ACK for the 2xx */
	VG_CALL_ENDED,		/* BYE, CANCEL, or a final failure */
};

/* Name for JSON and logs: "idle", "invited", "early", ... */
const char *vg_call_state_name(enum vg_call_state s);

enum vg_call_side {
	VG_SIDE_CALLER = 0,	/* sent the initial INVITE */
	VG_SIDE_CALLEE = 1,
};

#define VG_MD_USABLE	0x01u	/* vg_sdp_media_usable() said yes */
#define VG_MD_RTCP_MUX	0x02u
#define VG_MD_SRTP	0x04u	/* secure transport or a=crypto */
#define VG_MD_EVENT	0x08u	/* event_pt carries telephone-event */
/* usable but for its address, 0.0.0.0 or :: (hold, RFC 3264 8.4) */
#define VG_MD_HELD	0x10u

#define VG_MD_MAX_CLOCKS	4

/* One side's receive description of one m= line, as the call keeps it. */
struct vg_media_desc {
	struct vg_addr addr;	/* where this side receives */
	u16 port;
	u16 rtcp_port;		/* a=rtcp or port + 1; 0 with rtcp-mux */
	u16 ptime;		/* ms, 0 when not given */
	u8 kind;		/* enum vg_sdp_media_kind */
	u8 proto;		/* enum vg_sdp_proto */
	u8 dir;			/* effective enum vg_sdp_dir */
	u8 flags;		/* VG_MD_* */
	u8 first_pt;
	u8 event_pt;		/* RFC 4733 telephone-event, with VG_MD_EVENT */
	u32 clock;		/* clock rate of first_pt; 0 if unknown */
	u32 bw_as;		/* kbit/s, media else session; 0 if absent */
	struct vg_pt_set pts;
	u8 n_clocks;
	struct {
		u8 pt;
		u32 clock;
	} clocks[VG_MD_MAX_CLOCKS];	/* per-PT clock rates from a=rtpmap */
};

/* Fill d from m of sdp (the effective address, direction, clock ...). */
void vg_media_desc_from_sdp(struct vg_media_desc *d, const struct vg_sdp *sdp,
			    const struct vg_sdp_media *m);

/*
 * Per-call state. Plain data: zero it for a new call; copy it freely.
 * Only vg_call_update() should change it.
 */
struct vg_call {
	u8 state;		/* enum vg_call_state */
	u8 offerer;		/* enum vg_call_side of the stored offer */
	bool offer_pending;	/* an offer waits for its answer */
	bool has_offer;		/* offer[] holds the latest offer */
	bool answered;		/* some answer has opened media */
	bool emergency;
	bool no_sdp_answer;	/* INVITE's Accept excludes application/sdp */
	bool has_callee_tag;	/* callee_tag_hash is set */
	u8 n_offer;		/* entries in offer[] */
	u8 n_branches;		/* entries in branch_hash[] */
	u8 failed_branches;	/* bit k: branch k was refused or cancelled */
	/* hash of the top Via branch of each copy of the initial INVITE */
	u32 branch_hash[VG_CALL_MAX_BRANCHES];
	u32 invite_cseq;	/* CSeq of the initial INVITE */
	u32 offer_cseq;		/* CSeq of the message that carried the offer */
	u32 caller_tag_hash;	/* hash of the initial INVITE's From tag */
	u32 callee_tag_hash;	/* hash of the first 2xx's To tag: the dialog */
	struct vg_media_desc offer[VG_SDP_MAX_MEDIA];
};

/* Decision events (bits; several can happen at once). */
#define VG_CALL_EV_NEW		0x0001u	/* initial INVITE: a call begins */
#define VG_CALL_EV_OFFER	0x0002u	/* SDP offer recorded */
#define VG_CALL_EV_REOFFER	0x0004u	/* an offer inside an established call */
#define VG_CALL_EV_ANSWER	0x0008u	/* SDP answer met the offer */
#define VG_CALL_EV_MEDIA	0x0010u	/* pinholes[] replace the call's media */
#define VG_CALL_EV_EARLY	0x0020u	/* it rings: 101..199 to the INVITE */
#define VG_CALL_EV_ANSWERED	0x0040u	/* 2xx to the initial INVITE */
#define VG_CALL_EV_CONFIRMED	0x0080u	/* ACK of the 2xx */
#define VG_CALL_EV_END		0x0100u	/* BYE, CANCEL, final failure */
#define VG_CALL_EV_EMERGENCY	0x0200u	/* the new call is an emergency call */
#define VG_CALL_EV_OFFER_FAILED	0x0400u	/* re-offer refused: media unchanged */
#define VG_CALL_EV_BAD_SDP	0x0800u	/* SDP present but unusable as SDP */
#define VG_CALL_EV_IGNORED	0x1000u	/* no effect on any call */

#define VG_PH_RTP	0x01u	/* RTP may flow to this receiver (direction) */
#define VG_PH_RTCP_MUX	0x02u	/* RTCP shares the RTP port (RFC 5761) */
#define VG_PH_SRTP	0x04u	/* SRTP transport or a=crypto */
#define VG_PH_EVENT	0x08u	/* event_pt carries telephone-event */

#define VG_PH_MAX_CLOCKS	VG_MD_MAX_CLOCKS

/* One media pinhole: traffic to (dst, dst_port[, rtcp_port]) over UDP. */
struct vg_pinhole {
	u8 family;		/* enum vg_af */
	u8 l4proto;		/* 17: UDP */
	u8 receiver;		/* enum vg_call_side that receives here */
	u8 media_index;		/* m= line number (0-based) */
	u8 kind;		/* enum vg_sdp_media_kind */
	u8 flags;		/* VG_PH_* */
	u8 first_pt;		/* the preferred payload type */
	u8 n_clocks;
	u8 event_pt;		/* RFC 4733 telephone-event, with VG_PH_EVENT */
	u8 dst[16];
	u16 dst_port;
	u16 rtcp_port;		/* 0 with rtcp-mux */
	u16 ptime;		/* ms; 0 when not given */
	u32 clock;		/* clock rate of first_pt; 0 if unknown */
	u32 bw_as;		/* receiver's b=AS, 0 when absent */
	struct vg_addr peer;	/* expected sender: the other side's c= */
	struct vg_pt_set pts;	/* allowed payload types */
	struct {
		u8 pt;
		u32 clock;
	} clocks[VG_PH_MAX_CLOCKS];	/* per-PT clock rates known */
};

/* Clock rate for pt on a pinhole: clocks[], else static, else ph->clock. */
u32 vg_pinhole_clock(const struct vg_pinhole *ph, u8 pt);

/*
 * Start the statistics of the stream to ph whose first packet has payload
 * type pt: its clock rate (the first codec's when pt is the telephone
 * event type), and telephone events kept out of jitter.
 */
void vg_pinhole_stream_init(const struct vg_pinhole *ph, u8 pt,
			    struct vg_rtp_stream *s);

/*
 * The pinhole's receiving address as a struct vg_addr, zero past the
 * family's length, so that it hashes and compares as a key.
 */
void vg_pinhole_dst(const struct vg_pinhole *ph, struct vg_addr *dst);

struct vg_call_decision {
	u32 events;		/* VG_CALL_EV_* */
	u8 from;		/* enum vg_call_side that sent the message */
	u8 n_pinholes;
	u8 state;		/* enum vg_call_state after the message */
	struct vg_pinhole pinholes[2 * VG_SDP_MAX_MEDIA];
};

/*
 * Find and parse the SDP of a valid message (application/sdp, or the SDP
 * part of a multipart body). *present says whether the message carries
 * SDP; VG_R_SIP_BAD_SDP when it does but it does not parse. A message
 * whose framing is ambiguous (conflicting Content-Length, repeated
 * single-value headers) is treated as carrying no SDP.
 */
enum vg_reason vg_call_msg_sdp(const struct vg_sip_msg *msg,
			       struct vg_sdp *sdp, bool *present);

/*
 * Apply one valid SIP message (vg_sip_parse() said VG_R_NONE) to call
 * state *call and say what happened in *dec. The message's SDP is found
 * and parsed into *scratch (caller storage, contents undefined after).
 * cfg NULL means the defaults. Deterministic; no allocation; no clock.
 *
 * Returns VG_R_NONE, or VG_R_SIP_BAD_SDP when the message carries SDP that
 * does not parse (VG_CALL_EV_BAD_SDP; the state is then updated as if the
 * message had no SDP, so nothing opens). The caller decides what to drop.
 */
enum vg_reason vg_call_update(struct vg_call *call,
			      const struct vg_call_config *cfg,
			      const struct vg_sip_msg *msg,
			      struct vg_sdp *scratch,
			      struct vg_call_decision *dec);

#endif /* VG_CORE_CALL_H */
