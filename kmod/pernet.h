/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything voipguard keeps for one network namespace.
 */
#ifndef VG_PERNET_H
#define VG_PERNET_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <uapi/linux/voipguard.h>

#include "calls.h"
#include "config.h"
#include "events.h"
#include "media.h"
#include "sources.h"
#include "stats.h"

/* One CPU's tokens of the global packet budget (limit global). */
struct vg_budget {
	u32 tokens;			/* taken from budget_tat, not yet spent */
	u32 epoch;			/* the budget_epoch they were taken in */
};

struct vg_net {
	struct net *net;
	struct vg_stats stats;
	struct vg_config __rcu *config;
	/* Serialises configuration changes; never taken on the packet path. */
	struct mutex config_lock;
	/* Bumped under config_lock on every change; read with READ_ONCE. */
	u32 generation;
	/* Staged configurations of open replace transactions (config_lock). */
	struct vg_txns txns;

	struct vg_events events;
	struct vg_media_table media;
	struct vg_call_table calls;
	struct vg_source_table sources;
	/* Bumped when an entry of any state table comes or goes. */
	atomic_t state_gen;
	/*
	 * The global packet budget: one bucket for the namespace, as a GCRA
	 * word that CPUs take tokens from a batch at a time (so the shared
	 * line is written once per batch, not per packet), and each CPU's
	 * tokens in hand.
	 */
	atomic64_t budget_tat;
	/* Bumped when the limits change: tokens in hand are void. */
	u32 budget_epoch;
	struct vg_budget __percpu *budget;
	/* Expiry of idle pinholes, unanswered calls and idle sources. */
	struct delayed_work gc_work;
};

extern unsigned int vg_net_id;

static inline struct vg_net *vg_net(const struct net *net)
{
	return net_generic(net, vg_net_id);
}

/*
 * Nanoseconds from then to now. Another CPU may stamp an entry after this
 * one read its clock: that counts as no time at all, not as 2^64.
 */
static inline u64 vg_ns_since(u64 now, u64 then)
{
	return now - min(now, then);
}

/* The current configuration; caller holds rcu_read_lock or config_lock. */
static inline struct vg_config *vg_config_get(struct vg_net *vn)
{
	return rcu_dereference_check(vn->config,
				     lockdep_is_held(&vn->config_lock));
}


int vg_pernet_register(void);
void vg_pernet_unregister(void);

#endif /* VG_PERNET_H */
