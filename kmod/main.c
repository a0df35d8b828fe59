// SPDX-License-Identifier: GPL-2.0
/*
 * voipguard: VoIP-aware packet filter. Module entry and exit only; each
 * concern lives in its own file.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <uapi/linux/voipguard.h>

#include "netlink.h"
#include "pernet.h"
#include "version.h"

static int __init vg_init(void)
{
	int err;

	/* Per-namespace state first: netlink handlers use it. */
	err = vg_pernet_register();
	if (err)
		goto err_pernet;

	err = vg_nl_register();
	if (err)
		goto err_netlink;

	pr_info("%s loaded\n", VG_VERSION);
	return 0;

err_netlink:
	vg_pernet_unregister();
err_pernet:
	return err;
}

static void __exit vg_exit(void)
{
	vg_nl_unregister();
	vg_pernet_unregister();
	/* Configurations replaced with kfree_rcu() must be gone first. */
	rcu_barrier();
}

module_init(vg_init);
module_exit(vg_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VoIP-aware packet filter: SIP/RTP validation, pinholes, policing and tagging");
MODULE_AUTHOR("voipguard developers");
MODULE_VERSION(VG_VERSION);
MODULE_ALIAS_GENL_FAMILY(VG_GENL_NAME);
