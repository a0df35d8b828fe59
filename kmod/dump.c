// SPDX-License-Identifier: GPL-2.0
#include <linux/rculist.h>

#include "dump.h"

int vg_hash_dump(struct vg_htable *t, struct vg_dump_cursor *cur,
		 int (*visit)(struct hlist_node *node, void *arg), void *arg)
{
	struct hlist_node *node;
	struct vg_hbuckets *b;
	int ret = 0;
	u32 idx;

	rcu_read_lock();
	b = vg_htable_buckets(t);
	for (; cur->bucket <= b->mask; cur->bucket++, cur->index = 0) {
		idx = 0;
		__hlist_for_each_rcu(node, &b->heads[cur->bucket]) {
			if (idx++ < cur->index)
				continue;
			ret = visit(node, arg);
			if (ret)
				goto out;
			cur->index++;
		}
	}
out:
	rcu_read_unlock();
	return ret;
}
