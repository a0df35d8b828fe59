// SPDX-License-Identifier: GPL-2.0
/*
 * Growing RCU hash table buckets: see htable.h.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "htable.h"

static struct vg_hbuckets *vg_hbuckets_alloc(u32 n)
{
	struct vg_hbuckets *b;

	b = kvzalloc(struct_size(b, heads, n), GFP_KERNEL);
	if (b)
		b->mask = n - 1;
	return b;
}

int vg_htable_init(struct vg_htable *t, spinlock_t *lock,
		   u32 (*hash)(const struct hlist_node *node, u32 seed))
{
	struct vg_hbuckets *b = vg_hbuckets_alloc(VG_HTABLE_MIN_BUCKETS);

	if (!b)
		return -ENOMEM;
	RCU_INIT_POINTER(t->b, b);
	t->lock = lock;
	seqcount_init(&t->resize);
	t->seed = get_random_u32();
	t->hash = hash;
	return 0;
}

void vg_htable_destroy(struct vg_htable *t)
{
	kvfree(rcu_dereference_protected(t->b, true));
	RCU_INIT_POINTER(t->b, NULL);
}

bool vg_htable_grow(struct vg_htable *t, u32 count, atomic_t *gen)
{
	struct vg_hbuckets *old, *new;
	struct hlist_node *node, *tmp;
	u32 n, i;

	might_sleep();
	n = vg_htable_size(t);
	if (count <= 2 * n || n >= VG_HTABLE_MAX_BUCKETS)
		return false;
	n = min(roundup_pow_of_two(count), VG_HTABLE_MAX_BUCKETS);
	new = vg_hbuckets_alloc(n);
	if (!new)
		return false;	/* longer chains, but working: try next time */

	/*
	 * Entries move chain by chain with the lock held (no insert or
	 * removal meanwhile) and BHs off (no reader on this CPU spins on
	 * the count while it is odd).
	 */
	spin_lock_bh(t->lock);
	old = rcu_dereference_protected(t->b, lockdep_is_held(t->lock));
	atomic_inc(gen);
	write_seqcount_begin(&t->resize);
	for (i = 0; i <= old->mask; i++) {
		hlist_for_each_safe(node, tmp, &old->heads[i]) {
			hlist_del_rcu(node);
			hlist_add_head_rcu(node,
					   &new->heads[t->hash(node, t->seed) &
						       new->mask]);
		}
	}
	rcu_assign_pointer(t->b, new);
	write_seqcount_end(&t->resize);
	spin_unlock_bh(t->lock);

	synchronize_rcu();
	kvfree(old);
	return true;
}
