// SPDX-License-Identifier: GPL-2.0
/*
 * SIP parser: start lines, headers, folding, Content-Length edge cases,
 * limits, and the RFC 4475 torture messages judged by the core directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "sip.h"

#define CRLF "\r\n"

static struct vg_sip_msg msg;

static enum vg_reason parse_lim(const char *s, const struct vg_sip_limits *lim)
{
	return vg_sip_parse(s, (u32)strlen(s), lim, &msg);
}

static enum vg_reason parse(const char *s)
{
	return parse_lim(s, NULL);
}

static const char *reason(enum vg_reason r)
{
	return vg_reason_name(r);
}

static int view_is(const struct vg_str *v, const char *want)
{
	return v->len == strlen(want) &&
	       (!v->len || !memcmp(v->p, want, v->len));
}

#define HDRS_REQ(method)						\
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds" CRLF	\
	"Max-Forwards: 70" CRLF						\
	"To: Bob <sip:bob@example.com>" CRLF				\
	"From: Alice <sip:alice@example.org>;tag=1928301774" CRLF	\
	"Call-ID: a84b4c76e66710@pc33.example.org" CRLF			\
	"CSeq: 314159 " method CRLF

static void test_start_lines(void)
{
	is_str(reason(parse("INVITE sip:bob@example.com SIP/2.0" CRLF
			    HDRS_REQ("INVITE") "Content-Length: 0" CRLF CRLF)),
	       "none", "plain INVITE accepted");
	ok(msg.is_request && msg.method == VG_SIP_M_INVITE, "INVITE method id");
	ok(view_is(&msg.uri, "sip:bob@example.com"), "Request-URI view");

	is_str(reason(parse("FROBNICATE sip:bob@example.com SIP/2.0" CRLF
			    HDRS_REQ("FROBNICATE") CRLF)),
	       "none", "unknown method token accepted");
	is_int(msg.method, VG_SIP_M_OTHER, "unknown method is OTHER");

	is_str(reason(parse("INVITE sip:bob@example.com sip/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "none", "version compared case-insensitively");
	is_str(reason(parse("INVITE sip:bob@example.com SIP/2.1" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_version", "SIP/2.1 dropped");
	is_str(reason(parse("INVITE sip:bob@example.com HTTP/1.1" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_start_line", "HTTP request line dropped");
	is_str(reason(parse("INV@TE sip:bob@example.com SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_method", "method with a non-token character");
	is_str(reason(parse("INVITE sip:bob@exa mple.com SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_uri", "space inside Request-URI");
	is_str(reason(parse("INVITE  sip:bob@example.com SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_start_line", "double space in request line");
	is_str(reason(parse("INVITE sip:bob@example.com:99999 SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_uri", "port above 65535 in Request-URI");
	is_str(reason(parse("INVITE sip:bob@example.com?Subject=x SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_uri", "headers in a SIP Request-URI");
	is_str(reason(parse("INVITE sip:b%4@example.com SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "sip_bad_uri", "broken escape in Request-URI");
	is_str(reason(parse("INVITE tel:+1-201-555-0123 SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "none", "tel: Request-URI accepted");
	is_str(reason(parse("INVITE sip:[2001:db8::1]:5062 SIP/2.0" CRLF
			    HDRS_REQ("INVITE") CRLF)),
	       "none", "IPv6 reference in Request-URI");

#define RESP_HDRS							\
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds" CRLF	\
	"To: Bob <sip:bob@example.com>;tag=a6c85cf" CRLF		\
	"From: Alice <sip:alice@example.org>;tag=1928301774" CRLF	\
	"Call-ID: a84b4c76e66710@pc33.example.org" CRLF			\
	"CSeq: 314159 INVITE" CRLF CRLF
	is_str(reason(parse("SIP/2.0 180 Ringing" CRLF RESP_HDRS)), "none",
	       "180 response accepted");
	ok(!msg.is_request && msg.status == 180, "status code 180");
	ok(view_is(&msg.reason_phrase, "Ringing"), "reason phrase view");
	is_int(msg.cseq_method, VG_SIP_M_INVITE, "response CSeq method");
	is_str(reason(parse("SIP/2.0 099 Low" CRLF RESP_HDRS)), "sip_bad_status",
	       "status 099 dropped");
	is_str(reason(parse("SIP/2.0 700 High" CRLF RESP_HDRS)), "sip_bad_status",
	       "status 700 dropped");
	is_str(reason(parse("SIP/2.0 2000 Long" CRLF RESP_HDRS)), "sip_bad_status",
	       "four-digit status dropped");
	is_str(reason(parse("SIP/2.0 200" CRLF RESP_HDRS)), "none",
	       "status line without a reason phrase");
	is_str(reason(parse("SIP/3.0 200 OK" CRLF RESP_HDRS)), "sip_bad_version",
	       "SIP/3.0 response dropped");
	is_str(reason(parse(CRLF CRLF "SIP/2.0 200 OK" CRLF RESP_HDRS)), "none",
	       "CRLFs before the start line ignored (RFC 3261 7.5)");
	is_str(reason(parse("")), "sip_bad_start_line", "empty datagram");
	is_str(reason(parse(CRLF CRLF)), "sip_bad_start_line",
	       "keep-alive CRLFs are no message");
}

static void test_headers(void)
{
	const char *compact =
		"INVITE sip:bob@example.com SIP/2.0" CRLF
		"v: SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bKabc, SIP/2.0/TCP proxy.example.net" CRLF
		"f: <sip:alice@example.org>;tag=77" CRLF
		"t: sip:bob@example.com" CRLF
		"i: compact-1@example.org" CRLF
		"CSeq: 2 INVITE" CRLF
		"m: <sip:alice@192.0.2.4:5062>, <sip:alice@198.51.100.1>" CRLF
		"c: application/sdp" CRLF
		"e: gzip" CRLF
		"k: 100rel" CRLF
		"s: lunch" CRLF
		"l: 5" CRLF CRLF
		"v=0" CRLF;

	is_str(reason(parse(compact)), "none", "compact forms parsed");
	ok(view_is(&msg.call_id, "compact-1@example.org"), "i: is Call-ID");
	ok(view_is(&msg.from.tag, "77"), "f: tag");
	ok(view_is(&msg.to.uri, "sip:bob@example.com"), "t: addr-spec URI");
	ok(view_is(&msg.contact.uri, "sip:alice@192.0.2.4:5062"), "m: first Contact");
	is_int(msg.contact_count, 2, "two Contact entries");
	ok(view_is(&msg.via.host, "[2001:db8::9]") && msg.via.port == 5070,
	   "top Via sent-by IPv6 host and port");
	ok(view_is(&msg.via.transport, "UDP"), "top Via transport");
	ok(view_is(&msg.via.branch, "z9hG4bKabc"), "top Via branch");
	is_int(msg.via_count, 2, "two via-parms in one header");
	is_int(msg.content_length, 5, "l: Content-Length");
	ok(vg_sip_content_type_is(&msg.content_type, "application/sdp"),
	   "c: Content-Type");
	ok(view_is(&msg.body, "v=0" CRLF), "body is Content-Length octets");

	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 9" CRLF
			    "\t OPTIONS" CRLF
			    "From: sip:a@example.org;tag=1" CRLF
			    "To:" CRLF "   sip:b@example.com" CRLF
			    "Call-ID: fold-1" CRLF CRLF)),
	       "none", "folded CSeq and To");
	is_int(msg.cseq, 9, "folded CSeq number");
	ok(view_is(&msg.cseq_method_str, "OPTIONS"), "folded CSeq method");
	ok(view_is(&msg.to.uri, "sip:b@example.com"), "folded To URI");

	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0\n"
			    "Via: SIP/2.0/UDP 192.0.2.1\n"
			    "CSeq: 9 OPTIONS\n\n")),
	       "none", "bare LF line ends accepted");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 9 OPTIONS\rX: y" CRLF CRLF)),
	       "sip_bad_header", "bare CR inside a header");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    " Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 9 OPTIONS" CRLF CRLF)),
	       "sip_bad_header", "continuation line with no header before it");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Bad Header: x" CRLF
			    "CSeq: 9 OPTIONS" CRLF CRLF)),
	       "sip_bad_header", "space inside a header name");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 9 OPTIONS" CRLF)),
	       "sip_bad_header", "no empty line after the headers");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 9 INVITE" CRLF CRLF)),
	       "sip_cseq_mismatch", "CSeq method differs from the request");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 9 options" CRLF CRLF)),
	       "sip_cseq_mismatch", "CSeq method compared case-sensitively");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 2147483648 OPTIONS" CRLF CRLF)),
	       "sip_bad_cseq", "CSeq 2^31 dropped");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 2147483647 OPTIONS" CRLF CRLF)),
	       "none", "CSeq 2^31-1 accepted");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF CRLF)),
	       "sip_missing_header", "no CSeq");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_missing_header", "no Via");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1;;branch=x" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_via", "empty Via parameter");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1:70000" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_via", "Via port above 65535");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Max-Forwards: 256" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_max_forwards", "Max-Forwards 256");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Expires: soon" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_expires", "non-numeric Expires");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Expires: 99999999999" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "huge Expires clamped, not dropped");
	ok(msg.expires == 0xffffffffu && (msg.flags & VG_SIP_F_EXPIRES_CLAMPED),
	   "Expires clamped to 2^32-1");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Date: Sat, 13 Nov 2010 23:29:00 GMT" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "RFC 1123 Date accepted");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Date: Sat, 13 Nov 2010 23:29:00 PST" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_date", "Date outside GMT");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Call-ID: two@at@signs" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_header", "Call-ID with two @");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Content-Type: application" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_content_type", "Content-Type without subtype");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF "body")),
	       "sip_bad_content_type", "body without Content-Type");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "To: \"Bob <sip:bob@example.com>" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_address", "unbalanced quotes in display name");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "To: <sip:bob@example.com" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_address", "unclosed angle bracket");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Contact: *" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "Contact: *");
	ok(msg.flags & VG_SIP_F_CONTACT_STAR, "Contact star flagged");
	is_str(reason(parse("OPTIONS sip:bob@example.com SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			    "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>" CRLF
			    "Route: <sip:p3.example.com;lr>" CRLF
			    "Record-Route: <sip:rr.example.com;lr>" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "Route and Record-Route lists");
	is_int(msg.route_count, 3, "three Route entries over two headers");
	is_int(msg.record_route_count, 1, "one Record-Route entry");
}

static void test_content_length(void)
{
	const char *head = "MESSAGE sip:bob@example.com SIP/2.0" CRLF
			   "Via: SIP/2.0/UDP 192.0.2.1" CRLF
			   "CSeq: 1 MESSAGE" CRLF
			   "Content-Type: text/plain" CRLF;
	static const struct {
		const char *cl;
		const char *want;
		const char *what;
	} cases[] = {
		{ "Content-Length: 99999999999999999999" CRLF,
		  "sip_bad_content_length", "twenty nines" },
		{ "Content-Length: 4294967301" CRLF,
		  "sip_bad_content_length", "2^32 + 5 is not 5" },
		{ "Content-Length: 4294967296" CRLF,
		  "sip_bad_content_length", "2^32 is not 0" },
		{ "Content-Length: 18446744073709551621" CRLF,
		  "sip_bad_content_length", "2^64 + 5 is not 5" },
		{ "Content-Length: -1" CRLF,
		  "sip_bad_content_length", "negative" },
		{ "Content-Length: 5a" CRLF,
		  "sip_bad_content_length", "trailing junk" },
		{ "Content-Length: " CRLF,
		  "sip_bad_content_length", "empty" },
		{ "Content-Length: 6" CRLF,
		  "sip_bad_content_length", "more than the datagram holds" },
		{ "Content-Length: 5" CRLF,
		  "none", "exact" },
		{ "Content-Length:   05  " CRLF,
		  "none", "leading zeros and white space" },
		{ "Content-Length: 3" CRLF,
		  "none", "shorter: trailing octets ignored" },
		{ "Content-Length: 5" CRLF "Content-Length: 5" CRLF,
		  "none", "repeated, same value" },
	};
	char buf[512];
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(cases); k++) {
		snprintf(buf, sizeof(buf), "%s%s" CRLF "hello", head,
			 cases[k].cl);
		is_str(reason(parse(buf)), cases[k].want, "Content-Length %s",
		       cases[k].what);
	}
	snprintf(buf, sizeof(buf), "%sContent-Length: 3" CRLF CRLF "hello", head);
	parse(buf);
	ok(view_is(&msg.body, "hel") && (msg.flags & VG_SIP_F_TRAILING),
	   "body cut at Content-Length, trailing flagged");
	is_int(msg.msg_len, strlen(buf) - 2, "consumed length excludes trailing");

	snprintf(buf, sizeof(buf), "%sContent-Length: 9" CRLF CRLF "hello", head);
	parse(buf);
	ok(msg.flags & VG_SIP_F_INCOMPLETE, "body short of Content-Length: incomplete");
	snprintf(buf, sizeof(buf), "%sContent-Length: 5" CRLF, head);
	is_str(reason(parse(buf)), "sip_bad_header", "headers cut short");
	ok(msg.flags & VG_SIP_F_INCOMPLETE, "headers cut short: incomplete");
	/* a TCP segment may end inside the start line of the next message */
	is_str(reason(parse("BYE sip:bob@exam")), "sip_bad_start_line",
	       "start line cut short");
	ok(msg.flags & VG_SIP_F_INCOMPLETE, "start line cut short: incomplete");
	parse(CRLF "SIP/2.0 200 OK\r");
	ok(msg.flags & VG_SIP_F_INCOMPLETE, "start line cut after its CR: incomplete");
	parse("BYE sip:bob@example.com SIP/2.0\rVia: x" CRLF);
	ok(!(msg.flags & VG_SIP_F_INCOMPLETE), "a stray CR is not incomplete");
	snprintf(buf, sizeof(buf), "%sContent-Length: -5" CRLF CRLF, head);
	parse(buf);
	ok(!(msg.flags & VG_SIP_F_INCOMPLETE), "negative length is not incomplete");

	snprintf(buf, sizeof(buf), "%s" CRLF "hello", head);
	is_str(reason(parse(buf)), "none", "no Content-Length: body is the rest");
	ok(view_is(&msg.body, "hello") && !(msg.flags & VG_SIP_F_CL_PRESENT),
	   "datagram body without Content-Length");

	snprintf(buf, sizeof(buf), "%sContent-Length: 5" CRLF
		 "Content-Length: 3" CRLF CRLF "hello", head);
	is_str(reason(parse(buf)), "none",
	       "conflicting values pass by default (RFC 4475 3.3 mcl01)");
	ok(msg.flags & VG_SIP_F_CL_CONFLICT, "conflict flagged");
	{
		struct vg_sip_limits lim;

		vg_sip_limits_default(&lim);
		lim.strict = VG_SIP_STRICT_SINGLE;
		is_str(reason(parse_lim(buf, &lim)), "sip_bad_content_length",
		       "conflicting values dropped in strict mode");
	}
}

static void test_limits(void)
{
	const char *m = "OPTIONS sip:bob@example.com SIP/2.0" CRLF
			"Via: SIP/2.0/UDP 192.0.2.1" CRLF
			"To: <sip:bob@example.com>" CRLF
			"X-Long: 0123456789012345678901234567890123456789" CRLF
			"CSeq: 1 OPTIONS" CRLF CRLF;
	struct vg_sip_limits lim;

	vg_sip_limits_default(&lim);
	is_str(reason(parse_lim(m, &lim)), "none", "within default limits");
	lim.max_msg_len = (u32)strlen(m) - 1;
	is_str(reason(parse_lim(m, &lim)), "sip_too_long", "max_msg_len");
	vg_sip_limits_default(&lim);
	lim.max_headers = 3;
	is_str(reason(parse_lim(m, &lim)), "sip_too_many_headers", "max_headers");
	lim.max_headers = 4;
	is_str(reason(parse_lim(m, &lim)), "none", "max_headers exactly met");
	vg_sip_limits_default(&lim);
	lim.max_header_len = 40;
	is_str(reason(parse_lim(m, &lim)), "sip_header_too_long",
	       "max_header_len");
	vg_sip_limits_default(&lim);
	lim.max_uri_len = 18;
	is_str(reason(parse_lim(m, &lim)), "sip_bad_uri",
	       "max_uri_len on the Request-URI");
	lim.max_uri_len = 19;
	is_str(reason(parse_lim(m, &lim)), "none", "max_uri_len exactly met");

	vg_sip_limits_default(&lim);
	lim.strict = VG_SIP_STRICT_REQUIRED;
	is_str(reason(parse_lim(m, &lim)), "sip_missing_header",
	       "strict: From, Call-ID, Max-Forwards required");
	vg_sip_limits_default(&lim);
	lim.strict = VG_SIP_STRICT_SINGLE;
	is_str(reason(parse_lim("OPTIONS sip:bob@example.com SIP/2.0" CRLF
				"Via: SIP/2.0/UDP 192.0.2.1" CRLF
				"Call-ID: one" CRLF "Call-ID: two" CRLF
				"CSeq: 1 OPTIONS" CRLF CRLF, &lim)),
	       "sip_duplicate_header", "strict: repeated Call-ID");
}

static void test_helpers(void)
{
	struct vg_str v = { "multipart/mixed ; boundary=\"a;b\";x=1", 0 }, out;
	struct vg_str uri;

	v.len = (u32)strlen(v.p);
	ok(vg_sip_param(&v, "boundary", &out) && view_is(&out, "a;b"),
	   "quoted parameter value");
	ok(vg_sip_param(&v, "X", &out) && view_is(&out, "1"),
	   "parameter names case-insensitive");
	ok(!vg_sip_param(&v, "y", &out), "absent parameter");
	ok(vg_sip_content_type_is(&v, "Multipart/Mixed"), "type match");
	ok(!vg_sip_content_type_is(&v, "multipart/alternative"), "type mismatch");

	uri.p = "sip:911;phone-context=+1@example.com;user=phone";
	uri.len = (u32)strlen(uri.p);
	out = vg_sip_uri_user(&uri);
	ok(view_is(&out, "911"), "user part stops at parameters");
	uri.p = "tel:112;phone-context=example.com";
	uri.len = (u32)strlen(uri.p);
	out = vg_sip_uri_user(&uri);
	ok(view_is(&out, "112"), "tel: number");
	uri.p = "sip:example.com";
	uri.len = (u32)strlen(uri.p);
	out = vg_sip_uri_user(&uri);
	is_int(out.len, 0, "no user part");
}

static void test_keepalive(void)
{
	static const u8 stun[20] = { 0x00, 0x01, 0x00, 0x00,
				     0x21, 0x12, 0xa4, 0x42 };
	static const u8 not_stun[20] = { 0x80, 0x01, 0x00, 0x00,
					 0x21, 0x12, 0xa4, 0x42 };
	const char *crlf2 = "\r\n\r\n", *sip = "OPTIONS sip:a SIP/2.0\r\n";

	ok(vg_sip_is_keepalive((const u8 *)crlf2, 4), "CRLFCRLF ping");
	ok(vg_sip_is_keepalive((const u8 *)crlf2, 2), "CRLF pong");
	ok(vg_sip_is_keepalive((const u8 *)"", 0), "empty datagram");
	ok(vg_sip_is_keepalive((const u8 *)" \t\0", 3), "blank datagram");
	ok(vg_sip_is_keepalive(stun, sizeof(stun)), "STUN binding request");
	ok(!vg_sip_is_keepalive(stun, 19), "too short for STUN");
	ok(!vg_sip_is_keepalive(not_stun, sizeof(not_stun)),
	   "cookie but not STUN's leading bits");
	ok(!vg_sip_is_keepalive((const u8 *)sip, (u32)strlen(sip)),
	   "a SIP request");
	ok(!vg_sip_is_keepalive((const u8 *)"\r\nX", 3), "CRLF then text");
}

/* Every prefix of a valid message must parse without reading past it. */
static void test_prefixes(void)
{
	const char *m = "INVITE sip:bob@example.com SIP/2.0" CRLF
			HDRS_REQ("INVITE")
			"Contact: <sip:alice@192.0.2.4>" CRLF
			"Content-Type: application/sdp" CRLF
			"Content-Length: 5" CRLF CRLF "v=0" CRLF;
	u32 n = (u32)strlen(m), k, accepted = 0;

	for (k = 0; k < n; k++) {
		char *copy = malloc(k ? k : 1);

		memcpy(copy, m, k);
		if (vg_sip_parse(copy, k, NULL, &msg) == VG_R_NONE)
			accepted++;
		free(copy);
	}
	is_int(accepted, 0, "no strict prefix of a message is accepted");
}

/* RFC 4475 section 3 classes; drops carry the reason this core gives. */
static const struct {
	const char *name;
	const char *reason;	/* "none" = accept */
} rfc4475[] = {
	/* 3.1.1 valid */
	{ "wsinv", "none" }, { "intmeth", "none" }, { "esc01", "none" },
	{ "escnull", "none" }, { "esc02", "none" }, { "lwsdisp", "none" },
	{ "longreq", "none" }, { "dblreq", "none" }, { "semiuri", "none" },
	{ "transports", "none" }, { "mpart01", "none" }, { "unreason", "none" },
	{ "noreason", "none" },
	/* 3.1.2 invalid */
	{ "badinv01", "sip_bad_via" },
	{ "clerr", "sip_bad_content_length" },
	{ "ncl", "sip_bad_content_length" },
	{ "scalar02", "sip_bad_cseq" },
	{ "scalarlg", "sip_bad_cseq" },
	{ "quotbal", "sip_bad_address" },
	{ "ltgtruri", "sip_bad_uri" },
	{ "lwsruri", "sip_bad_uri" },
	{ "lwsstart", "sip_bad_start_line" },
	{ "trws", "sip_bad_start_line" },
	{ "escruri", "sip_bad_uri" },
	{ "baddate", "sip_bad_date" },
	{ "regbadct", "sip_bad_address" },
	{ "badaspec", "sip_bad_address" },
	{ "baddn", "sip_bad_address" },
	{ "badvers", "sip_bad_version" },
	{ "mismatch01", "sip_cseq_mismatch" },
	{ "mismatch02", "sip_cseq_mismatch" },
	{ "bigcode", "sip_bad_status" },
	/* 3.2 transaction layer, 3.3 application layer, 3.4 RFC 2543 */
	{ "badbranch", "none" }, { "insuf", "none" }, { "unkscm", "none" },
	{ "novelsc", "none" }, { "unksm2", "none" }, { "bext01", "none" },
	{ "invut", "none" }, { "regaut01", "none" }, { "multi01", "none" },
	{ "mcl01", "none" }, { "bcast", "none" }, { "zeromf", "none" },
	{ "cparam01", "none" }, { "cparam02", "none" }, { "regescrt", "none" },
	{ "sdp01", "none" }, { "inv2543", "none" },
};

static long read_corpus(const char *name, char *buf, size_t cap)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "../shared/corpus/sip/rfc4475/%s.dat",
		 name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (long)n;
}

static void test_rfc4475(void)
{
	static char buf[65536];
	size_t k;

	is_int(VG_ARRAY_SIZE(rfc4475), 49, "all 49 RFC 4475 messages listed");
	for (k = 0; k < VG_ARRAY_SIZE(rfc4475); k++) {
		long n = read_corpus(rfc4475[k].name, buf, sizeof(buf));
		char *exact;

		if (n < 0) {
			ok(0, "rfc4475 %s: corpus file readable", rfc4475[k].name);
			continue;
		}
		/* an exact-size copy so ASan sees any read past the end */
		exact = malloc((size_t)n);
		memcpy(exact, buf, (size_t)n);
		is_str(reason(vg_sip_parse(exact, (u32)n, NULL, &msg)),
		       rfc4475[k].reason, "rfc4475 %s", rfc4475[k].name);
		free(exact);
	}

	/* details RFC 4475 calls out */
	if (read_corpus("dblreq", buf, sizeof(buf)) > 0) {
		long n = read_corpus("dblreq", buf, sizeof(buf));

		vg_sip_parse(buf, (u32)n, NULL, &msg);
		ok(msg.method == VG_SIP_M_REGISTER && msg.body.len == 0 &&
		   (msg.flags & VG_SIP_F_TRAILING),
		   "dblreq: the REGISTER only, the INVITE after it ignored");
	}
	if (read_corpus("wsinv", buf, sizeof(buf)) > 0) {
		long n = read_corpus("wsinv", buf, sizeof(buf));

		vg_sip_parse(buf, (u32)n, NULL, &msg);
		is_int(msg.via_count, 3, "wsinv: three via-parms");
		is_int(msg.cseq, 9, "wsinv: CSeq 0009 folded");
		is_int(msg.max_forwards, 68, "wsinv: Max-Forwards 0068");
		ok(view_is(&msg.to.tag, "1918181833n"), "wsinv: To tag with LWS");
		ok(view_is(&msg.from.tag, "98asjd8"), "wsinv: folded From tag");
	}
	if (read_corpus("esc02", buf, sizeof(buf)) > 0) {
		long n = read_corpus("esc02", buf, sizeof(buf));

		vg_sip_parse(buf, (u32)n, NULL, &msg);
		is_int(msg.contact_count, 2,
		       "esc02: C%%6Fntact is not a Contact header");
	}
	if (read_corpus("insuf", buf, sizeof(buf)) > 0) {
		long n = read_corpus("insuf", buf, sizeof(buf));
		struct vg_sip_limits lim;

		vg_sip_limits_default(&lim);
		lim.strict = VG_SIP_STRICT_REQUIRED;
		is_str(reason(vg_sip_parse(buf, (u32)n, &lim, &msg)),
		       "sip_missing_header", "insuf: dropped when strict");
	}
	if (read_corpus("multi01", buf, sizeof(buf)) > 0) {
		long n = read_corpus("multi01", buf, sizeof(buf));
		struct vg_sip_limits lim;

		vg_sip_limits_default(&lim);
		lim.strict = VG_SIP_STRICT_SINGLE;
		is_str(reason(vg_sip_parse(buf, (u32)n, &lim, &msg)),
		       "sip_duplicate_header", "multi01: dropped when strict");
	}
}

/*
 * Numbers read four digits at a time, URIs that end at their '>', and the
 * usual spellings taken by shortcuts: each gives what the general way does.
 */
static void test_shortcuts(void)
{
	static const struct {
		const char *mf;
		const char *want;
		int value;
	} mfs[] = {
		{ "7", "none", 7 }, { "70", "none", 70 }, { "255", "none", 255 },
		{ "0255", "none", 255 }, { "00000070", "none", 70 },
		{ "0256", "sip_bad_max_forwards", 0 },
		{ "25a", "sip_bad_max_forwards", 0 },
		{ "2\xb5" "55", "sip_bad_max_forwards", 0 },
		{ "2/55", "sip_bad_max_forwards", 0 },
		{ "2:55", "sip_bad_max_forwards", 0 },
	};
	static const struct {
		const char *to;
		const char *want;
		const char *uri;
	} tos[] = {
		{ "<sip:bob@example.com>", "none", "sip:bob@example.com" },
		{ "\"B\" <sip:bob@h:5060;transport=udp?subject=x>", "none",
		  "sip:bob@h:5060;transport=udp?subject=x" },
		{ "<sip:bob@example.com >", "sip_bad_address", NULL },
		{ "<sip:bob@example.com>x", "sip_bad_address", NULL },
		{ "<sip:bob@example.com", "sip_bad_address", NULL },
		{ "<sip:bob@h:65536>", "sip_bad_address", NULL },
		{ "<sip:bob@h:506a>", "sip_bad_address", NULL },
		{ "<sip:bob@@h>", "sip_bad_address", NULL },
		{ "<sip:@h>", "sip_bad_address", NULL },
		{ "<sip:bob@h;a=%4>", "sip_bad_address", NULL },
		{ "<sip:bob@h;a=%41>", "none", "sip:bob@h;a=%41" },
		{ "<tel:+1-201-555-0123>", "none", "tel:+1-201-555-0123" },
		{ "<tel:>", "sip_bad_address", NULL },
		{ "<>", "sip_bad_address", NULL },
	};
	char buf[512];
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(mfs); k++) {
		snprintf(buf, sizeof(buf), "OPTIONS sip:b@example.com SIP/2.0" CRLF
			 "Via: SIP/2.0/UDP h" CRLF "Max-Forwards: %s" CRLF
			 "CSeq: 1 OPTIONS" CRLF CRLF, mfs[k].mf);
		is_str(reason(parse(buf)), mfs[k].want, "Max-Forwards: %s",
		       mfs[k].mf);
		if (!strcmp(mfs[k].want, "none"))
			is_int(msg.max_forwards, mfs[k].value, "its value");
	}
	for (k = 0; k < VG_ARRAY_SIZE(tos); k++) {
		snprintf(buf, sizeof(buf), "OPTIONS sip:b@example.com SIP/2.0" CRLF
			 "Via: SIP/2.0/UDP h" CRLF "To: %s" CRLF
			 "CSeq: 1 OPTIONS" CRLF CRLF, tos[k].to);
		is_str(reason(parse(buf)), tos[k].want, "To: %s", tos[k].to);
		if (tos[k].uri)
			ok(view_is(&msg.to.uri, tos[k].uri), "its URI");
	}

	/* ports and sequence numbers with leading zeros */
	is_str(reason(parse("INVITE sip:bob@h:00005060 SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h:0005060;branch=z9hG4bK1" CRLF
			    "CSeq: 0000314159 INVITE" CRLF CRLF)),
	       "none", "numbers with leading zeros");
	is_int(msg.via.port, 5060, "Via port");
	is_int((int)msg.cseq, 314159, "CSeq number");
	is_str(reason(parse("INVITE sip:bob@h:5060 SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h:65536" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "sip_bad_via", "Via port 65536");

	/* Vias off the usual spelling, and on it */
	is_str(reason(parse("INVITE sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/TLS-SCTP h.example.com:5061" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "none", "longer transport");
	ok(view_is(&msg.via.transport, "TLS-SCTP") &&
	   view_is(&msg.via.host, "h.example.com") && msg.via.port == 5061,
	   "its transport, host and port");
	is_str(reason(parse("INVITE sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP  h" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "none", "two SP before sent-by");
	ok(view_is(&msg.via.host, "h"), "its host");
	is_str(reason(parse("INVITE sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UD" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "sip_bad_via", "no sent-by");
	is_str(reason(parse("INVITE sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP ;branch=1" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "sip_bad_via", "empty sent-by");
	is_str(reason(parse("INVITE sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/U;P h" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "sip_bad_via", "transport with ';'");

	/* a CSeq method named like the request's, or not */
	is_str(reason(parse("FOO sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 FOO" CRLF CRLF)),
	       "none", "unknown method in both");
	is_str(reason(parse("FOO sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 FOX" CRLF CRLF)),
	       "sip_cseq_mismatch", "unknown methods that differ");
	is_str(reason(parse("INVITE sip:bob@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 Invite" CRLF CRLF)),
	       "sip_cseq_mismatch", "method case differs");

	/* "SIP/" starts a status line in any case, "/2.0" exactly */
	is_str(reason(parse("sIp/2.0 200 OK" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "none", "status line, version in mixed case");
	is_str(reason(parse("SIP/2.1 200 OK" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "sip_bad_version", "status line, version 2.1");
	is_str(reason(parse("SIP\x0f" "2.0 200 OK" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "sip_bad_method", "no status line: 0x0f is no '/'");
}

/*
 * Values the single-walk readers take (name-addr, parameters, control
 * octets found a word at a time) and the spellings they leave to the
 * general parser: both must give the same fields and verdicts.
 */
static void test_single_walks(void)
{
	static const struct {
		const char *from;
		const char *want;
		const char *display;
		const char *uri;
		const char *tag;
	} froms[] = {
		{ "\"Alice\" <sip:alice@example.com>;tag=1928301774", "none",
		  "\"Alice\"", "sip:alice@example.com", "1928301774" },
		{ "\"Alice\"<sip:alice@example.com>;tag=x", "none",
		  "\"Alice\"", "sip:alice@example.com", "x" },
		{ "\"Alice\"  <sip:alice@example.com>;tag=x", "none",
		  "\"Alice\"", "sip:alice@example.com", "x" },
		{ "\"A \\\"B\\\"\" <sip:a@h>;tag=x", "none",
		  "\"A \\\"B\\\"\"", "sip:a@h", "x" },
		{ "<sip:alice@example.com>;lr;tag=abc;x=y", "none",
		  "", "sip:alice@example.com", "abc" },
		{ "<sip:a@h>;tag=a;tag=b", "none", "", "sip:a@h", "b" },
		{ "<sip:a@h>;tag", "none", "", "sip:a@h", "" },
		{ "<sip:a@h>;tag=\"q\"", "none", "", "sip:a@h", "\"q\"" },
		{ "<sip:a@h>; tag=a", "none", "", "sip:a@h", "a" },
		{ "<sip:a@h:5060;transport=udp>;tag=t", "none", "",
		  "sip:a@h:5060;transport=udp", "t" },
		{ "<sip:h;maddr=x@y>", "none", "", "sip:h;maddr=x@y", "" },
		{ "<sip:192.0.2.1:5060>", "none", "", "sip:192.0.2.1:5060", "" },
		{ "<sip:[2001:db8::1]:5060>", "none", "",
		  "sip:[2001:db8::1]:5060", "" },
		{ "Alice <SIP:alice@example.com>", "none", "Alice",
		  "SIP:alice@example.com", "" },
		{ "\"J\xc3\xbcrgen \xe2\x98\x8e\" <sip:j@h>;tag=1", "none",
		  "\"J\xc3\xbcrgen \xe2\x98\x8e\"", "sip:j@h", "1" },
		{ "<sip:a@h>;=a", "sip_bad_address", NULL, NULL, NULL },
		{ "<sip:a@h>;tag=", "sip_bad_address", NULL, NULL, NULL },
		{ "<sip:a@h>;tag=a=b", "sip_bad_address", NULL, NULL, NULL },
		{ "<sip:a@h>, <sip:b@h>", "sip_bad_address", NULL, NULL, NULL },
		{ "<sip:a@>", "sip_bad_address", NULL, NULL, NULL },
		{ "<sip:a@h:>", "sip_bad_address", NULL, NULL, NULL },
		{ "\"Alice <sip:a@h>", "sip_bad_address", NULL, NULL, NULL },
	};
	char buf[512];
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(froms); k++) {
		snprintf(buf, sizeof(buf), "OPTIONS sip:b@example.com SIP/2.0" CRLF
			 "Via: SIP/2.0/UDP h" CRLF "From: %s" CRLF
			 "CSeq: 1 OPTIONS" CRLF CRLF, froms[k].from);
		is_str(reason(parse(buf)), froms[k].want, "From: %s",
		       froms[k].from);
		if (froms[k].uri)
			ok(view_is(&msg.from.display, froms[k].display) &&
			   view_is(&msg.from.uri, froms[k].uri) &&
			   view_is(&msg.from.tag, froms[k].tag),
			   "its display name, URI and tag");
	}

	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Contact: <sip:a@h>;expires=60, <sip:b@h>" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "Contact list");
	ok(msg.contact_count == 2 && view_is(&msg.contact.uri, "sip:a@h"),
	   "two contacts, the first one kept");

	/* Content-Type as usually written, and close to it */
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Content-Type: application/sdp" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "Content-Type: application/sdp");
	ok(view_is(&msg.content_type, "application/sdp"), "its view");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Content-Type: application/sdp;x" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "Content-Type with a parameter");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Content-Type: application/sdp;" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_content_type", "Content-Type with an empty parameter");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Content-Type: application/sd(" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_content_type", "Content-Type subtype no token");

	/* Via parameters */
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h:5060;rport;branch=z9hG4bK1;"
			    "received=192.0.2.1" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "Via with rport, branch and received");
	ok(view_is(&msg.via.branch, "z9hG4bK1") && msg.via.port == 5060,
	   "its branch and port");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h;branch=z9hG4bK1, "
			    "SIP/2.0/UDP g;branch=z9hG4bK2" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "two via-parms in one field");
	ok(msg.via_count == 2 && view_is(&msg.via.branch, "z9hG4bK1") &&
	   view_is(&msg.via.host, "h"), "the first one is the top Via");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h;branch=a;branch=b" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "two branch parameters");
	ok(view_is(&msg.via.branch, "b"), "the last one counts");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h;branch=" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_via", "empty branch value");

	/* octets from 0x8e up hide no control octet behind them */
	is_str(reason(parse("SIP/2.0 180 Kl\xc3\xa4ngt \xe2\x80\x94 gleich" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Subject: \xe2\x98\x8e\xe2\x98\x8e\xe2\x98\x8e"
			    "\xe2\x98\x8e\xe2\x98\x8e\xe2\x98\x8e" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "none", "UTF-8 in the status line and a header");
	is_str(reason(parse("SIP/2.0 180 \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
			    "\x8e\x8e\x8e\x8e\x8e\x8e\xff\r\x01" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 INVITE" CRLF CRLF)),
	       "sip_bad_start_line", "a stray CR after high octets");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Subject: \xe2\x98\x8e\xe2\x98\x8e\xe2\x98\x8e"
			    "\xe2\x98\x8e\xe2\x98\x8e\rx" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_header", "a stray CR in a header after high octets");
}

/*
 * Fields read in one walk that also finds their line end, and every way
 * such a field hands over to the general walk: a fold, white space or a
 * bare LF after the value, the limits, a repeated field.
 */
static void test_field_walks(void)
{
	struct vg_sip_limits lim;
	const char *m;

	m = "INVITE sip:bob@192.0.2.20:5060 SIP/2.0" CRLF
	    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK7;rport" CRLF
	    "Max-Forwards: 70" CRLF
	    "To: \"Bob\" <sip:bob@example.com>" CRLF
	    "From: \"Alice\" <sip:alice@example.com>;tag=1928" CRLF
	    "Call-ID: a84b4c76e66710@pc33.example.com" CRLF
	    "CSeq: 314159 INVITE" CRLF
	    "Contact: <sip:alice@192.0.2.10:5060;transport=udp>" CRLF
	    "Allow: INVITE, ACK, CANCEL, BYE" CRLF
	    "Supported: replaces, timer" CRLF
	    "User-Agent: Example Phone 1.2.3" CRLF
	    "Content-Type: application/sdp" CRLF
	    "Content-Length: 5" CRLF CRLF "v=0" CRLF;
	is_str(reason(parse(m)), "none", "an INVITE as usually written");
	ok(view_is(&msg.via.transport, "UDP") &&
	   view_is(&msg.via.host, "192.0.2.10") && msg.via.port == 5060 &&
	   view_is(&msg.via.branch, "z9hG4bK7") && msg.via_count == 1,
	   "its Via");
	ok(msg.max_forwards == 70 && msg.cseq == 314159 &&
	   msg.cseq_method == VG_SIP_M_INVITE &&
	   view_is(&msg.cseq_method_str, "INVITE"),
	   "its Max-Forwards and CSeq");
	ok(view_is(&msg.to.display, "\"Bob\"") &&
	   view_is(&msg.to.uri, "sip:bob@example.com") &&
	   view_is(&msg.from.tag, "1928") &&
	   view_is(&msg.contact.uri,
		   "sip:alice@192.0.2.10:5060;transport=udp") &&
	   msg.contact_count == 1, "its addresses");
	ok(view_is(&msg.call_id, "a84b4c76e66710@pc33.example.com") &&
	   view_is(&msg.content_type, "application/sdp") &&
	   msg.content_length == 5 && (msg.flags & VG_SIP_F_CL_PRESENT) &&
	   view_is(&msg.body, "v=0" CRLF), "its Call-ID, type and body");
	ok(msg.header_count == 12, "twelve header fields counted");

	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "To: <sip:bob@example.com>" CRLF " ;tag=folded" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "a usual To value going on in a fold");
	ok(view_is(&msg.to.tag, "folded"), "the fold's tag is read");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Call-ID: abc@example.com \t" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "white space after a Call-ID");
	ok(view_is(&msg.call_id, "abc@example.com"), "it is not in the view");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0\n"
			    "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
			    "Call-ID: abc@example.com\n"
			    "Max-Forwards: 70\n"
			    "CSeq: 1 OPTIONS\n\n")),
	       "none", "fields ending in a bare LF");
	ok(view_is(&msg.call_id, "abc@example.com") &&
	   view_is(&msg.via.branch, "z9hG4bK1") && msg.max_forwards == 70,
	   "their values");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Max-Forwards: 70x" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_max_forwards", "Max-Forwards with a letter after it");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1  OPTIONS" CRLF CRLF)),
	       "none", "CSeq with two SPs");
	ok(view_is(&msg.cseq_method_str, "OPTIONS"), "its method");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "From: \"A\tB\" <sip:a@h>;tag=1" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "an HT in a quoted display name");
	ok(view_is(&msg.from.display, "\"A\tB\""), "the display name");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "From: \"A" CRLF " B\" <sip:a@h>;tag=1" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "a quoted display name over a fold");
	ok(view_is(&msg.from.tag, "1"), "the tag after it");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "From: \"A" CRLF "To: <sip:a@h>" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "sip_bad_address", "a quote that its line does not close");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "User-Agent: Example" CRLF " Phone" CRLF
			    "Allow: INVITE" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "a folded User-Agent");
	ok(msg.header_count == 4, "four header fields counted");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Allow:INVITE, ACK, BYE, CANCEL" CRLF
			    "Supported :timer" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "unread fields spelled otherwise");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "Call-ID: first@h" CRLF "Call-ID: second@h" CRLF
			    "CSeq: 1 OPTIONS" CRLF CRLF)),
	       "none", "a repeated Call-ID");
	ok(view_is(&msg.call_id, "first@h") &&
	   (msg.flags & VG_SIP_F_DUPLICATE), "the first one kept, flagged");
	is_str(reason(parse("OPTIONS sip:b@h SIP/2.0" CRLF
			    "Via: SIP/2.0/UDP h" CRLF
			    "CSeq: 1 OPTIONS" CRLF
			    "Call-ID: abc@example.com" CRLF)),
	       "sip_bad_header", "no empty line after the last field");
	ok(msg.flags & VG_SIP_F_INCOMPLETE, "flagged incomplete");

	/* the limits hold for fields read in one walk */
	m = "OPTIONS sip:b@h SIP/2.0" CRLF
	    "Via: SIP/2.0/UDP h" CRLF
	    "Call-ID: 0123456789012345678901234567890@h" CRLF
	    "Allow: INVITE, ACK" CRLF
	    "CSeq: 1 OPTIONS" CRLF CRLF;
	vg_sip_limits_default(&lim);
	lim.max_header_len = 42;
	is_str(reason(parse_lim(m, &lim)), "none", "max_header_len met");
	lim.max_header_len = 41;
	is_str(reason(parse_lim(m, &lim)), "sip_header_too_long",
	       "max_header_len one below a Call-ID");
	vg_sip_limits_default(&lim);
	lim.max_headers = 4;
	is_str(reason(parse_lim(m, &lim)), "none", "max_headers met");
	lim.max_headers = 3;
	is_str(reason(parse_lim(m, &lim)), "sip_too_many_headers",
	       "max_headers one below");
	ok(msg.header_count == 4, "the count stops at the field over it");
	lim.max_headers = 2;
	is_str(reason(parse_lim(m, &lim)), "sip_too_many_headers",
	       "max_headers met by an unread field");
}

int main(void)
{
	test_start_lines();
	test_headers();
	test_content_length();
	test_limits();
	test_helpers();
	test_keepalive();
	test_prefixes();
	test_shortcuts();
	test_single_walks();
	test_field_walks();
	test_rfc4475();
	return tap_done();
}
