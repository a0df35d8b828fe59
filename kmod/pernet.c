// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "hooks.h"
#include "pernet.h"

unsigned int vg_net_id __read_mostly;

static struct vg_config *vg_config_default(void)
{
	struct vg_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (cfg)
		cfg->mode = VG_MODE_ENFORCE;
	return cfg;
}

void vg_config_publish(struct vg_net *vn, struct vg_config *cfg)
{
	struct vg_config *old;

	lockdep_assert_held(&vn->config_lock);
	old = rcu_replace_pointer(vn->config, cfg,
				  lockdep_is_held(&vn->config_lock));
	WRITE_ONCE(vn->generation, vn->generation + 1);
	if (old)
		kfree_rcu(old, rcu);
}

static int __net_init vg_net_init(struct net *net)
{
	struct vg_net *vn = vg_net(net);
	struct vg_config *cfg;
	int err;

	vn->net = net;
	mutex_init(&vn->config_lock);
	vn->generation = 1;

	err = vg_stats_init(&vn->stats);
	if (err)
		goto err_stats;

	cfg = vg_config_default();
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
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(net);
err_defrag6:
	nf_defrag_ipv4_disable(net);
err_defrag4:
	kfree(rcu_dereference_protected(vn->config, true));
	RCU_INIT_POINTER(vn->config, NULL);
err_config:
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
	kfree(rcu_dereference_protected(vn->config, true));
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
	return register_pernet_subsys(&vg_net_ops);
}

void vg_pernet_unregister(void)
{
	unregister_pernet_subsys(&vg_net_ops);
}
