// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: one SIP datagram through the parser (default and
 * strict limits) and, when valid, through the call logic.
 */
#include <stdint.h>
#include <stdlib.h>

#include "call.h"

static struct vg_sdp scratch;

static void check_views(const struct vg_sip_msg *m, const char *buf, size_t n)
{
	/* every view must lie inside the input */
	if (m->body.len && (m->body.p < buf || m->body.p + m->body.len > buf + n))
		abort();
	if (m->msg_len > n)
		abort();
	if (m->call_id.len &&
	    (m->call_id.p < buf || m->call_id.p + m->call_id.len > buf + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vg_call call;
	static unsigned int messages;
	const char *buf = (const char *)data;
	struct vg_sip_limits lim;
	struct vg_sip_msg msg;
	struct vg_call_decision dec;

	if (size > 0xffffffffu)
		return 0;
	if (vg_sip_parse(buf, (u32)size, NULL, &msg) == VG_R_NONE) {
		check_views(&msg, buf, size);
		/* a short-lived call that sees a few messages in a row */
		if (++messages % 8 == 0)
			memset(&call, 0, sizeof(call));
		vg_call_update(&call, NULL, &msg, &scratch, &dec);
		if (dec.n_pinholes > VG_ARRAY_SIZE(dec.pinholes))
			abort();
	}
	vg_sip_limits_default(&lim);
	lim.strict = VG_SIP_STRICT_REQUIRED | VG_SIP_STRICT_SINGLE;
	lim.max_headers = 8;
	lim.max_header_len = 64;
	lim.max_uri_len = 32;
	if (vg_sip_parse(buf, (u32)size, &lim, &msg) == VG_R_NONE)
		check_views(&msg, buf, size);
	return 0;
}
