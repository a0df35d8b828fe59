/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration statements: one parser for the command line and for
 * configuration files, so "vgctl zone add voice 10.1.0.0/16" and the file
 * line "zone voice 10.1.0.0/16" mean the same thing. A statement becomes
 * one or more netlink requests (a large zone is sent in pieces), and the
 * running configuration is read back into the same form for "save".
 */
#ifndef VGCTL_CONFFILE_H
#define VGCTL_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <uapi/linux/voipguard.h>

#include "netlink.h"

#define VG_CF_PORT_RANGES	16
#define VG_CF_STRINGS		8
#define VG_CF_STRING_LEN	32
#define VG_CF_MAX_VALUES	40

enum vg_stmt_type {
	VG_ST_CONFIG,		/* config KEY VALUE [KEY VALUE...] */
	VG_ST_ZONE,		/* zone NAME [dscp-default N] PREFIX... */
	VG_ST_ZONE_DEL,		/* zone del NAME (command line only) */
	VG_ST_POLICY,		/* policy FROM TO CLASS ACTION */
	VG_ST_POLICY_DEL,	/* policy del FROM TO CLASS (command line) */
	VG_ST_LIMIT,		/* limit KEY ARGS [KEY ARGS...] */
	VG_ST_SRTP,		/* srtp { require | allow } FROM TO */
	VG_ST_SRTP_DEL,		/* srtp del FROM TO (command line) */
};

struct vg_cf_prefix {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t len;
	uint8_t addr[16];
};

/* One value of a config or limit key. */
struct vg_cf_value {
	int attr;		/* VG_CFG_A_* or VG_LIMIT_A_* */
	int kind;		/* enum vg_cf_kind, conffile.c */
	uint32_t u;
	unsigned int n;		/* port ranges or strings */
	uint16_t first[VG_CF_PORT_RANGES], last[VG_CF_PORT_RANGES];
	char str[VG_CF_STRINGS][VG_CF_STRING_LEN];
	char zone[VG_NAME_MAX];	/* calls-per-zone */
};

struct vg_stmt {
	enum vg_stmt_type type;
	int line;		/* in its file, 0 on the command line */
	uint32_t flags;		/* ZONE: VG_F_APPEND or VG_F_REPLACE */
	char name[VG_NAME_MAX];	/* zone; policy and srtp: from */
	char to[VG_NAME_MAX];
	int cls, action, require;
	int dscp_default;	/* -1: not given */
	struct vg_cf_prefix *pfx;
	size_t n_pfx;
	struct vg_cf_value val[VG_CF_MAX_VALUES];
	unsigned int n_val;
};

/*
 * Parses a statement of @object ("zone", "policy", "config", "limit",
 * "srtp") from its words, in file form (no verb: "zone voice 10.0.0.0/8").
 * Returns 0, or -1 with a reason in @err.
 */
int vg_stmt_parse(const char *object, int argc, char **argv,
		  struct vg_stmt *st, char *err, size_t errlen);
/*
 * The deletion of a "zone", "policy" or "srtp" entry, from the words
 * after "del"; no file statement deletes.
 */
int vg_stmt_parse_del(const char *object, int argc, char **argv,
		      struct vg_stmt *st, char *err, size_t errlen);
void vg_stmt_free(struct vg_stmt *st);

/*
 * Sends @st (inside transaction @txn, 0 for none). Returns 0, or -1 with
 * the kernel's reason in @err (naming the prefix or key it was about).
 */
int vg_stmt_send(const struct vg_stmt *st, uint32_t txn, char *err,
		 size_t errlen);

/* Splits @line into words at blanks; '#' starts a comment. */
int vg_cf_split(char *line, char **words, int max_words);

/* Reads a file of statements; errors printed as FILE:LINE: reason. */
int vg_cf_read(const char *path, struct vg_stmt **stmts, size_t *n);

/*
 * Reads the next statement of @f into *@buf (grown as needed): a line and
 * the lines a trailing '\' continues, joined by blanks, each line's '#'
 * comment cut off first. *@lineno counts the lines read, *@first_line is
 * the statement's first. Returns its length, or -1 at the end of the file
 * (errno 0) or on an error (errno set).
 */
ssize_t vg_cf_read_statement(FILE *f, char **buf, size_t *cap, int *lineno,
			     int *first_line);


/* Object commands (vgctl.c's object table). */
int cmd_config(int argc, char **argv);
int cmd_zone(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_limit(int argc, char **argv);
int cmd_srtp(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_save(int argc, char **argv);

/* The module's version string, or -1 if it cannot be read. */
int vg_module_version(char *buf, size_t len, bool quiet);

#endif /* VGCTL_CONFFILE_H */
