/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgctl's view of the module's state: calls, media streams (flows),
 * sources and counters, parsed from netlink attributes and printed the
 * same way by the show commands and by monitor.
 */
#ifndef VGCTL_STATE_H
#define VGCTL_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/attr.h>

#include "print_stream.h"

#define STATE_CALL_ID_MAX	512
#define STATE_NAME_MAX		64

/* One media stream as the kernel reports it (VG_FLOW_A_*). */
struct flow_rec {
	struct stream_view sv;	/* what print_stream() prints */
	char call_id[STATE_CALL_ID_MAX];
	uint64_t id;
	bool rtcp;		/* the RTCP flow of a stream */
	uint64_t idle_ms;
	uint64_t expires_ms;
};

struct call_rec {
	char call_id[STATE_CALL_ID_MAX];
	int state;		/* enum vg_call_status, -1: absent */
	struct stream_endpoint caller;
	struct stream_endpoint callee;
	char from_zone[STATE_NAME_MAX];
	char to_zone[STATE_NAME_MAX];
	uint64_t age_ms;
	bool emergency;
	struct flow_rec *streams;
	size_t n_streams;
	bool streams_truncated;	/* the kernel had no room for all of them */
};

struct source_rec {
	uint8_t family;		/* 4 or 6 */
	uint8_t addr[16];
	uint8_t prefix_len;
	char zone[STATE_NAME_MAX];
	uint64_t passed;
	uint64_t limited;
	uint32_t calls;
	bool flooding;
	uint64_t idle_ms;
};

/* Parsers of one object's nest; 0, or -1 when it is malformed. */
int flow_rec_parse(struct nlattr *nest, struct flow_rec *fr);
int call_rec_parse(struct nlattr *nest, struct call_rec *cr);
void call_rec_free(struct call_rec *cr);
int source_rec_parse(struct nlattr *nest, struct source_rec *sr);

/*
 * RTCP flows folded into their RTP stream's rtcp_packets (the RTP stream of
 * the same call whose destination is the RTCP port minus one), so streams
 * look as "replay" reports them. Returns the new count.
 */
size_t flow_recs_fold_rtcp(struct flow_rec *fr, size_t n);

/*
 * Printers: a JSON object (under key, NULL inside an array) or one text
 * line.
 */
void call_rec_print(const char *key, const struct call_rec *cr, bool streams);
void source_rec_print(const struct source_rec *sr);
void source_print_header(void);

const char *call_status_name(int state);
const char *event_cause_name(int cause);

/* Objects (vgctl.c's table). */
int cmd_call(int argc, char **argv);
int cmd_flow(int argc, char **argv);
int cmd_source(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_monitor(int argc, char **argv);

#endif /* VGCTL_STATE_H */
