// SPDX-License-Identifier: GPL-2.0
/*
 * Call logic: real message sequences (built here, and from the corpus)
 * through vg_call_update(), with the decisions and pinholes asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "call.h"
#include "rtp.h"

#define CRLF "\r\n"

static struct vg_call call;
static struct vg_call_decision dec;
static struct vg_sdp scratch;
static char msgbuf[8192];
static enum vg_reason last_reason;

/*
 * One message of the dialog between alice (caller, tag "a1") and bob
 * (callee, tag "b2"). start: the start line; from_caller: who sends it
 * (requests only: responses always travel callee to caller here unless
 * the request was the callee's); body: SDP or NULL.
 */
struct msg_spec {
	const char *start;
	const char *from;	/* From header value */
	const char *to;		/* To header value */
	unsigned int cseq;
	const char *method;	/* CSeq method */
	const char *ctype;	/* NULL: application/sdp when body */
	const char *extra;	/* extra header lines, CRLF-terminated */
	const char *body;
};

/* Top Via branch of the messages apply() builds; NULL: z9hG4bK<cseq>. */
static const char *via_branch;

#define ALICE "<sip:alice@example.org>;tag=a1"
#define BOB "<sip:bob@example.com>;tag=b2"
#define BOB_NOTAG "<sip:bob@example.com>"

static u32 apply(const struct msg_spec *s)
{
	struct vg_sip_msg msg;
	size_t blen = s->body ? strlen(s->body) : 0;
	char branch[32];
	enum vg_reason r;
	int n;

	if (via_branch)
		snprintf(branch, sizeof(branch), "%s", via_branch);
	else
		snprintf(branch, sizeof(branch), "z9hG4bK%u", s->cseq);
	n = snprintf(msgbuf, sizeof(msgbuf),
		     "%s" CRLF
		     "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=%s" CRLF
		     "Max-Forwards: 70" CRLF
		     "From: %s" CRLF "To: %s" CRLF
		     "Call-ID: call-1@example.org" CRLF
		     "CSeq: %u %s" CRLF
		     "%s"
		     "%s%s%s"
		     "Content-Length: %zu" CRLF CRLF "%s",
		     s->start, branch, s->from, s->to, s->cseq, s->method,
		     s->extra ? s->extra : "",
		     s->body ? "Content-Type: " : "",
		     s->body ? (s->ctype ? s->ctype : "application/sdp") : "",
		     s->body ? CRLF : "", blen, s->body ? s->body : "");
	if (n <= 0 || (size_t)n >= sizeof(msgbuf))
		return 0xffffffffu;
	r = vg_sip_parse(msgbuf, (u32)n, NULL, &msg);
	if (r != VG_R_NONE) {
		printf("# message did not parse: %s\n", vg_reason_name(r));
		return 0xffffffffu;
	}
	last_reason = vg_call_update(&call, NULL, &msg, &scratch, &dec);
	return dec.events;
}

static const char *sdp_alice =
	"v=0" CRLF "o=alice 1 1 IN IP4 192.0.2.10" CRLF "s=-" CRLF
	"c=IN IP4 192.0.2.10" CRLF "t=0 0" CRLF
	"m=audio 4000 RTP/AVP 0 8 101" CRLF
	"a=rtpmap:101 telephone-event/8000" CRLF "a=ptime:20" CRLF;
static const char *sdp_bob_moved =
	"v=0" CRLF "o=bob 2 3 IN IP4 198.51.100.20" CRLF "s=-" CRLF
	"c=IN IP4 198.51.100.20" CRLF "t=0 0" CRLF
	"m=audio 5008 RTP/AVP 0" CRLF;
static const char *sdp_bob =
	"v=0" CRLF "o=bob 2 2 IN IP4 198.51.100.20" CRLF "s=-" CRLF
	"c=IN IP4 198.51.100.20" CRLF "t=0 0" CRLF
	"m=audio 5000 RTP/AVP 0 101" CRLF
	"a=rtpmap:101 telephone-event/8000" CRLF;

static int v4_is(const u8 *a, u8 b0, u8 b1, u8 b2, u8 b3)
{
	return a[0] == b0 && a[1] == b1 && a[2] == b2 && a[3] == b3;
}

static const struct vg_pinhole *pinhole_for(u8 receiver)
{
	int k;

	for (k = 0; k < dec.n_pinholes; k++)
		if (dec.pinholes[k].receiver == receiver)
			return &dec.pinholes[k];
	return NULL;
}

static void invite(const char *body, const char *extra)
{
	struct msg_spec s = { "INVITE sip:bob@example.com SIP/2.0", ALICE,
			      BOB_NOTAG, 1, "INVITE", NULL, extra, body };

	memset(&call, 0, sizeof(call));
	apply(&s);
}

static u32 response(const char *status, unsigned int cseq, const char *method,
		    const char *body)
{
	struct msg_spec s = { status, ALICE, BOB, cseq, method, NULL, NULL,
			      body };

	return apply(&s);
}

static u32 caller_req(const char *start, unsigned int cseq, const char *method,
		      const char *body)
{
	struct msg_spec s = { start, ALICE, BOB, cseq, method, NULL, NULL, body };

	return apply(&s);
}

static u32 callee_req(const char *start, unsigned int cseq, const char *method,
		      const char *body)
{
	struct msg_spec s = { start, BOB, ALICE, cseq, method, NULL, NULL, body };

	return apply(&s);
}

/* a response to a request the callee sent: From is bob */
static u32 caller_resp(const char *status, unsigned int cseq,
		       const char *method, const char *body)
{
	struct msg_spec s = { status, BOB, ALICE, cseq, method, NULL, NULL, body };

	return apply(&s);
}

static void test_basic_call(void)
{
	const struct vg_pinhole *to_alice, *to_bob;

	invite(sdp_alice, NULL);
	is_int(dec.events, VG_CALL_EV_NEW | VG_CALL_EV_OFFER,
	       "INVITE with SDP: new call and offer");
	is_int(dec.n_pinholes, 0, "an offer alone opens nothing");
	is_str(vg_call_state_name(call.state), "invited", "state invited");
	ok(call.offer_pending && call.offerer == VG_SIDE_CALLER,
	   "offer pending from the caller");

	is_int(response("SIP/2.0 100 Trying", 1, "INVITE", NULL),
	       VG_CALL_EV_IGNORED, "100 Trying changes nothing");
	is_int(response("SIP/2.0 180 Ringing", 1, "INVITE", NULL),
	       VG_CALL_EV_EARLY, "180 without SDP: early");
	is_int(dec.from, VG_SIDE_CALLEE, "180 comes from the callee");
	is_int(response("SIP/2.0 182 Queued", 1, "INVITE", NULL),
	       VG_CALL_EV_EARLY, "each later 1xx rings again (Timer C)");
	is_int(response("SIP/2.0 180 Ringing", 2, "INVITE", NULL),
	       VG_CALL_EV_IGNORED, "a 1xx to another INVITE does not ring");

	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob),
	       VG_CALL_EV_ANSWERED | VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA,
	       "200 with SDP: answered, answer, media");
	is_int(dec.n_pinholes, 2, "one pinhole each way");
	to_alice = pinhole_for(VG_SIDE_CALLER);
	to_bob = pinhole_for(VG_SIDE_CALLEE);
	ok(to_alice && to_bob, "pinholes towards caller and callee");
	if (to_alice && to_bob) {
		ok(to_alice->family == VG_AF_INET &&
		   v4_is(to_alice->dst, 192, 0, 2, 10) &&
		   to_alice->dst_port == 4000 && to_alice->rtcp_port == 4001,
		   "towards the caller: its SDP address, RTP and RTCP ports");
		ok(to_alice->peer.family == VG_AF_INET &&
		   v4_is(to_alice->peer.addr, 198, 51, 100, 20),
		   "towards the caller: expected peer is the callee's c=");
		ok(vg_pt_set_has(&to_alice->pts, 0) &&
		   vg_pt_set_has(&to_alice->pts, 8) &&
		   vg_pt_set_has(&to_alice->pts, 101) &&
		   !vg_pt_set_has(&to_alice->pts, 9),
		   "towards the caller: the caller's payload types");
		is_int(to_alice->clock, 8000, "PCMU clock");
		is_int(vg_pinhole_clock(to_alice, 101), 8000,
		       "telephone-event clock");
		ok((to_alice->flags & VG_PH_EVENT) && to_alice->event_pt == 101,
		   "towards the caller: telephone-event is PT 101");
		is_int(to_alice->ptime, 20, "caller ptime");
		ok(to_alice->flags & VG_PH_RTP, "RTP allowed (sendrecv)");
		ok(!(to_alice->flags & (VG_PH_RTCP_MUX | VG_PH_SRTP)),
		   "no rtcp-mux, no SRTP");
		is_int(to_alice->l4proto, 17, "UDP");
		ok(v4_is(to_bob->dst, 198, 51, 100, 20) &&
		   to_bob->dst_port == 5000 && to_bob->rtcp_port == 5001,
		   "towards the callee: its SDP address and ports");
		ok(v4_is(to_bob->peer.addr, 192, 0, 2, 10),
		   "towards the callee: expected peer is the caller's c=");
		ok(vg_pt_set_has(&to_bob->pts, 0) && !vg_pt_set_has(&to_bob->pts, 8),
		   "towards the callee: the callee's payload types");
	}
	is_int(response("SIP/2.0 180 Ringing", 1, "INVITE", NULL),
	       VG_CALL_EV_IGNORED, "a late 180 after the 200 does not ring");
	is_int(caller_req("ACK sip:bob@198.51.100.20 SIP/2.0", 1, "ACK", NULL),
	       VG_CALL_EV_CONFIRMED, "ACK confirms");
	is_str(vg_call_state_name(call.state), "confirmed", "state confirmed");
	is_int(callee_req("BYE sip:alice@192.0.2.10 SIP/2.0", 1, "BYE", NULL),
	       VG_CALL_EV_END, "BYE from the callee ends the call");
	is_int(dec.from, VG_SIDE_CALLEE, "BYE sender is the callee");
	is_int(caller_resp("SIP/2.0 200 OK", 1, "BYE", NULL), VG_CALL_EV_IGNORED,
	       "200 to BYE after the end is ignored");
	is_str(vg_call_state_name(call.state), "ended", "state ended");
}

static void test_early_and_late(void)
{
	const struct vg_pinhole *ph;

	invite(sdp_alice, NULL);
	is_int(response("SIP/2.0 183 Session Progress", 1, "INVITE", sdp_bob),
	       VG_CALL_EV_EARLY | VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA,
	       "183 with SDP: early media opens");
	is_int(dec.n_pinholes, 2, "early media pinholes");
	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob),
	       VG_CALL_EV_ANSWERED | VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA,
	       "200 repeats the answer: media replaced with the same");

	/* late offer: INVITE without SDP, offer in 200, answer in ACK */
	invite(NULL, NULL);
	is_int(dec.events, VG_CALL_EV_NEW, "INVITE without SDP: new call only");
	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob),
	       VG_CALL_EV_ANSWERED | VG_CALL_EV_OFFER,
	       "200 with SDP after an SDP-less INVITE is the offer");
	is_int(dec.n_pinholes, 0, "the offer in the 200 opens nothing");
	ok(call.offerer == VG_SIDE_CALLEE, "the callee offered");
	is_int(caller_req("ACK sip:bob@198.51.100.20 SIP/2.0", 1, "ACK", sdp_alice),
	       VG_CALL_EV_CONFIRMED | VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA,
	       "ACK with SDP answers");
	ph = pinhole_for(VG_SIDE_CALLEE);
	ok(ph && ph->dst_port == 5000 && v4_is(ph->peer.addr, 192, 0, 2, 10),
	   "late offer: callee receives at its offer, from the caller");
	ph = pinhole_for(VG_SIDE_CALLER);
	ok(ph && ph->dst_port == 4000, "late offer: caller receives at its answer");

	/*
	 * Offer in a reliable 183, answer in the PRACK; the 200 repeats the
	 * offer. A later re-INVITE without SDP gets a new offer in its 200,
	 * answered in the ACK: that one moves the media.
	 */
	invite(NULL, NULL);
	response("SIP/2.0 183 Session Progress", 1, "INVITE", sdp_bob);
	is_int(caller_req("PRACK sip:bob@198.51.100.20 SIP/2.0", 2, "PRACK",
			  sdp_alice),
	       VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA, "PRACK answers the 183");
	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob) &
	       VG_CALL_EV_OFFER, 0, "the 200 repeating the 183's SDP offers nothing");
	caller_req("ACK sip:bob@198.51.100.20 SIP/2.0", 1, "ACK", NULL);
	caller_req("INVITE sip:bob@198.51.100.20 SIP/2.0", 3, "INVITE", NULL);
	is_int(response("SIP/2.0 200 OK", 3, "INVITE", sdp_bob_moved) &
	       VG_CALL_EV_OFFER, VG_CALL_EV_OFFER,
	       "the re-INVITE's 200 offers");
	is_int(caller_req("ACK sip:bob@198.51.100.20 SIP/2.0", 3, "ACK",
			  sdp_alice) & VG_CALL_EV_MEDIA, VG_CALL_EV_MEDIA,
	       "its ACK answers");
	ph = pinhole_for(VG_SIDE_CALLEE);
	ok(ph && ph->dst_port == 5008, "the media moved to the new offer's port");
}

static void test_reinvite(void)
{
	static const char *hold =
		"v=0" CRLF "o=bob 2 3 IN IP4 198.51.100.20" CRLF "s=-" CRLF
		"c=IN IP4 198.51.100.20" CRLF "t=0 0" CRLF
		"m=audio 5002 RTP/AVP 0" CRLF "a=sendonly" CRLF;
	static const char *hold_zero =
		"v=0" CRLF "o=bob 2 4 IN IP4 198.51.100.20" CRLF "s=-" CRLF
		"c=IN IP4 0.0.0.0" CRLF "t=0 0" CRLF "m=audio 5002 RTP/AVP 0" CRLF;
	static const char *held =
		"v=0" CRLF "o=alice 1 2 IN IP4 192.0.2.10" CRLF "s=-" CRLF
		"c=IN IP4 192.0.2.10" CRLF "t=0 0" CRLF
		"m=audio 4000 RTP/AVP 0" CRLF "a=recvonly" CRLF;
	const struct vg_pinhole *to_alice, *to_bob;

	invite(sdp_alice, NULL);
	response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob);
	caller_req("ACK sip:bob@198.51.100.20 SIP/2.0", 1, "ACK", NULL);

	is_int(callee_req("INVITE sip:alice@192.0.2.10 SIP/2.0", 7, "INVITE", hold),
	       VG_CALL_EV_OFFER | VG_CALL_EV_REOFFER,
	       "re-INVITE from the callee: re-offer");
	is_int(dec.from, VG_SIDE_CALLEE, "re-INVITE sender is the callee");
	is_int(caller_resp("SIP/2.0 200 OK", 7, "INVITE", held),
	       VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA, "its 200 answers");
	is_int(dec.from, VG_SIDE_CALLER, "the 200 comes from the caller");
	to_alice = pinhole_for(VG_SIDE_CALLER);
	to_bob = pinhole_for(VG_SIDE_CALLEE);
	ok(to_alice && (to_alice->flags & VG_PH_RTP),
	   "on hold: the holder still sends to the caller");
	ok(to_bob && !(to_bob->flags & VG_PH_RTP) && to_bob->dst_port == 5002,
	   "on hold: no RTP towards the holder, RTCP still");
	is_str(vg_call_state_name(call.state), "confirmed",
	       "re-INVITE keeps the call confirmed");

	/* the old way (RFC 3264 8.4): the holder's address is 0.0.0.0 */
	callee_req("INVITE sip:alice@192.0.2.10 SIP/2.0", 8, "INVITE",
		   hold_zero);
	is_int(caller_resp("SIP/2.0 200 OK", 8, "INVITE", sdp_alice),
	       VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA, "c=0.0.0.0 hold answered");
	to_alice = pinhole_for(VG_SIDE_CALLER);
	ok(dec.n_pinholes == 1 && to_alice && (to_alice->flags & VG_PH_RTP) &&
	   to_alice->dst_port == 4000 && vg_addr_unspecified(&to_alice->peer),
	   "c=0.0.0.0 hold: music on hold from the holder still reaches the caller");
	ok(!pinhole_for(VG_SIDE_CALLEE), "c=0.0.0.0 hold: nothing towards the holder");

	is_int(caller_req("INVITE sip:bob@198.51.100.20 SIP/2.0", 2, "INVITE",
			  sdp_alice),
	       VG_CALL_EV_OFFER | VG_CALL_EV_REOFFER, "re-INVITE from the caller");
	is_int(response("SIP/2.0 488 Not Acceptable Here", 2, "INVITE", NULL),
	       VG_CALL_EV_OFFER_FAILED, "488 to the re-INVITE: offer refused");
	is_str(vg_call_state_name(call.state), "confirmed",
	       "refused re-offer does not end the call");

	is_int(caller_req("UPDATE sip:bob@198.51.100.20 SIP/2.0", 3, "UPDATE",
			  sdp_alice),
	       VG_CALL_EV_OFFER | VG_CALL_EV_REOFFER, "UPDATE with SDP offers");
	is_int(response("SIP/2.0 200 OK", 3, "UPDATE", sdp_bob),
	       VG_CALL_EV_ANSWER | VG_CALL_EV_MEDIA, "its 200 answers");
	is_int(caller_req("BYE sip:bob@198.51.100.20 SIP/2.0", 4, "BYE", NULL),
	       VG_CALL_EV_END, "BYE from the caller ends");
}

static void test_endings(void)
{
	invite(sdp_alice, NULL);
	response("SIP/2.0 180 Ringing", 1, "INVITE", NULL);
	is_int(caller_req("CANCEL sip:bob@example.com SIP/2.0", 1, "CANCEL", NULL),
	       VG_CALL_EV_END, "CANCEL before the answer ends");
	is_int(response("SIP/2.0 487 Request Terminated", 1, "INVITE", NULL),
	       VG_CALL_EV_IGNORED, "487 after the end is ignored");

	invite(sdp_alice, NULL);
	is_int(response("SIP/2.0 486 Busy Here", 1, "INVITE", NULL),
	       VG_CALL_EV_END, "486 to the INVITE ends");

	invite(sdp_alice, NULL);
	is_int(response("SIP/2.0 302 Moved Temporarily", 1, "INVITE", NULL),
	       VG_CALL_EV_END, "302 to the INVITE ends");

	invite(sdp_alice, NULL);
	response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob);
	is_int(caller_req("CANCEL sip:bob@example.com SIP/2.0", 1, "CANCEL", NULL),
	       VG_CALL_EV_IGNORED, "CANCEL after the 200 changes nothing");
	is_str(vg_call_state_name(call.state), "answered", "still answered");

	memset(&call, 0, sizeof(call));
	is_int(caller_req("BYE sip:bob@example.com SIP/2.0", 1, "BYE", NULL),
	       VG_CALL_EV_IGNORED, "BYE with no call is ignored");
	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob),
	       VG_CALL_EV_IGNORED, "a response with no call is ignored");
	is_int(caller_req("INVITE sip:bob@example.com SIP/2.0", 1, "INVITE",
			  sdp_alice),
	       VG_CALL_EV_IGNORED, "an in-dialog INVITE with no call is ignored");
	invite(sdp_alice, NULL);
	is_int(caller_req("INVITE sip:bob@example.com SIP/2.0", 1, "INVITE",
			  sdp_alice) & VG_CALL_EV_NEW, 0,
	       "nothing new from a repeated INVITE");
}

/* One dialog per Call-ID: forks and strangers do not steer the call. */
static void test_dialogs(void)
{
	static const char *sdp_carol =
		"v=0" CRLF "o=carol 3 3 IN IP4 203.0.113.30" CRLF "s=-" CRLF
		"c=IN IP4 203.0.113.30" CRLF "t=0 0" CRLF
		"m=audio 7000 RTP/AVP 0" CRLF;
	struct msg_spec fork_ok = { "SIP/2.0 200 OK", ALICE,
				    "<sip:bob@example.com>;tag=c3", 1, "INVITE",
				    NULL, NULL, sdp_carol };
	struct msg_spec bye_fork = { "BYE sip:bob@203.0.113.30 SIP/2.0", ALICE,
				     "<sip:bob@example.com>;tag=c3", 2, "BYE",
				     NULL, NULL, NULL };
	struct msg_spec fork_bye = { "BYE sip:alice@192.0.2.10 SIP/2.0",
				     "<sip:bob@example.com>;tag=c3", ALICE, 9,
				     "BYE", NULL, NULL, NULL };
	struct msg_spec stranger = { "INVITE sip:bob@example.com SIP/2.0",
				     "<sip:mallory@example.net>;tag=m9",
				     BOB_NOTAG, 5, "INVITE", NULL, NULL,
				     sdp_carol };
	struct msg_spec cancel = { "CANCEL sip:bob@example.com SIP/2.0",
				   "<sip:mallory@example.net>;tag=m9",
				   BOB_NOTAG, 1, "CANCEL", NULL, NULL, NULL };
	const struct vg_pinhole *ph;

	/* a forking proxy upstream: two 2xx with different To tags */
	invite(sdp_alice, NULL);
	response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob);
	is_int(apply(&fork_ok) & VG_CALL_EV_MEDIA, 0,
	       "a second fork's 2xx does not move the media");
	caller_req("ACK sip:bob@198.51.100.20 SIP/2.0", 1, "ACK", NULL);
	is_int(apply(&bye_fork), VG_CALL_EV_IGNORED,
	       "BYE to the second fork leaves the call");
	is_int(apply(&fork_bye), VG_CALL_EV_IGNORED,
	       "BYE from the second fork leaves the call");
	is_str(vg_call_state_name(call.state), "confirmed",
	       "the first fork's call goes on");
	is_int(caller_req("INVITE sip:bob@198.51.100.20 SIP/2.0", 3, "INVITE",
			  sdp_alice), VG_CALL_EV_OFFER | VG_CALL_EV_REOFFER,
	       "re-INVITE in the kept dialog");
	response("SIP/2.0 200 OK", 3, "INVITE", sdp_bob);
	ph = pinhole_for(VG_SIDE_CALLEE);
	ok(ph && v4_is(ph->dst, 198, 51, 100, 20) && ph->dst_port == 5000,
	   "media stays with the first fork");
	is_int(caller_req("BYE sip:bob@198.51.100.20 SIP/2.0", 4, "BYE", NULL),
	       VG_CALL_EV_END, "BYE in the kept dialog ends the call");

	/* another UA that picked the same Call-ID */
	invite(sdp_alice, NULL);
	is_int(apply(&stranger), VG_CALL_EV_IGNORED,
	       "an INVITE from another From tag is not this call's");
	ok(call.offerer == VG_SIDE_CALLER && call.offer[0].port == 4000,
	   "the caller's offer stays");
	is_int(apply(&cancel), VG_CALL_EV_IGNORED,
	       "a CANCEL from another From tag does not end the call");
	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob) &
	       VG_CALL_EV_MEDIA, VG_CALL_EV_MEDIA, "the real answer opens media");
	ph = pinhole_for(VG_SIDE_CALLER);
	ok(ph && ph->dst_port == 4000, "towards the caller's own offer");
}

/*
 * A forking proxy on the path sends one copy of the INVITE per target
 * (same Call-ID and CSeq, its own Via branch each): one target's refusal
 * is not the call's.
 */
static void test_forked_invite(void)
{
	struct msg_spec inv = { "INVITE sip:bob@198.51.100.20 SIP/2.0", ALICE,
				BOB_NOTAG, 1, "INVITE", NULL, NULL, sdp_alice };
	struct msg_spec ringing = { "SIP/2.0 180 Ringing", ALICE, BOB, 1,
				    "INVITE", NULL, NULL, NULL };
	struct msg_spec busy = { "SIP/2.0 486 Busy Here", ALICE,
				 "<sip:bob@example.com>;tag=c3", 1, "INVITE",
				 NULL, NULL, NULL };
	struct msg_spec ok1 = { "SIP/2.0 200 OK", ALICE, BOB, 1, "INVITE",
				NULL, NULL, sdp_bob };
	struct msg_spec cancel = { "CANCEL sip:bob@198.51.100.20 SIP/2.0",
				   ALICE, BOB_NOTAG, 1, "CANCEL", NULL, NULL,
				   NULL };
	const char *f1 = "z9hG4bKf1", *f2 = "z9hG4bKf2";

	memset(&call, 0, sizeof(call));
	via_branch = f1;
	is_int(apply(&inv), VG_CALL_EV_NEW | VG_CALL_EV_OFFER,
	       "first copy of a forked INVITE: new call");
	via_branch = f2;
	inv.start = "INVITE sip:bob@203.0.113.30 SIP/2.0";
	is_int(apply(&inv), VG_CALL_EV_IGNORED,
	       "second copy: the same call, nothing new");
	via_branch = f1;
	is_int(apply(&ringing), VG_CALL_EV_EARLY, "one target rings");
	via_branch = f2;
	is_int(apply(&busy), VG_CALL_EV_IGNORED,
	       "the other target is busy: the call goes on");
	is_str(vg_call_state_name(call.state), "early", "still early");
	via_branch = f1;
	is_int(apply(&ok1) & (VG_CALL_EV_ANSWERED | VG_CALL_EV_MEDIA),
	       VG_CALL_EV_ANSWERED | VG_CALL_EV_MEDIA,
	       "the ringing target answers: media opens");

	/* every copy refused (a retransmission counts once) */
	memset(&call, 0, sizeof(call));
	via_branch = f1;
	apply(&inv);
	via_branch = f2;
	apply(&inv);
	apply(&busy);
	is_int(apply(&busy), VG_CALL_EV_IGNORED,
	       "the busy target's 486 again: still one refusal");
	via_branch = f1;
	busy.to = BOB;
	is_int(apply(&busy), VG_CALL_EV_END, "both targets refused: the end");

	/* CANCEL of every copy ends it */
	memset(&call, 0, sizeof(call));
	via_branch = f1;
	apply(&inv);
	via_branch = f2;
	apply(&inv);
	via_branch = f1;
	is_int(apply(&cancel), VG_CALL_EV_IGNORED,
	       "CANCEL of one copy: the other still rings");
	via_branch = f2;
	is_int(apply(&cancel), VG_CALL_EV_END, "CANCEL of the last copy ends");

	/* a refusal for a copy never seen ends the call, as before */
	memset(&call, 0, sizeof(call));
	apply(&inv);
	via_branch = "z9hG4bKzz";
	is_int(apply(&busy), VG_CALL_EV_END,
	       "refusal of an unseen copy ends the call");
	via_branch = NULL;
}

static void test_emergency(void)
{
	static const struct {
		const char *ruri;
		const char *to;
		int want;
	} cases[] = {
		{ "INVITE sip:911@example.com SIP/2.0", "<sip:911@example.com>", 1 },
		{ "INVITE sip:112@example.com;user=phone SIP/2.0", "<sip:x@example.com>", 1 },
		{ "INVITE urn:service:sos SIP/2.0", "<urn:service:sos>", 1 },
		{ "INVITE urn:service:sos.fire SIP/2.0", "<urn:service:sos.fire>", 1 },
		/* To is the sender's to write: it lifts no limit */
		{ "INVITE sip:proxy.example.com SIP/2.0", "<tel:112>", 0 },
		{ "INVITE sip:bob@example.com SIP/2.0", "<sip:911@example.com>", 0 },
		{ "INVITE sip:9110@example.com SIP/2.0", "<sip:9110@example.com>", 0 },
		{ "INVITE urn:service:sosx SIP/2.0", "<sip:bob@example.com>", 0 },
		{ "INVITE sip:bob@example.com SIP/2.0", "<sip:bob@911.example>", 0 },
	};
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(cases); k++) {
		struct msg_spec s = { cases[k].ruri, ALICE, cases[k].to, 1,
				      "INVITE", NULL, NULL, NULL };

		memset(&call, 0, sizeof(call));
		apply(&s);
		is_int(!!(dec.events & VG_CALL_EV_EMERGENCY), cases[k].want,
		       "emergency: %s / To %s", cases[k].ruri, cases[k].to);
		is_int(call.emergency, cases[k].want, "call marked (%zu)", k);
	}
}

static void test_media_shapes(void)
{
	static const char *offer_v6 =
		"v=0" CRLF "o=a 1 1 IN IP6 2001:db8::10" CRLF "s=-" CRLF
		"c=IN IP6 2001:db8::10" CRLF "t=0 0" CRLF
		"m=audio 4000 RTP/SAVP 96" CRLF "a=rtpmap:96 opus/48000/2" CRLF
		"a=rtcp-mux" CRLF "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x" CRLF
		"m=video 4002 RTP/AVP 97" CRLF "a=rtpmap:97 H264/90000" CRLF
		"a=rtcp:4010" CRLF;
	static const char *answer_v6 =
		"v=0" CRLF "o=b 1 1 IN IP6 2001:db8::20" CRLF "s=-" CRLF
		"c=IN IP6 2001:db8::20" CRLF "t=0 0" CRLF
		"m=audio 6000 RTP/SAVP 96" CRLF "a=rtpmap:96 opus/48000/2" CRLF
		"a=rtcp-mux" CRLF "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:y" CRLF
		"m=video 0 RTP/AVP 97" CRLF;
	static const char *answer_nomux =
		"v=0" CRLF "o=b 1 1 IN IP6 2001:db8::20" CRLF "s=-" CRLF
		"c=IN IP6 2001:db8::20" CRLF "t=0 0" CRLF
		"m=audio 6000 RTP/SAVP 96" CRLF "a=rtpmap:96 opus/48000/2" CRLF
		"m=video 6002 RTP/AVP 97" CRLF "a=rtpmap:97 H264/90000" CRLF;
	static const char *answer_v4 =
		"v=0" CRLF "c=IN IP4 198.51.100.20" CRLF
		"m=audio 6000 RTP/SAVP 96" CRLF;
	static const char *answer_hold0 =
		"v=0" CRLF "c=IN IP6 ::" CRLF "m=audio 6000 RTP/SAVP 96" CRLF;
	const struct vg_pinhole *ph;

	invite(offer_v6, NULL);
	response("SIP/2.0 200 OK", 1, "INVITE", answer_v6);
	is_int(dec.n_pinholes, 2, "video refused with port 0: audio only");
	ph = pinhole_for(VG_SIDE_CALLER);
	ok(ph && ph->family == VG_AF_INET6 && ph->dst[0] == 0x20 &&
	   ph->dst[15] == 0x10 && ph->peer.family == VG_AF_INET6 &&
	   ph->peer.addr[15] == 0x20, "IPv6 pinhole and peer");
	ok(ph && (ph->flags & VG_PH_RTCP_MUX) && ph->rtcp_port == 0,
	   "both sides rtcp-mux: RTCP on the RTP port");
	ok(ph && (ph->flags & VG_PH_SRTP), "SAVP: SRTP flagged");
	ok(ph && ph->clock == 48000 && ph->first_pt == 96, "opus clock");

	invite(offer_v6, NULL);
	response("SIP/2.0 200 OK", 1, "INVITE", answer_nomux);
	is_int(dec.n_pinholes, 4, "audio and video, both ways");
	ph = pinhole_for(VG_SIDE_CALLER);
	ok(ph && !(ph->flags & VG_PH_RTCP_MUX) && ph->rtcp_port == 4001,
	   "mux offered but not answered: RTCP on port + 1");
	ok(dec.pinholes[2].media_index == 1 && dec.pinholes[2].dst_port == 4002 &&
	   dec.pinholes[2].rtcp_port == 4010, "a=rtcp gives the RTCP port");
	is_int(dec.pinholes[2].kind, VG_SDP_MEDIA_VIDEO, "video pinhole");

	invite(offer_v6, NULL);
	response("SIP/2.0 200 OK", 1, "INVITE", answer_v4);
	is_int(dec.n_pinholes, 0, "address families differ: nothing opens");
	invite(offer_v6, NULL);
	response("SIP/2.0 200 OK", 1, "INVITE", answer_hold0);
	ph = pinhole_for(VG_SIDE_CALLER);
	ok(dec.n_pinholes == 1 && ph && ph->dst_port == 4000 &&
	   ph->peer.family == VG_AF_INET6 && vg_addr_unspecified(&ph->peer),
	   "answer c=:: : only towards the caller, from any address");
}

/* What a pinhole keeps of a media description for its stream. */
static void fill_test_pinhole(struct vg_pinhole *ph,
			      const struct vg_media_desc *d)
{
	unsigned int k;

	ph->clock = d->clock;
	ph->first_pt = d->first_pt;
	if (d->flags & VG_MD_EVENT) {
		ph->flags |= VG_PH_EVENT;
		ph->event_pt = d->event_pt;
	}
	ph->n_clocks = d->n_clocks;
	for (k = 0; k < d->n_clocks && k < VG_PH_MAX_CLOCKS; k++) {
		ph->clocks[k].pt = d->clocks[k].pt;
		ph->clocks[k].clock = d->clocks[k].clock;
	}
}

/* Which payload type carries RFC 4733 events, as the stream learns it. */
static void test_telephone_event(void)
{
	static const struct {
		const char *media;
		int event_pt;	/* -1: none */
		const char *name;
	} cases[] = {
		{ "m=audio 4000 RTP/AVP 0 101" CRLF
		  "a=rtpmap:101 telephone-event/8000" CRLF, 101, "PT 101" },
		{ "m=audio 4000 RTP/AVP 96 98" CRLF "a=rtpmap:96 opus/48000/2" CRLF
		  "a=rtpmap:98 TELEPHONE-EVENT/48000" CRLF, 98,
		  "upper case, 48 kHz" },
		{ "m=audio 4000 RTP/AVP 0" CRLF
		  "a=rtpmap:101 telephone-event/8000" CRLF, -1,
		  "mapped but not on the m= line" },
		{ "m=audio 4000 RTP/AVP 0 8" CRLF "a=rtpmap:0 PCMU/8000" CRLF,
		  -1, "no events offered" },
		{ "m=audio 4000 RTP/AVP 0 101" CRLF
		  "a=rtpmap:101 telephone-events/8000" CRLF, -1,
		  "a longer name is another codec" },
	};
	char body[512];
	unsigned int k;

	for (k = 0; k < VG_ARRAY_SIZE(cases); k++) {
		struct vg_media_desc d;
		struct vg_pinhole ph;
		struct vg_rtp_stream st;
		int n;

		n = snprintf(body, sizeof(body),
			     "v=0" CRLF "c=IN IP4 192.0.2.10" CRLF "%s",
			     cases[k].media);
		if (vg_sdp_parse(body, (u32)n, &scratch) != VG_R_NONE ||
		    scratch.n_media != 1) {
			ok(0, "event SDP %s parses", cases[k].name);
			continue;
		}
		vg_media_desc_from_sdp(&d, &scratch, &scratch.media[0]);
		memset(&ph, 0, sizeof(ph));
		if (d.flags & VG_MD_EVENT) {
			ph.flags |= VG_PH_EVENT;
			ph.event_pt = d.event_pt;
		}
		ph.clock = d.clock;
		vg_pinhole_stream_init(&ph, 0, &st);
		if (cases[k].event_pt < 0)
			ok(!(d.flags & VG_MD_EVENT) && st.event_pt == VG_RTP_NO_PT,
			   "%s: no event type", cases[k].name);
		else
			ok((d.flags & VG_MD_EVENT) &&
			   d.event_pt == cases[k].event_pt &&
			   st.event_pt == cases[k].event_pt,
			   "%s: events on PT %d, kept out of jitter",
			   cases[k].name, cases[k].event_pt);
	}

	/* a stream whose first packet is a key press keeps the voice clock */
	{
		static const char opus[] =
			"v=0" CRLF "c=IN IP4 192.0.2.10" CRLF
			"m=audio 4000 RTP/AVP 96 101" CRLF
			"a=rtpmap:96 opus/48000/2" CRLF
			"a=rtpmap:101 telephone-event/8000" CRLF;
		struct vg_media_desc d;
		struct vg_pinhole ph;
		struct vg_rtp_stream st;

		memset(&ph, 0, sizeof(ph));
		if (vg_sdp_parse(opus, sizeof(opus) - 1, &scratch) == VG_R_NONE &&
		    scratch.n_media == 1) {
			vg_media_desc_from_sdp(&d, &scratch, &scratch.media[0]);
			fill_test_pinhole(&ph, &d);
		}
		vg_pinhole_stream_init(&ph, 101, &st);
		is_int(st.clock_rate, 48000,
		       "first packet an event (8 kHz): jitter at opus's 48 kHz");
		vg_pinhole_stream_init(&ph, 96, &st);
		is_int(st.clock_rate, 48000, "first packet opus: 48 kHz");
	}
}

static void test_bad_and_odd_sdp(void)
{
	invite("this is not SDP", NULL);
	is_int(dec.events, VG_CALL_EV_NEW | VG_CALL_EV_BAD_SDP,
	       "INVITE with broken SDP: new call, no offer");
	is_str(vg_reason_name(last_reason), "sip_bad_sdp", "reason sip_bad_sdp");
	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob) &
	       VG_CALL_EV_MEDIA, 0, "no media opens from a broken offer");

	/* the INVITE says it cannot take SDP back (RFC 4475 sdp01) */
	invite(sdp_alice, "Accept: text/nobodyKnowsThis" CRLF);
	ok(call.no_sdp_answer, "Accept without application/sdp noted");
	is_int(response("SIP/2.0 200 OK", 1, "INVITE", sdp_bob) &
	       VG_CALL_EV_MEDIA, 0, "an SDP answer it cannot use opens nothing");
	invite(sdp_alice, "Accept: application/sdp, text/plain" CRLF);
	ok(!call.no_sdp_answer, "Accept with application/sdp");

	/* SDP inside multipart/mixed */
	{
		static char body[1024];
		struct msg_spec s = { "INVITE sip:bob@example.com SIP/2.0", ALICE,
				      BOB_NOTAG, 1, "INVITE",
				      "multipart/mixed;boundary=b1", NULL, body };

		snprintf(body, sizeof(body),
			 "--b1" CRLF "Content-Type: application/sdp" CRLF CRLF
			 "%s" CRLF "--b1" CRLF
			 "Content-Type: application/resource-lists+xml" CRLF CRLF
			 "<list/>" CRLF "--b1--" CRLF, sdp_alice);
		memset(&call, 0, sizeof(call));
		apply(&s);
		is_int(dec.events, VG_CALL_EV_NEW | VG_CALL_EV_OFFER,
		       "multipart INVITE: the SDP part is the offer");
		ok(call.n_offer == 1 && call.offer[0].port == 4000,
		   "offer media from the multipart body");
	}
}

static long slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (long)n;
}

static u32 corpus_events(const char *path, bool *parsed)
{
	static char buf[65536];
	struct vg_sip_msg msg;
	long n = slurp(path, buf, sizeof(buf));

	*parsed = false;
	memset(&call, 0, sizeof(call));
	if (n < 0 || vg_sip_parse(buf, (u32)n, NULL, &msg) != VG_R_NONE)
		return 0;
	*parsed = true;
	vg_call_update(&call, NULL, &msg, &scratch, &dec);
	return dec.events;
}

static void test_corpus(void)
{
	static const struct {
		const char *file;
		u32 events;
	} cases[] = {
		/* valid INVITEs with SDP start a call and record the offer */
		{ "sip/rfc4475/esc01.dat", VG_CALL_EV_NEW | VG_CALL_EV_OFFER },
		{ "sip/rfc4475/inv2543.dat", VG_CALL_EV_NEW | VG_CALL_EV_OFFER },
		{ "sip/rfc4475/sdp01.dat", VG_CALL_EV_NEW | VG_CALL_EV_OFFER },
		/* a body that is not SDP records no offer */
		{ "sip/rfc4475/invut.dat", VG_CALL_EV_NEW },
		/* ambiguous framing: no SDP is trusted */
		{ "sip/rfc4475/multi01.dat", VG_CALL_EV_NEW },
		/* in-dialog INVITE (To tag), non-INVITE, responses: no call */
		{ "sip/rfc4475/wsinv.dat", VG_CALL_EV_IGNORED },
		{ "sip/rfc4475/unreason.dat", VG_CALL_EV_IGNORED },
		{ "sip/rfc4475/mpart01.dat", VG_CALL_EV_IGNORED },
		{ "sip/rfc4475/dblreq.dat", VG_CALL_EV_IGNORED },
	};
	char path[256];
	bool parsed;
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(cases); k++) {
		u32 ev;

		snprintf(path, sizeof(path), "../shared/corpus/%s", cases[k].file);
		ev = corpus_events(path, &parsed);
		ok(parsed, "%s parses", cases[k].file);
		is_int(ev, cases[k].events, "%s: call events", cases[k].file);
		is_int(dec.n_pinholes, 0, "%s: opens nothing by itself",
		       cases[k].file);
	}
	corpus_events("../shared/corpus/sip/rfc4475/sdp01.dat", &parsed);
	ok(call.no_sdp_answer, "sdp01: its Accept rules out an SDP answer");
	is_int(response("SIP/2.0 200 OK", 8, "INVITE", sdp_bob) & VG_CALL_EV_MEDIA,
	       0, "sdp01: even an SDP answer opens nothing");
}

int main(void)
{
	test_basic_call();
	test_early_and_late();
	test_reinvite();
	test_endings();
	test_dialogs();
	test_forked_invite();
	test_emergency();
	test_media_shapes();
	test_telephone_event();
	test_bad_and_odd_sdp();
	test_corpus();
	return tap_done();
}
