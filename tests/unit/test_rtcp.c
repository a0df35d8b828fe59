// SPDX-License-Identifier: GPL-2.0
/*
 * RTCP compound validation (RFC 3550 A.2) on the corpus seeds, on compounds
 * built from them, and on hand-made broken packets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rtcp.h"

#define SEEDS "../shared/corpus/seeds/rtcp/"

static u32 load(const char *name, u8 *buf, u32 cap)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), SEEDS "%s", name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (u32)n;
}

/* Append seed @name to @buf at *@len. */
static void append(const char *name, u8 *buf, u32 *len)
{
	*len += load(name, buf + *len, 2048 - *len);
}

static void test_seeds(void)
{
	/* Lone non-SR/RR packets are reduced-size RTCP: refused by A.2. */
	static const struct {
		const char *name;
		u8 type;
		enum vg_reason want;
	} seeds[] = {
		{ "1.rtcp", VG_RTCP_SR, VG_R_NONE },
		{ "2.rtcp", VG_RTCP_RR, VG_R_NONE },
		{ "3.rtcp", VG_RTCP_SDES, VG_R_RTCP_BAD },
		{ "4.rtcp", VG_RTCP_BYE, VG_R_RTCP_BAD },
		{ "5.rtcp", VG_RTCP_RTPFB, VG_R_RTCP_BAD },
		{ "6.rtcp", VG_RTCP_PSFB, VG_R_RTCP_BAD },
		{ "7.rtcp", VG_RTCP_XR, VG_R_RTCP_BAD },
		{ "seed-rtcp-fb-nack.bin", VG_RTCP_RTPFB, VG_R_RTCP_BAD },
		{ "seed-rtcp-fb-pli.bin", VG_RTCP_PSFB, VG_R_RTCP_BAD },
		{ "seed-rtcp-fb-rpsi.bin", VG_RTCP_PSFB, VG_R_RTCP_BAD },
		{ "seed-rtcp-fb-sli.bin", VG_RTCP_PSFB, VG_R_RTCP_BAD },
	};
	struct vg_rtcp_info info;
	u8 buf[2048];
	unsigned int i;
	u32 n;

	for (i = 0; i < VG_ARRAY_SIZE(seeds); i++) {
		n = load(seeds[i].name, buf, sizeof(buf));
		ok(n >= 8 && buf[1] == seeds[i].type, "seed %s: type %u",
		   seeds[i].name, seeds[i].type);
		is_int(vg_rtcp_validate(buf, n, &info), seeds[i].want,
		       "seed %s alone: %s", seeds[i].name,
		       seeds[i].want ? "refused (not led by SR/RR)" : "valid");
	}

	n = load("1.rtcp", buf, sizeof(buf));
	vg_rtcp_validate(buf, n, &info);
	is_int(info.sr, 1, "SR counted");
	is_int(info.report_blocks, 1, "SR report block counted");
	is_int(info.ssrc, 0x66f00c9a, "sender SSRC");
	is_int(info.packets, 1, "one packet");

	/* SR + SDES + BYE, RR + every feedback and XR */
	n = 0;
	append("1.rtcp", buf, &n);
	append("3.rtcp", buf, &n);
	append("4.rtcp", buf, &n);
	is_int(vg_rtcp_validate(buf, n, &info), VG_R_NONE, "SR+SDES+BYE");
	is_int(info.packets, 3, "3 packets");
	is_int(info.sr, 1, "1 SR");
	is_int(info.sdes, 1, "1 SDES");
	is_int(info.bye, 1, "1 BYE");
	is_int(vg_rtcp_validate(buf, n - 1, &info), VG_R_RTCP_BAD,
	       "one octet short");
	is_int(vg_rtcp_validate(buf, n - 4, &info), VG_R_RTCP_BAD,
	       "one word short");

	n = 0;
	append("2.rtcp", buf, &n);
	append("5.rtcp", buf, &n);
	append("6.rtcp", buf, &n);
	append("7.rtcp", buf, &n);
	append("seed-rtcp-fb-nack.bin", buf, &n);
	append("seed-rtcp-fb-pli.bin", buf, &n);
	append("seed-rtcp-fb-rpsi.bin", buf, &n);
	append("seed-rtcp-fb-sli.bin", buf, &n);
	is_int(vg_rtcp_validate(buf, n, &info), VG_R_NONE,
	       "RR + feedback + XR");
	is_int(info.rr, 1, "1 RR");
	is_int(info.rtpfb, 2, "2 RTPFB");
	is_int(info.psfb, 4, "4 PSFB");
	is_int(info.xr, 1, "1 XR");
	is_int(info.packets, 8, "8 packets");
	is_int(vg_rtcp_validate(buf, n, NULL), VG_R_NONE, "NULL info is fine");
	buf[n] = 0;
	is_int(vg_rtcp_validate(buf, n + 1, &info), VG_R_RTCP_BAD,
	       "trailing octet");
}

static void test_broken(void)
{
	struct vg_rtcp_info info;
	u8 b[256];
	u32 n;

	/* RR, no reports: 8 octets */
	static const u8 rr[] = { 0x80, 201, 0, 1, 1, 2, 3, 4 };
	/* APP: SSRC + name */
	static const u8 app[] = { 0x80, 204, 0, 2, 1, 2, 3, 4, 'v', 'g', 'r',
				  'd' };
	/* packet type 195 (IJ, RFC 5450), empty */
	static const u8 ij[] = { 0x80, 195, 0, 0 };

	memcpy(b, rr, 8);
	is_int(vg_rtcp_validate(b, 8, &info), VG_R_NONE, "empty RR");
	is_int(vg_rtcp_validate(b, 7, &info), VG_R_RTCP_BAD, "7 octets");
	is_int(vg_rtcp_validate(b, 0, &info), VG_R_RTCP_BAD, "0 octets");

	b[0] = 0x40 | 0;
	is_int(vg_rtcp_validate(b, 8, &info), VG_R_RTCP_BAD, "version 1");
	b[0] = 0x81;
	is_int(vg_rtcp_validate(b, 8, &info), VG_R_RTCP_BAD,
	       "RC 1 without a report block");
	b[0] = 0xa0;
	is_int(vg_rtcp_validate(b, 8, &info), VG_R_RTCP_BAD,
	       "padding on the first packet");
	b[0] = 0x80;
	b[1] = 202;
	is_int(vg_rtcp_validate(b, 8, &info), VG_R_RTCP_BAD, "SDES first");
	b[1] = 200;
	is_int(vg_rtcp_validate(b, 8, &info), VG_R_RTCP_BAD,
	       "SR without sender info");
	b[1] = 201;
	b[3] = 2;
	is_int(vg_rtcp_validate(b, 8, &info), VG_R_RTCP_BAD,
	       "length beyond the datagram");

	/* RR + APP + IJ */
	n = 0;
	memcpy(b + n, rr, sizeof(rr));
	n += sizeof(rr);
	memcpy(b + n, app, sizeof(app));
	n += sizeof(app);
	memcpy(b + n, ij, sizeof(ij));
	n += sizeof(ij);
	is_int(vg_rtcp_validate(b, n, &info), VG_R_NONE, "RR+APP+IJ");
	is_int(info.app, 1, "1 APP");
	is_int(info.other, 1, "1 other");
	b[n - 3] = 240;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "packet type 240 is not RTCP");
	b[n - 3] = 195;
	b[n - 4] = 0x40;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "version 1 in a later packet");
	b[n - 4] = 0x80;

	/* padding in a middle packet */
	b[8] = 0xa0;
	b[8 + 11] = 4;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "padding in a middle packet");
	b[8] = 0x80;

	/* padding on the last packet: RR + BYE(SC=1) padded by 4 */
	n = 0;
	memcpy(b, rr, sizeof(rr));
	n = 8;
	memcpy(b + n, (const u8[]){ 0xa1, 203, 0, 2, 1, 2, 3, 4, 0, 0, 0, 4 },
	       12);
	n += 12;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_NONE,
	       "padding on the last packet");
	b[n - 1] = 0;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "padding count 0");
	b[n - 1] = 9;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "padding into the header");
	b[n - 1] = 8;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "padding eats the BYE source");
	b[8] = 0xa0;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_NONE,
	       "BYE SC 0 padded by 8");

	/* BYE count beyond its length */
	b[8] = 0x82;
	b[n - 1] = 0;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_NONE, "BYE SC 2 fits");
	b[8] = 0x83;
	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "BYE SC 3 does not fit");

	/* zero-length words after the first packet */
	memcpy(b, rr, 8);
	memset(b + 8, 0, 4);
	is_int(vg_rtcp_validate(b, 12, &info), VG_R_RTCP_BAD,
	       "zero word after RR");
	/* a short tail after a valid packet */
	b[8] = 0x80;
	b[9] = 203;
	is_int(vg_rtcp_validate(b, 10, &info), VG_R_RTCP_BAD,
	       "two-octet tail");
}

/*
 * SRTCP: an RR with one report block in the clear header, then what would
 * be the encrypted rest of the compound, the E flag and index, and an
 * 80-bit authentication tag.
 */
static void test_srtcp(void)
{
	struct vg_rtcp_info info;
	u8 b[128];
	u32 i, n;

	memset(b, 0, sizeof(b));
	b[0] = 0x81;
	b[1] = VG_RTCP_RR;
	b[3] = 7;			/* 32 octets */
	b[4] = 0x11;
	b[7] = 0x44;
	for (i = 32; i < 52; i++)	/* "encrypted" SDES */
		b[i] = (u8)(i * 37 + 11);
	b[52] = 0x80;			/* E flag, index 1 */
	b[55] = 1;
	for (i = 56; i < 66; i++)	/* tag */
		b[i] = (u8)(i * 53);
	n = 66;

	is_int(vg_rtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "SRTCP is not a plain RTCP compound");
	is_int(vg_srtcp_validate(b, n, &info), VG_R_NONE, "SRTCP RR");
	is_int(info.rr, 1, "SRTCP: 1 RR");
	is_int(info.report_blocks, 1, "SRTCP: 1 report block");
	is_int(info.packets, 1, "SRTCP: the clear packet counted");
	is_int(info.ssrc, 0x11000044, "SRTCP: sender SSRC");
	is_int(vg_srtcp_validate(b, n, NULL), VG_R_NONE,
	       "SRTCP: NULL info is fine");
	is_int(vg_srtcp_validate(b, 32 + 4, &info), VG_R_NONE,
	       "SRTCP: index right after the first packet");
	is_int(vg_srtcp_validate(b, 32 + 3, &info), VG_R_RTCP_BAD,
	       "SRTCP: no room for the index");
	is_int(vg_srtcp_validate(b, 7, &info), VG_R_RTCP_BAD,
	       "SRTCP: 7 octets");
	b[0] = 0x82;
	is_int(vg_srtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "SRTCP: RC 2 in 32 octets");
	b[0] = 0xa1;
	is_int(vg_srtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "SRTCP: padding on the first packet");
	b[0] = 0x41;
	is_int(vg_srtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "SRTCP: version 1");
	b[0] = 0x81;
	b[1] = VG_RTCP_SDES;
	is_int(vg_srtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "SRTCP: SDES first");
	b[1] = VG_RTCP_SR;
	is_int(vg_srtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "SRTCP: SR too short for sender info and a block");
	b[3] = 12;			/* 52 octets: SR, one block */
	is_int(vg_srtcp_validate(b, n, &info), VG_R_NONE, "SRTCP SR");
	is_int(info.sr, 1, "SRTCP: 1 SR");
	b[3] = 16;			/* 68 octets */
	is_int(vg_srtcp_validate(b, n, &info), VG_R_RTCP_BAD,
	       "SRTCP: length beyond the datagram");
}

int main(void)
{
	test_seeds();
	test_broken();
	test_srtcp();
	return tap_done();
}
