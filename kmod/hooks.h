/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VG_HOOKS_H
#define VG_HOOKS_H

struct net;

int vg_hooks_register(struct net *net);
void vg_hooks_unregister(struct net *net);

#endif /* VG_HOOKS_H */
