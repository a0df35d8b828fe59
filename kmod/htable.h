/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The buckets of the RCU hash tables (media, calls, sources), which grow
 * with their entries instead of being sized once for the configured
 * maximum.
 *
 * Lookups walk under RCU (or with the owner's lock held) and walk again
 * when the table grew meanwhile: growing moves entries between chains, so
 * a walk that met it may have missed one. Inserts and removals hold the
 * owner's lock; growing holds it too, from process context only (the
 * namespace's garbage collector), and frees the old buckets after a grace
 * period.
 */
#ifndef VG_HTABLE_H
#define VG_HTABLE_H

#include <linux/rculist.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* The bucket count a table starts with, and the most it grows to. */
#define VG_HTABLE_MIN_BUCKETS	16U
#define VG_HTABLE_MAX_BUCKETS	(1U << 20)

struct vg_hbuckets {
	u32 mask;			/* bucket count - 1 */
	struct hlist_head heads[];
};

struct vg_htable {
	struct vg_hbuckets __rcu *b;
	spinlock_t *lock;		/* the owner's insert/remove lock */
	seqcount_t resize;		/* odd while entries change buckets */
	u32 seed;			/* of the owner's keyed hash */
	/* the bucket of an entry, for moving it */
	u32 (*hash)(const struct hlist_node *node, u32 seed);
};

int vg_htable_init(struct vg_htable *t, spinlock_t *lock,
		   u32 (*hash)(const struct hlist_node *node, u32 seed));
/* Frees the buckets: every entry is gone and no reader is left. */
void vg_htable_destroy(struct vg_htable *t);

/* Buckets now; under RCU or with the owner's lock held. */
static inline struct vg_hbuckets *vg_htable_buckets(struct vg_htable *t)
{
	return rcu_dereference_check(t->b, lockdep_is_held(t->lock));
}

/* The chain of @hash; under RCU or with the owner's lock held. */
static inline struct hlist_head *vg_htable_head(struct vg_htable *t, u32 hash)
{
	struct vg_hbuckets *b = vg_htable_buckets(t);

	return &b->heads[hash & b->mask];
}

static inline u32 vg_htable_size(struct vg_htable *t)
{
	u32 n;

	rcu_read_lock();
	n = vg_htable_buckets(t)->mask + 1;
	rcu_read_unlock();
	return n;
}

/*
 * A lookup: do { seq = vg_htable_begin(t); walk the chain } while
 * (vg_htable_retry(t, seq)); an entry found is found, whenever.
 */
static inline unsigned int vg_htable_begin(struct vg_htable *t)
{
	return read_seqcount_begin(&t->resize);
}

static inline bool vg_htable_retry(struct vg_htable *t, unsigned int seq)
{
	return read_seqcount_retry(&t->resize, seq);
}

/*
 * Grow @t when it holds more than two entries per bucket (@count of
 * them): to one bucket per entry, at most VG_HTABLE_MAX_BUCKETS. @gen is
 * bumped before any entry moves, so that a dump walking meanwhile is
 * flagged inconsistent. Process context; takes the owner's lock. True
 * when it grew.
 */
bool vg_htable_grow(struct vg_htable *t, u32 count, atomic_t *gen);

#endif /* VG_HTABLE_H */
