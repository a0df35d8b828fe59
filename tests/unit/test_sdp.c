// SPDX-License-Identifier: GPL-2.0
/*
 * SDP parser, address parsers, usability and the multipart search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "sdp.h"
#include "sip.h"

#define CRLF "\r\n"

static struct vg_sdp sdp;

static enum vg_reason parse(const char *s)
{
	/* an exact-size copy so ASan sees any read past the end */
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	enum vg_reason r;

	memcpy(copy, s, n);
	r = vg_sdp_parse(copy, (u32)n, &sdp);
	/* rebase views onto the literal so they stay valid after free */
	sdp.base = s;
	free(copy);
	return r;
}

static int v4_is(const struct vg_addr *a, u8 b0, u8 b1, u8 b2, u8 b3)
{
	return a->family == VG_AF_INET && a->addr[0] == b0 && a->addr[1] == b1 &&
	       a->addr[2] == b2 && a->addr[3] == b3;
}

static void test_addresses(void)
{
	static const char *good4[] = { "0.0.0.0", "192.0.2.1", "255.255.255.255",
				       "10.0.0.01" };
	static const char *bad4[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1",
				      "1..2.3", "1.2.3.4 ", "a.b.c.d", "1.2.3.0004",
				      "1.2.3.-4" };
	static const char *good6[] = { "::", "::1", "2001:db8::1", "fe80::",
				       "2001:db8:0:0:0:0:2:1", "::ffff:192.0.2.128",
				       "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4" };
	static const char *bad6[] = { "", ":", ":::", "1:2:3:4:5:6:7:8:9",
				      "1::2::3", "12345::", "1:2:3:4:5:6:7",
				      "2001:db8::1:", "g::1", "1:2:3:4:5:6:7:1.2.3.4",
				      "::1.2.3", "1:2:3:4:5:6:7:8::" };
	u8 a[16];
	struct vg_addr addr;
	size_t k;

	for (k = 0; k < VG_ARRAY_SIZE(good4); k++)
		ok(vg_parse_ipv4(good4[k], (u32)strlen(good4[k]), a),
		   "IPv4 '%s' parses", good4[k]);
	for (k = 0; k < VG_ARRAY_SIZE(bad4); k++)
		ok(!vg_parse_ipv4(bad4[k], (u32)strlen(bad4[k]), a),
		   "IPv4 '%s' refused", bad4[k]);
	for (k = 0; k < VG_ARRAY_SIZE(good6); k++)
		ok(vg_parse_ipv6(good6[k], (u32)strlen(good6[k]), a),
		   "IPv6 '%s' parses", good6[k]);
	for (k = 0; k < VG_ARRAY_SIZE(bad6); k++)
		ok(!vg_parse_ipv6(bad6[k], (u32)strlen(bad6[k]), a),
		   "IPv6 '%s' refused", bad6[k]);

	ok(vg_parse_ipv6("2001:db8::2:1", 13, a) && a[0] == 0x20 && a[1] == 0x01 &&
	   a[2] == 0x0d && a[3] == 0xb8 && a[13] == 2 && a[15] == 1 && a[12] == 0,
	   "IPv6 bytes with the gap in the middle");
	ok(vg_parse_ipv6("::ffff:192.0.2.128", 18, a) && a[10] == 0xff &&
	   a[11] == 0xff && a[12] == 192 && a[15] == 128,
	   "IPv4-mapped IPv6 bytes");
	ok(vg_parse_addr("192.0.2.7", 9, &addr) && v4_is(&addr, 192, 0, 2, 7),
	   "vg_parse_addr IPv4");
	ok(vg_parse_addr("::1", 3, &addr) && addr.family == VG_AF_INET6,
	   "vg_parse_addr IPv6");
	ok(!vg_parse_addr("host.example", 12, &addr) && addr.family == VG_AF_NONE,
	   "vg_parse_addr FQDN");
	ok(vg_addr_unspecified(&addr), "VG_AF_NONE counts as unspecified");
	vg_parse_addr("0.0.0.0", 7, &addr);
	ok(vg_addr_unspecified(&addr), "0.0.0.0 unspecified");
	vg_parse_addr("::", 2, &addr);
	ok(vg_addr_unspecified(&addr), ":: unspecified");
}

static void test_basic(void)
{
	const char *s =
		"v=0" CRLF
		"o=alice 2890844526 2890844526 IN IP4 192.0.2.10" CRLF
		"s=-" CRLF
		"c=IN IP4 192.0.2.10" CRLF
		"b=AS:128" CRLF
		"t=0 0" CRLF
		"a=sendonly" CRLF
		"a=ptime:30" CRLF
		"m=audio 49170 RTP/AVP 0 8 9 18 101" CRLF
		"a=rtpmap:101 telephone-event/8000" CRLF
		"a=rtpmap:8 PCMA/8000" CRLF
		"a=ptime:20" CRLF
		"a=rtcp:53020 IN IP4 198.51.100.7" CRLF
		"m=video 51372/2 RTP/SAVPF 96 97" CRLF
		"c=IN IP6 2001:db8::5" CRLF
		"b=AS:512" CRLF
		"a=rtpmap:96 VP8/90000" CRLF
		"a=rtpmap:97 opus/48000/2" CRLF
		"a=rtcp-mux" CRLF
		"a=recvonly" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz" CRLF
		"m=audio 0 RTP/AVP 0" CRLF
		"m=image 49172 udptl t38" CRLF
		"m=audio 49174 UDP/TLS/RTP/SAVPF 111" CRLF
		"c=IN IP4 0.0.0.0" CRLF;
	const struct vg_sdp_media *m;
	struct vg_str codec;

	is_str(vg_reason_name(parse(s)), "none", "offer with five m= lines");
	is_int(sdp.n_media, 5, "five media kept");
	ok(v4_is(&sdp.conn, 192, 0, 2, 10), "session c= IPv4");
	is_int(sdp.bw_as, 128, "session b=AS");
	is_int(sdp.dir, VG_SDP_DIR_SENDONLY, "session direction");

	m = &sdp.media[0];
	is_int(m->kind, VG_SDP_MEDIA_AUDIO, "m0 audio");
	is_int(m->port, 49170, "m0 port");
	is_int(m->proto, VG_SDP_PROTO_RTP_AVP, "m0 RTP/AVP");
	ok(v4_is(&m->conn, 192, 0, 2, 10), "m0 inherits session c=");
	ok(!(m->flags & VG_SDP_M_HAS_CONN), "m0 has no c= of its own");
	is_int(m->n_pts, 5, "m0 five payload types");
	is_int(m->first_pt, 0, "m0 preferred PT");
	ok(vg_pt_set_has(&m->pts, 101) && vg_pt_set_has(&m->pts, 18) &&
	   !vg_pt_set_has(&m->pts, 3), "m0 payload type set");
	is_int(vg_sdp_clock_rate(m, 0), 8000, "PCMU static clock");
	is_int(vg_sdp_clock_rate(m, 9), 8000, "G722 clock is 8000 (RFC 3551)");
	is_int(vg_sdp_clock_rate(m, 18), 8000, "G729 static clock");
	is_int(vg_sdp_clock_rate(m, 101), 8000, "telephone-event from rtpmap");
	codec = vg_sdp_codec_name(&sdp, m, 8);
	ok(codec.len == 4 && !memcmp(codec.p, "PCMA", 4), "codec name view");
	is_int(m->ptime, 20, "media ptime overrides session");
	is_int(m->rtcp_port, 53020, "a=rtcp port");
	ok(v4_is(&m->rtcp_addr, 198, 51, 100, 7), "a=rtcp address");
	is_int(vg_sdp_media_dir(&sdp, m), VG_SDP_DIR_SENDONLY,
	       "m0 direction inherited from session");
	ok(vg_sdp_media_usable(m), "m0 usable");

	m = &sdp.media[1];
	is_int(m->kind, VG_SDP_MEDIA_VIDEO, "m1 video");
	is_int(m->port_count, 2, "m1 port count /2");
	is_int(m->proto, VG_SDP_PROTO_RTP_SAVPF, "m1 RTP/SAVPF");
	ok(m->conn.family == VG_AF_INET6 && m->conn.addr[15] == 5,
	   "m1 media c= IPv6 overrides session");
	is_int(m->bw_as, 512, "m1 b=AS");
	is_int(vg_sdp_clock_rate(m, 97), 48000, "opus clock");
	is_int(m->rtpmap[1].channels, 2, "opus channels");
	ok(m->flags & VG_SDP_M_RTCP_MUX, "m1 rtcp-mux");
	ok(m->flags & VG_SDP_M_CRYPTO, "m1 crypto");
	ok(vg_sdp_proto_is_srtp(m->proto), "SAVPF is SRTP");
	is_int(vg_sdp_media_dir(&sdp, m), VG_SDP_DIR_RECVONLY,
	       "m1 direction overrides session");
	is_int(m->ptime, 30, "m1 takes the session ptime");
	ok(vg_sdp_media_usable(m), "m1 usable");

	ok(!vg_sdp_media_usable(&sdp.media[2]), "port 0: disabled");
	is_int(sdp.media[3].proto, VG_SDP_PROTO_OTHER, "udptl is not RTP");
	ok(!vg_sdp_media_usable(&sdp.media[3]), "T.38 udptl opens no RTP pinhole");
	is_int(sdp.media[4].proto, VG_SDP_PROTO_UDP_TLS_RTP_SAVPF,
	       "UDP/TLS/RTP/SAVPF");
	ok(!vg_sdp_media_usable(&sdp.media[4]), "c=0.0.0.0 (hold) unusable");
	ok(vg_sdp_media_held(&sdp.media[4]), "c=0.0.0.0: held");
	ok(!vg_sdp_media_held(&sdp.media[0]) && !vg_sdp_media_held(&sdp.media[2]),
	   "a usable line or a disabled one is not held");
}

static void test_edges(void)
{
	char buf[4096];
	size_t off;
	int k;

	is_str(vg_reason_name(parse("")), "sip_bad_sdp", "empty body");
	is_str(vg_reason_name(parse("o=x 1 1 IN IP4 192.0.2.1" CRLF "v=0" CRLF)),
	       "sip_bad_sdp", "v= not first");
	is_str(vg_reason_name(parse("v=0" CRLF "hello" CRLF)), "sip_bad_sdp",
	       "a line that is not x=");
	is_str(vg_reason_name(parse("v=0" CRLF "m=audio 70000 RTP/AVP 0" CRLF)),
	       "sip_bad_sdp", "m= port above 65535");
	is_str(vg_reason_name(parse("v=0" CRLF "m=audio 4000" CRLF)),
	       "sip_bad_sdp", "m= without transport");
	is_str(vg_reason_name(parse("v=0" CRLF "c=IN" CRLF)), "sip_bad_sdp",
	       "c= with one field");
	is_str(vg_reason_name(parse("v=0\nc=IN IP4 host.example.com\n"
				    "m=audio 4000 RTP/AVP 0 300 x\n"
				    "a=rtpmap:31 LPC\na=rtpmap:0 PCMU\n"
				    "a=ptime:abc\n")),
	       "none", "LF line ends, FQDN, bad formats and attributes");
	is_int(sdp.media[0].conn.family, VG_AF_NONE, "FQDN gives no address");
	ok(!vg_sdp_media_usable(&sdp.media[0]), "FQDN media unusable");
	ok(sdp.media[0].flags & VG_SDP_M_BAD_FMT, "format 300 flagged");
	is_int(sdp.media[0].n_pts, 1, "only PT 0 kept");
	is_int(sdp.bad_lines, 3, "two bad rtpmaps and a bad ptime counted");
	is_int(vg_sdp_clock_rate(&sdp.media[0], 96), 0,
	       "dynamic PT without rtpmap: clock unknown");

	/* blanks before the line end, as some devices write them */
	is_str(vg_reason_name(parse("v=0 " CRLF "c=IN IP4 192.0.2.1 " CRLF
				    "a=recvonly\t" CRLF
				    "m=audio 4000 RTP/AVP 0 " CRLF
				    "a=sendonly " CRLF "a=rtcp:4005 " CRLF
				    "a=rtcp-mux " CRLF "a=ptime:30 " CRLF
				    "b=AS:64 " CRLF)),
	       "none", "trailing blanks on every line");
	is_int(sdp.bad_lines, 0, "trailing blanks: no line refused");
	is_int(sdp.dir, VG_SDP_DIR_RECVONLY, "trailing blanks: session direction");
	is_int(vg_sdp_media_dir(&sdp, &sdp.media[0]), VG_SDP_DIR_SENDONLY,
	       "trailing blanks: media direction");
	is_int(sdp.media[0].rtcp_port, 4005, "trailing blanks: a=rtcp port");
	ok(sdp.media[0].flags & VG_SDP_M_RTCP_MUX, "trailing blanks: rtcp-mux");
	is_int(sdp.media[0].ptime, 30, "trailing blanks: ptime");
	is_int(sdp.media[0].bw_as, 64, "trailing blanks: b=AS");
	is_str(vg_reason_name(parse("v=0" CRLF "  " CRLF)), "sip_bad_sdp",
	       "a line of blanks only is still no x= line");

	/* the last line, one or two octets long */
	is_str(vg_reason_name(parse("v=0" CRLF "c=IN IP4 192.0.2.1" CRLF "x")),
	       "sip_bad_sdp", "a last line of one octet, no x=");
	is_str(vg_reason_name(parse("v=0" CRLF "c=IN IP4 192.0.2.1" CRLF "\r")),
	       "none", "a last line of a lone CR is empty");
	is_str(vg_reason_name(parse("v=0" CRLF "c=IN IP4 192.0.2.1" CRLF "\n")),
	       "none", "a last line of a lone LF is empty");
	is_str(vg_reason_name(parse("v=0" CRLF "c=IN IP4 192.0.2.1" CRLF "a=")),
	       "none", "a last line \"a=\" with no value");
	ok(v4_is(&sdp.conn, 192, 0, 2, 1), "the lines before it are read");
	is_str(vg_reason_name(parse("v=0" CRLF "c=IN IP4 192.0.2.1" CRLF "xy")),
	       "sip_bad_sdp", "a last line of two octets, no x=");
	is_str(vg_reason_name(parse("v=0" CRLF "c=IN IP4 192.0.2.1" CRLF
				    "m=audio 4000 RTP/AVP 0 8" CRLF CRLF "\r")),
	       "none", "an empty line, then a lone CR");
	is_int(sdp.media[0].n_pts, 2, "the m= line's formats read");

	/* more m= lines than kept, more rtpmaps than the table */
	off = (size_t)snprintf(buf, sizeof(buf), "v=0" CRLF "c=IN IP4 192.0.2.1" CRLF);
	for (k = 0; k < 10; k++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
					"m=audio %d RTP/AVP 0" CRLF, 4000 + 2 * k);
	off += (size_t)snprintf(buf + off, sizeof(buf) - off,
				"m=audio 5000 RTP/AVP");
	for (k = 96; k < 116; k++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, " %d", k);
	off += (size_t)snprintf(buf + off, sizeof(buf) - off, CRLF);
	for (k = 96; k < 116; k++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
					"a=rtpmap:%d X/8000" CRLF, k);
	is_str(vg_reason_name(parse(buf)), "none", "eleven m= lines");
	is_int(sdp.n_media, VG_SDP_MAX_MEDIA, "media table full");
	is_int(sdp.media_total, 11, "every m= counted");
	is_int(sdp.media[7].port, 4014, "eighth m= kept");

	off = (size_t)snprintf(buf, sizeof(buf), "v=0" CRLF "m=audio 5000 RTP/AVP");
	for (k = 96; k < 116; k++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, " %d", k);
	off += (size_t)snprintf(buf + off, sizeof(buf) - off, CRLF);
	for (k = 96; k < 116; k++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
					"a=rtpmap:%d X/%d" CRLF, k, 1000 + k);
	is_str(vg_reason_name(parse(buf)), "none", "twenty rtpmaps");
	is_int(sdp.media[0].n_pts, 20, "twenty payload types in the set");
	is_int(sdp.media[0].n_rtpmap, VG_SDP_MAX_RTPMAP, "rtpmap table full");
	ok(sdp.media[0].flags & VG_SDP_M_PT_OVERFLOW, "rtpmap overflow flagged");
	is_int(vg_sdp_clock_rate(&sdp.media[0], 100), 1100, "kept rtpmap");
	ok(!vg_sdp_media_usable(&sdp.media[0]), "no c= anywhere: unusable");
}

static void test_find(void)
{
	const char *ct_sdp = "application/sdp";
	const char *ct_mp = "multipart/mixed;boundary=\"unique-boundary-1\"";
	const char *body =
		"--unique-boundary-1" CRLF
		"Content-Type: text/plain" CRLF CRLF
		"hello" CRLF
		"--unique-boundary-1" CRLF
		"Content-Type: application/sdp" CRLF
		"Content-Disposition: session" CRLF CRLF
		"v=0" CRLF "c=IN IP4 192.0.2.3" CRLF "m=audio 3456 RTP/AVP 0" CRLF
		CRLF "--unique-boundary-1--" CRLF;
	struct vg_str ct, b, out;

	ct.p = ct_sdp;
	ct.len = (u32)strlen(ct_sdp);
	b.p = "v=0" CRLF;
	b.len = 5;
	ok(vg_sdp_find(&ct, &b, &out) && out.p == b.p && out.len == 5,
	   "application/sdp is the body");

	ct.p = ct_mp;
	ct.len = (u32)strlen(ct_mp);
	b.p = body;
	b.len = (u32)strlen(body);
	ok(vg_sdp_find(&ct, &b, &out), "SDP part found in multipart/mixed");
	ok(out.len >= 3 && !memcmp(out.p, "v=0", 3), "part starts at v=0");
	ok(out.len > 2 && !memcmp(out.p + out.len - 2, CRLF, 2) &&
	   memcmp(out.p + out.len - 4, CRLF CRLF, 4) != 0,
	   "the CRLF before the delimiter is not in the part");
	is_str(vg_reason_name(vg_sdp_parse(out.p, out.len, &sdp)), "none",
	       "the SDP part parses");
	is_int(sdp.media[0].port, 3456, "port from the multipart SDP");

	ct.p = "multipart/alternative; boundary=unique-boundary-1";
	ct.len = (u32)strlen(ct.p);
	ok(vg_sdp_find(&ct, &b, &out), "multipart/alternative, unquoted boundary");
	ct.p = "multipart/mixed;boundary=other";
	ct.len = (u32)strlen(ct.p);
	ok(!vg_sdp_find(&ct, &b, &out), "wrong boundary finds nothing");
	ct.p = "multipart/mixed";
	ct.len = (u32)strlen(ct.p);
	ok(!vg_sdp_find(&ct, &b, &out), "no boundary finds nothing");
	ct.p = "text/plain";
	ct.len = (u32)strlen(ct.p);
	ok(!vg_sdp_find(&ct, &b, &out), "text/plain is no SDP");
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

static void test_corpus(void)
{
	static char buf[65536];
	struct vg_sip_msg msg;
	struct vg_str out;
	char path[256];
	long n;
	int k;

	for (k = 1; k <= 5; k++) {
		snprintf(path, sizeof(path), "../shared/corpus/seeds/sdp/input.%d.sdp",
			 k);
		n = slurp(path, buf, sizeof(buf));
		ok(n > 0 && vg_sdp_parse(buf, (u32)n, &sdp) == VG_R_NONE &&
		   sdp.n_media >= 1, "seed input.%d.sdp parses", k);
	}
	n = slurp("../shared/corpus/seeds/sdp/input.2.sdp", buf, sizeof(buf));
	if (n > 0 && vg_sdp_parse(buf, (u32)n, &sdp) == VG_R_NONE)
		is_int(vg_sdp_media_dir(&sdp, &sdp.media[0]), VG_SDP_DIR_INACTIVE,
		       "input.2: inactive");
	n = slurp("../shared/corpus/seeds/sdp/input.6.sdp", buf, sizeof(buf));
	ok(n > 0 && vg_sdp_parse(buf, (u32)n, &sdp) == VG_R_SIP_BAD_SDP,
	   "input.6 (corrupted m= line) refused");

	n = slurp("../shared/corpus/sip/rfc4475/mpart01.dat", buf, sizeof(buf));
	ok(n > 0 && vg_sip_parse(buf, (u32)n, NULL, &msg) == VG_R_NONE,
	   "mpart01 parses");
	ok(!vg_sdp_find(&msg.content_type, &msg.body, &out),
	   "mpart01: multipart without an SDP part");
	n = slurp("../shared/corpus/sip/rfc4475/sdp01.dat", buf, sizeof(buf));
	ok(n > 0 && vg_sip_parse(buf, (u32)n, NULL, &msg) == VG_R_NONE &&
	   vg_sdp_find(&msg.content_type, &msg.body, &out) &&
	   vg_sdp_parse(out.p, out.len, &sdp) == VG_R_NONE,
	   "sdp01: SDP found and parsed");
	is_int(sdp.bad_lines, 1, "sdp01: rtpmap without a clock rate ignored");
	is_int(vg_sdp_clock_rate(&sdp.media[1], 31), 90000,
	       "sdp01: PT 31 keeps its static clock");
}

int main(void)
{
	test_addresses();
	test_basic();
	test_edges();
	test_find();
	test_corpus();
	return tap_done();
}
