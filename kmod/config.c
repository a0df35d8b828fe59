// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration snapshot: defaults, copy, compile, publish, and the
 * lookups the packet path makes in it.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <net/netlink.h>

#include "config.h"
#include "events.h"
#include "pernet.h"
#include "zone.h"

static const char * const vg_zone_any_name = VG_ZONE_ANY;

struct vg_config *vg_config_new_default(void)
{
	struct vg_config *cfg = kvzalloc(sizeof(*cfg), GFP_KERNEL);

	if (!cfg)
		return NULL;
	cfg->mode = VG_MODE_ENFORCE;
	cfg->n_sip_ports = 1;
	cfg->sip_ports[0].first = VG_DEFAULT_SIP_PORT;
	cfg->sip_ports[0].last = VG_DEFAULT_SIP_PORT;
	cfg->n_media_ports = 1;
	cfg->media_ports[0].first = VG_DEFAULT_MEDIA_FIRST;
	cfg->media_ports[0].last = VG_DEFAULT_MEDIA_LAST;
	cfg->dscp_rtp = VG_DEFAULT_DSCP_RTP;
	cfg->dscp_sip = VG_DEFAULT_DSCP_SIP;
	cfg->priority_rtp = VG_DEFAULT_PRIORITY_RTP;
	cfg->priority_sip = VG_DEFAULT_PRIORITY_SIP;
	cfg->media_timeout = VG_DEFAULT_MEDIA_TIMEOUT;
	cfg->call_timeout = VG_DEFAULT_CALL_TIMEOUT;
	cfg->max_streams = VG_DEFAULT_MAX_STREAMS;
	cfg->max_calls = VG_DEFAULT_MAX_CALLS;
	cfg->max_sources = VG_DEFAULT_MAX_SOURCES;
	cfg->max_streams_per_call = VG_DEFAULT_MAX_STREAMS_PER_CALL;
	/* Safe to deploy: nothing outside a known pinhole is dropped yet. */
	cfg->media_strict = false;
	cfg->direct_media = true;
	cfg->peer_restrict = false;
	cfg->tcp_split = VG_TCP_SPLIT_PASS;
	cfg->source_prefix6 = VG_DEFAULT_SOURCE_PREFIX6;
	cfg->event_rate = VG_DEFAULT_EVENT_RATE;
	vg_sip_limits_default(&cfg->sip);
	vg_call_config_default(&cfg->call);
	cfg->limits.sip_rate = VG_DEFAULT_SIP_RATE;
	cfg->limits.sip_burst = VG_DEFAULT_SIP_BURST;
	cfg->limits.invite_weight = 1;
	cfg->limits.register_weight = 1;
	cfg->limits.rtp_headroom = VG_DEFAULT_RTP_HEADROOM;

	if (vg_config_compile(cfg, NULL)) {
		vg_config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct vg_config *vg_config_clone(const struct vg_config *cfg)
{
	struct vg_config *new = kvmalloc(sizeof(*new), GFP_KERNEL);

	if (!new)
		return NULL;
	memcpy(new, cfg, sizeof(*new));
	new->lpm4.pfx = NULL;
	new->lpm6.pfx = NULL;
	if (cfg->lpm4.n) {
		new->lpm4.pfx = kvmalloc_array(cfg->lpm4.n,
					       sizeof(*cfg->lpm4.pfx),
					       GFP_KERNEL);
		if (!new->lpm4.pfx)
			goto err;
		memcpy(new->lpm4.pfx, cfg->lpm4.pfx,
		       cfg->lpm4.n * sizeof(*cfg->lpm4.pfx));
	}
	if (cfg->lpm6.n) {
		new->lpm6.pfx = kvmalloc_array(cfg->lpm6.n,
					       sizeof(*cfg->lpm6.pfx),
					       GFP_KERNEL);
		if (!new->lpm6.pfx)
			goto err;
		memcpy(new->lpm6.pfx, cfg->lpm6.pfx,
		       cfg->lpm6.n * sizeof(*cfg->lpm6.pfx));
	}
	return new;
err:
	vg_config_free(new);
	return NULL;
}

void vg_config_free(struct vg_config *cfg)
{
	if (!cfg)
		return;
	kvfree(cfg->lpm4.pfx);
	kvfree(cfg->lpm6.pfx);
	kvfree(cfg);
}

static void vg_config_free_rcu(struct rcu_head *head)
{
	vg_config_free(container_of(head, struct vg_config, rcu));
}

void vg_config_publish(struct vg_net *vn, struct vg_config *cfg)
{
	struct vg_config *old;

	lockdep_assert_held(&vn->config_lock);
	old = rcu_replace_pointer(vn->config, cfg,
				  lockdep_is_held(&vn->config_lock));
	/* a new global budget starts full, as a new bucket does */
	if (!old || old->limits.global_rate != cfg->limits.global_rate ||
	    old->limits.global_burst != cfg->limits.global_burst) {
		atomic64_set(&vn->budget_tat, 0);
		WRITE_ONCE(vn->budget_epoch, vn->budget_epoch + 1);
	}
	WRITE_ONCE(vn->generation, vn->generation + 1);
	if (old)
		call_rcu(&old->rcu, vg_config_free_rcu);
	vg_event_config(vn, vn->generation);
}

static void vg_ports_compile(unsigned long *map,
			     const struct vg_port_range *r, unsigned int n)
{
	unsigned int i;

	bitmap_zero(map, 65536);
	for (i = 0; i < n; i++)
		bitmap_set(map, r[i].first, r[i].last - r[i].first + 1);
}

/*
 * Specificity of an entry: named source zone 4, named destination 2,
 * named class 1. Entries are unique per (from, to, class), so no two
 * entries matching one packet have the same score.
 */
static unsigned int vg_policy_score(const struct vg_policy_entry *e)
{
	return (e->from != VG_ZONE_ANY_IDX) * 4 +
	       (e->to != VG_ZONE_ANY_IDX) * 2 + (e->cls != VG_CLASS_ANY);
}

/* Points every (from, to, class) cell that entry @i covers at it. */
static void vg_policy_fill(struct vg_config *cfg, unsigned int i)
{
	const struct vg_policy_entry *e = &cfg->policy[i];
	unsigned int f, t, c;

	for (f = 0; f < VG_ZONE_SLOTS; f++) {
		if (e->from != VG_ZONE_ANY_IDX && e->from != f)
			continue;
		for (t = 0; t < VG_ZONE_SLOTS; t++) {
			if (e->to != VG_ZONE_ANY_IDX && e->to != t)
				continue;
			for (c = 0; c < VG_NCLASSES; c++)
				if (e->cls == VG_CLASS_ANY || e->cls == c)
					cfg->policy_match[f][t][c] = i;
		}
	}
}

static void vg_policy_compile(struct vg_config *cfg)
{
	unsigned int score, i, f, t, c;

	for (f = 0; f < VG_ZONE_SLOTS; f++)
		for (t = 0; t < VG_ZONE_SLOTS; t++)
			for (c = 0; c < VG_NCLASSES; c++)
				cfg->policy_match[f][t][c] = VG_POLICY_NO_ENTRY;

	/* Least specific first: a more specific entry overwrites. */
	for (score = 0; score < 8; score++)
		for (i = 0; i < cfg->n_policy; i++)
			if (vg_policy_score(&cfg->policy[i]) == score)
				vg_policy_fill(cfg, i);
}

static void vg_srtp_compile(struct vg_config *cfg)
{
	unsigned int score, i, f, t;

	memset(cfg->srtp_required, 0, sizeof(cfg->srtp_required));
	for (score = 0; score < 4; score++) {
		for (i = 0; i < cfg->n_srtp; i++) {
			const struct vg_srtp_entry *e = &cfg->srtp[i];

			if ((e->from != VG_ZONE_ANY_IDX) * 2 +
			    (e->to != VG_ZONE_ANY_IDX) != score)
				continue;
			for (f = 0; f < VG_ZONE_SLOTS; f++)
				for (t = 0; t < VG_ZONE_SLOTS; t++)
					if ((e->from == VG_ZONE_ANY_IDX ||
					     e->from == f) &&
					    (e->to == VG_ZONE_ANY_IDX ||
					     e->to == t))
						cfg->srtp_required[f][t] =
							e->require;
		}
	}
}

int vg_config_compile(struct vg_config *cfg, struct netlink_ext_ack *extack)
{
	unsigned int z;
	u32 i;

	if (cfg->lpm4.n + cfg->lpm6.n > VG_PREFIXES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "too many prefixes (at most 65536)");
		return -ENOSPC;
	}
	if (vg_lpm4_build(&cfg->lpm4) || vg_lpm6_build(&cfg->lpm6)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a prefix is given twice (each prefix belongs to one zone)");
		return -EEXIST;
	}
	for (z = 0; z < VG_ZONES_MAX; z++)
		cfg->zones[z].n_prefixes = 0;
	for (i = 0; i < cfg->lpm4.n; i++)
		cfg->zones[cfg->lpm4.pfx[i].zone].n_prefixes++;
	for (i = 0; i < cfg->lpm6.n; i++)
		cfg->zones[cfg->lpm6.pfx[i].zone].n_prefixes++;

	vg_policy_compile(cfg);
	vg_srtp_compile(cfg);
	vg_ports_compile(cfg->sip_port_map, cfg->sip_ports, cfg->n_sip_ports);
	vg_ports_compile(cfg->media_port_map, cfg->media_ports,
			 cfg->n_media_ports);
	return 0;
}

int vg_zone_of(const struct vg_config *cfg, u8 family, const void *addr)
{
	if (family == AF_INET)
		return vg_lpm4_lookup(&cfg->lpm4, get_unaligned_be32(addr));
	if (family == AF_INET6)
		return vg_lpm6_lookup(&cfg->lpm6, get_unaligned_be64(addr),
				      get_unaligned_be64((const u8 *)addr + 8));
	return VG_ZONE_NONE;
}

static inline unsigned int vg_zone_slot(int zone)
{
	return zone >= 0 && zone < VG_ZONES_MAX ? zone : VG_ZONES_MAX;
}

int vg_policy_index(const struct vg_config *cfg, int from, int to,
		    enum vg_class cls)
{
	u16 idx;

	if ((unsigned int)cls >= VG_NCLASSES)
		return -1;
	idx = cfg->policy_match[vg_zone_slot(from)][vg_zone_slot(to)][cls];
	return idx == VG_POLICY_NO_ENTRY ? -1 : idx;
}

const struct vg_policy_entry *vg_policy_match(const struct vg_config *cfg,
					       int from, int to,
					       enum vg_class cls)
{
	int idx = vg_policy_index(cfg, from, to, cls);

	return idx < 0 ? NULL : &cfg->policy[idx];
}

bool vg_srtp_required(const struct vg_config *cfg, int from, int to)
{
	return cfg->srtp_required[vg_zone_slot(from)][vg_zone_slot(to)];
}

const char *vg_zone_name(const struct vg_config *cfg, int zone)
{
	if (zone == VG_ZONE_ANY_IDX)
		return vg_zone_any_name;
	if (zone < 0 || zone >= VG_ZONES_MAX || !cfg->zones[zone].name[0])
		return NULL;
	return cfg->zones[zone].name;
}

int vg_zone_find(const struct vg_config *cfg, const char *name,
		 bool allow_any)
{
	int z;

	if (allow_any && !strcmp(name, VG_ZONE_ANY))
		return VG_ZONE_ANY_IDX;
	for (z = 0; z < VG_ZONES_MAX; z++)
		if (cfg->zones[z].name[0] && !strcmp(cfg->zones[z].name, name))
			return z;
	return VG_ZONE_NONE;
}
