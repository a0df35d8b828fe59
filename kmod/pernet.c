// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "calls.h"
#include "gc.h"
#include "hooks.h"
#include "media.h"
#include "pernet.h"
#include "sip_path.h"
#include "sources.h"

unsigned int vg_net_id __read_mostly;

static int __net_init vg_net_init(struct net *net)
{
	struct vg_net *vn = vg_net(net);
	struct vg_config *cfg;
	int err;

	vn->net = net;
	mutex_init(&vn->config_lock);
	vn->generation = 1;
	vg_txns_init(&vn->txns);

	err = vg_stats_init(&vn->stats);
	if (err)
		goto err_stats;
	vg_events_init(&vn->events);
	atomic_set(&vn->state_gen, 0);
	err = vg_media_init(&vn->media);
	if (err)
		goto err_media;
	err = vg_calls_init(&vn->calls);
	if (err)
		goto err_calls;
	err = vg_sources_init(&vn->sources);
	if (err)
		goto err_sources;
	atomic64_set(&vn->budget_tat, 0);
	vn->budget = alloc_percpu(struct vg_budget);
	if (!vn->budget) {
		err = -ENOMEM;
		goto err_budget;
	}

	cfg = vg_config_new_default();
	if (!cfg) {
		err = -ENOMEM;
		goto err_config;
	}
	RCU_INIT_POINTER(vn->config, cfg);

	/* SIP split into fragments must be judged whole. */
	err = nf_defrag_ipv4_enable(net);
	if (err)
		goto err_defrag4;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_defrag6;

	err = vg_hooks_register(net);
	if (err)
		goto err_hooks;
	vg_gc_start(vn);
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(net);
err_defrag6:
	nf_defrag_ipv4_disable(net);
err_defrag4:
	vg_config_free(rcu_dereference_protected(vn->config, true));
	RCU_INIT_POINTER(vn->config, NULL);
err_config:
	free_percpu(vn->budget);
err_budget:
	vg_sources_destroy(&vn->sources);
err_sources:
	vg_calls_destroy(vn);
err_calls:
	vg_media_destroy(&vn->media);
err_media:
	vg_stats_destroy(&vn->stats);
err_stats:
	mutex_destroy(&vn->config_lock);
	return err;
}

static void __net_exit vg_net_exit(struct net *net)
{
	struct vg_net *vn = vg_net(net);

	/* Waits for hooks in flight: nothing reads our state after this. */
	vg_hooks_unregister(net);
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
	/* No packet path any more; stop expiry, then free the state. */
	vg_gc_stop(vn);
	vg_calls_destroy(vn);
	vg_media_destroy(&vn->media);
	vg_sources_destroy(&vn->sources);
	free_percpu(vn->budget);
	vn->budget = NULL;
	vg_txns_flush(vn);
	vg_config_free(rcu_dereference_protected(vn->config, true));
	RCU_INIT_POINTER(vn->config, NULL);
	vg_stats_destroy(&vn->stats);
	mutex_destroy(&vn->config_lock);
}

static struct pernet_operations vg_net_ops = {
	.init = vg_net_init,
	.exit = vg_net_exit,
	.id = &vg_net_id,
	.size = sizeof(struct vg_net),
};

int vg_pernet_register(void)
{
	int err;

	/* Before any hook can run. */
	err = vg_scratch_alloc();
	if (err)
		return err;
	err = register_pernet_subsys(&vg_net_ops);
	if (err)
		vg_scratch_free();
	return err;
}

void vg_pernet_unregister(void)
{
	unregister_pernet_subsys(&vg_net_ops);
	vg_scratch_free();
}
