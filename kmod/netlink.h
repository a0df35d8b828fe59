/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VG_NETLINK_H
#define VG_NETLINK_H

int vg_nl_register(void);
void vg_nl_unregister(void);

#endif /* VG_NETLINK_H */
