/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dumps of the RCU hash tables (media, calls, sources) split across
 * netlink messages: one resumable walk for all of them.
 */
#ifndef VG_DUMP_H
#define VG_DUMP_H

#include <linux/list.h>
#include <linux/types.h>

#include "htable.h"

/*
 * Resume cursor for dumps split across messages: where the next call
 * starts. Zero it for the first call.
 */
struct vg_dump_cursor {
	u32 bucket;
	u32 index;			/* entries of that bucket already done */
};

/*
 * Call @visit for every node of @t from @cur on (takes rcu_read_lock;
 * @visit must not sleep). When @visit returns non-zero the walk stops,
 * @cur names that node (the first one of the next call) and its value is
 * returned; 0 when the walk ended. A table that grew between two calls
 * has other buckets: the owner's state generation changed with it, so
 * the dump is flagged NLM_F_DUMP_INTR.
 */
int vg_hash_dump(struct vg_htable *t, struct vg_dump_cursor *cur,
		 int (*visit)(struct hlist_node *node, void *arg), void *arg);

#endif /* VG_DUMP_H */
