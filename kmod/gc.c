// SPDX-License-Identifier: GPL-2.0
/*
 * Garbage collection: one delayed work per namespace, not a timer per
 * entry, expires unanswered calls, idle pinholes and idle sources.
 */
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "calls.h"
#include "config.h"
#include "gc.h"
#include "htable.h"
#include "pernet.h"
#include "sources.h"

#define VG_GC_INTERVAL	HZ

static void vg_gc_work(struct work_struct *work)
{
	struct vg_net *vn = container_of(to_delayed_work(work), struct vg_net,
					 gc_work);
	u64 now = ktime_get_ns(), media_timeout_ns, call_timeout_ns;
	const struct vg_config *cfg;

	rcu_read_lock();
	cfg = rcu_dereference(vn->config);
	media_timeout_ns = (u64)cfg->media_timeout * NSEC_PER_SEC;
	call_timeout_ns = (u64)cfg->call_timeout * NSEC_PER_SEC;
	rcu_read_unlock();

	vg_calls_gc(vn, now, media_timeout_ns, call_timeout_ns);
	vg_sources_gc(vn, now);
	/* after the walks above: a table grows only here */
	vg_htable_grow(&vn->media.ht, vg_media_count(&vn->media),
		       &vn->state_gen);
	vg_htable_grow(&vn->calls.ht, vg_calls_count(&vn->calls),
		       &vn->state_gen);
	vg_htable_grow(&vn->sources.ht, vg_sources_count(&vn->sources),
		       &vn->state_gen);
	queue_delayed_work(system_power_efficient_wq, &vn->gc_work,
			   VG_GC_INTERVAL);
}

void vg_gc_start(struct vg_net *vn)
{
	INIT_DELAYED_WORK(&vn->gc_work, vg_gc_work);
	queue_delayed_work(system_power_efficient_wq, &vn->gc_work,
			   VG_GC_INTERVAL);
}

void vg_gc_stop(struct vg_net *vn)
{
	cancel_delayed_work_sync(&vn->gc_work);
}
