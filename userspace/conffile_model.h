/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration as vgctl models it: key table, value formats and the
 * running configuration read back from the kernel.
 */
#ifndef VGCTL_CONFFILE_MODEL_H
#define VGCTL_CONFFILE_MODEL_H

#include "conffile.h"

enum vg_cf_kind {
	VG_K_U8,
	VG_K_U32,
	VG_K_BOOL,		/* on | off */
	VG_K_MODE,		/* enforce | monitor */
	VG_K_TCP_SPLIT,		/* pass | drop */
	VG_K_DSCP,		/* 0..63 or ef, csN, afXY, be */
	VG_K_PORTS,		/* PORT[-PORT][,...] */
	VG_K_STRINGS,		/* A,B,C or none */
};

struct vg_cf_key {
	const char *name;
	int attr;
	int kind;
};

/* Config keys in the order "config show" and "save" print them. */
extern const struct vg_cf_key vg_cf_config_keys[];

const struct vg_cf_key *vg_cf_find_key(const struct vg_cf_key *keys,
				       const char *name);
/* Config key naming a VG_CFG_A_* attribute; NULL when none does. */
const char *vg_cf_config_key_name(int attr);
int vg_cf_parse_value(const struct vg_cf_key *k, const char *s,
		      struct vg_cf_value *v, char *err, size_t len);
void vg_cf_format_value(const struct vg_cf_value *v, char *buf, size_t len);
int vg_cf_parse_prefix(const char *s, struct vg_cf_prefix *p, char *err,
		       size_t len);
void vg_cf_format_prefix(const struct vg_cf_prefix *p, char *buf,
			 size_t len);
const char *vg_cf_class_name(int cls);
const char *vg_cf_action_name(int action);

struct vg_cf_zone {
	char name[VG_NAME_MAX];
	int dscp_default;
	struct vg_cf_prefix *pfx;
	size_t n_pfx, cap;
};

struct vg_cf_policy {
	char from[VG_NAME_MAX], to[VG_NAME_MAX];
	int cls, action;
};

struct vg_cf_zone_calls {
	char zone[VG_NAME_MAX];
	uint32_t max_calls;
};

/* The running configuration. */
struct vg_running {
	char version[64];
	uint32_t generation;
	bool dump_intr;			/* a dump saw a change under it */
	struct vg_cf_value cfg[VG_CF_MAX_VALUES];	/* by key table order */
	bool have_cfg[VG_CF_MAX_VALUES];
	struct vg_cf_zone *zones;
	size_t n_zones;
	struct vg_cf_policy *policy;
	size_t n_policy;
	struct vg_cf_policy *srtp;	/* action = require 0/1 */
	size_t n_srtp;
	uint32_t limit[VG_LIMIT_A_MAX + 1];
	bool have_limit[VG_LIMIT_A_MAX + 1];
	struct vg_cf_zone_calls *zone_calls;
	size_t n_zone_calls;
};

/* What to read: bits of VG_RUN_*. */
#define VG_RUN_CONFIG	(1U << 0)
#define VG_RUN_ZONES	(1U << 1)
#define VG_RUN_POLICY	(1U << 2)
#define VG_RUN_LIMITS	(1U << 3)
#define VG_RUN_SRTP	(1U << 4)
#define VG_RUN_ALL	0x1fU

/*
 * Reads the running configuration (the socket is open), again when it
 * changed under the reads. On an error *r holds nothing to free.
 */
int vg_running_read(struct vg_running *r, unsigned int what);
void vg_running_free(struct vg_running *r);
/* Prints @r as statements, the format "apply" reads. */
void vg_running_print(const struct vg_running *r, FILE *f);

#endif /* VGCTL_CONFFILE_MODEL_H */
