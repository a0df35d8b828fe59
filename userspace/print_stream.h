/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One media stream, printed the same way wherever its numbers come from:
 * "vgctl replay" fills it from its own pipeline, "vgctl flow show" from the
 * kernel's flow attributes. Plain numbers only, no core structures.
 */
#ifndef VGCTL_PRINT_STREAM_H
#define VGCTL_PRINT_STREAM_H

#include <stdbool.h>
#include <stdint.h>

/* A transport address; family 0 means unknown (printed as null). */
struct stream_endpoint {
	uint8_t family;		/* 4 or 6; 0: unknown */
	uint8_t addr[16];	/* IPv4 in the first 4 octets */
	uint16_t port;
};

struct stream_view {
	const char *call_id;	/* NULL: none */
	const char *state;	/* "open", "closed", ...; NULL: not printed */
	struct stream_endpoint src;	/* the sender (latched), if known */
	struct stream_endpoint dst;	/* the pinhole */
	bool has_ssrc;
	uint32_t ssrc;
	int payload_type;	/* last seen, -1: none yet */
	uint32_t clock_rate;	/* Hz, 0: unknown */
	bool srtp;
	uint64_t packets;	/* accepted RTP */
	uint64_t bytes;
	uint64_t dropped;
	uint64_t lost;
	uint64_t duplicates;
	uint64_t reordered;
	uint64_t rtcp_packets;
	bool has_jitter;	/* jitter figures below are measured */
	uint64_t jitter_mean_ns;
	uint64_t jitter_max_ns;
	uint32_t mos_x100;	/* 0: no estimate */
};

/* "a.b.c.d:port" or "[v6]:port" into buf; "" for an unknown endpoint. */
void format_endpoint(const struct stream_endpoint *ep, char *buf, size_t len);

/* An endpoint under key: its text, or null when unknown. */
void print_endpoint(const char *key, const char *fmt,
		    const struct stream_endpoint *ep);

/* Header line of the text table (nothing in JSON mode). */
void print_stream_header(void);

/*
 * One stream: a JSON object (inside the current array) or one table row.
 * Keys: call_id src dst ssrc payload_type clock_rate srtp state packets
 * bytes dropped lost duplicates reordered rtcp_packets jitter_mean_ms
 * jitter_max_ms mos.
 */
void print_stream(const struct stream_view *sv);

#endif /* VGCTL_PRINT_STREAM_H */
