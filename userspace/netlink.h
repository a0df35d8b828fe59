/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgctl's generic netlink transport: one socket to the voipguard family,
 * requests with extended acks, the kernel's error message shown to a person.
 */
#ifndef VGCTL_NETLINK_H
#define VGCTL_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

/* Adds a request's attributes; returns 0 or a negative libnl error. */
typedef int (*vg_nl_build_fn)(struct nl_msg *msg, void *arg);
/*
 * Called for each reply message with its top-level attributes (indexed by
 * enum vg_attr); returns 0, or nonzero to stop with a runtime error after
 * printing why.
 */
typedef int (*vg_nl_parse_fn)(struct nlattr **tb, void *arg);

/* Request flags for vg_nl_request(). */
#define VG_NL_DUMP	(1U << 0)	/* NLM_F_DUMP */
#define VG_NL_QUIET	(1U << 1)	/* print no error message */

/*
 * Opens the socket and resolves the family (after entering -n NETNS).
 * Returns VG_EXIT_OK, or VG_EXIT_ERROR after printing why (unless quiet).
 */
int vg_nl_open(bool quiet);
void vg_nl_close(void);

/*
 * Sends one request and reads replies until its ack or the end of the
 * dump. Returns VG_EXIT_OK or VG_EXIT_ERROR (the kernel's extack message
 * and the errno text printed, unless VG_NL_QUIET).
 */
int vg_nl_request(uint8_t cmd, unsigned int flags, vg_nl_build_fn build,
		  vg_nl_parse_fn parse, void *arg);

/* Why a request failed. */
struct vg_nl_error {
	int error;		/* the kernel's negative errno, or 0 */
	char msg[256];		/* extack message, may be empty */
	int bad_attr_off;	/* offending attribute's offset in the request, or -1 */
	char local[160];	/* error 0: what failed on this side, or empty */
};

/*
 * vg_nl_request() that also fills *out (when not NULL), so the caller can
 * relate a failure to its own input.
 */
int vg_nl_request_ex(uint8_t cmd, unsigned int flags, vg_nl_build_fn build,
		     vg_nl_parse_fn parse, void *arg, struct vg_nl_error *out);

/*
 * Set by vg_nl_request() when a part of its dump carried NLM_F_DUMP_INTR:
 * the kernel's state changed during the dump, which may have missed or
 * repeated objects; dump again for a consistent view.
 */
extern bool vg_nl_dump_interrupted;

/* Starts a nest with NLA_F_NESTED set, as strict validation requires. */
struct nlattr *vg_nl_nest_start(struct nl_msg *msg, int type);

/* Enters the named network namespace (/run/netns/NAME). */
int vg_nl_enter_netns(const char *name);

#endif /* VGCTL_NETLINK_H */
