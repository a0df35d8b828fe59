/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VG_GC_H
#define VG_GC_H

struct vg_net;

/* Periodic expiry of calls, pinholes and sources, one work per namespace. */
void vg_gc_start(struct vg_net *vn);
/* Stops it; waits for a run in progress. */
void vg_gc_stop(struct vg_net *vn);

#endif /* VG_GC_H */
