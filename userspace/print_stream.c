// SPDX-License-Identifier: GPL-2.0
/*
 * The media stream printer shared by "replay" and "flow show": one call
 * site per field gives both the JSON object and the text table row.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/socket.h>

#include "print_stream.h"
#include "vgctl.h"

void format_endpoint(const struct stream_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!len)
		return;
	buf[0] = '\0';
	if (ep->family == 4) {
		if (inet_ntop(AF_INET, ep->addr, a, sizeof(a)))
			snprintf(buf, len, "%s:%u", a, ep->port);
	} else if (ep->family == 6) {
		if (inet_ntop(AF_INET6, ep->addr, a, sizeof(a)))
			snprintf(buf, len, "[%s]:%u", a, ep->port);
	}
}

void print_stream_header(void)
{
	out_text("%-23s %-23s %-10s %3s %7s %5s %5s %9s %9s %4s %s\n",
		 "DST", "SRC", "SSRC", "PT", "PACKETS", "LOST", "DROP",
		 "JIT-MEAN", "JIT-MAX", "MOS", "CALL-ID");
}

void print_endpoint(const char *key, const char *fmt,
		    const struct stream_endpoint *ep)
{
	char buf[64];

	format_endpoint(ep, buf, sizeof(buf));
	if (buf[0])
		out_string(key, fmt, buf);
	else
		out_null(key, fmt);
}

void print_stream(const struct stream_view *sv)
{
	char ssrc[16];

	out_open_object(NULL);
	print_endpoint("dst", "%-23s ", &sv->dst);
	print_endpoint("src", "%-23s ", &sv->src);
	if (sv->has_ssrc) {
		snprintf(ssrc, sizeof(ssrc), "0x%08" PRIx32, sv->ssrc);
		out_string("ssrc", "%-10s ", ssrc);
	} else {
		out_null("ssrc", "%-10s ");
	}
	if (sv->payload_type >= 0)
		out_int("payload_type", "%3" PRId64 " ", sv->payload_type);
	else
		out_null("payload_type", "%3s ");
	out_uint("clock_rate", NULL, sv->clock_rate);
	out_bool("srtp", NULL, sv->srtp);
	if (sv->state)
		out_string("state", NULL, sv->state);
	out_uint("packets", "%7" PRIu64 " ", sv->packets);
	out_uint("bytes", NULL, sv->bytes);
	out_uint("lost", "%5" PRIu64 " ", sv->lost);
	out_uint("dropped", "%5" PRIu64 " ", sv->dropped);
	out_uint("duplicates", NULL, sv->duplicates);
	out_uint("reordered", NULL, sv->reordered);
	out_uint("rtcp_packets", NULL, sv->rtcp_packets);
	if (sv->has_jitter) {
		out_float("jitter_mean_ms", "%9.6f ", sv->jitter_mean_ns / 1e6);
		out_float("jitter_max_ms", "%9.6f ", sv->jitter_max_ns / 1e6);
	} else {
		out_null("jitter_mean_ms", "%9s ");
		out_null("jitter_max_ms", "%9s ");
	}
	if (sv->mos_x100)
		out_float("mos", "%4.2f ", sv->mos_x100 / 100.0);
	else
		out_null("mos", "%4s ");
	if (sv->call_id)
		out_string("call_id", "%s\n", sv->call_id);
	else
		out_null("call_id", "%s\n");
	out_close_object();
}
