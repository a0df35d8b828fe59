/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VG_NETLINK_H
#define VG_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family vg_genl_family;

/* Index of the "events" group in the family's multicast groups. */
#define VG_NL_MCGRP_EVENTS	0

int vg_nl_register(void);
void vg_nl_unregister(void);

#endif /* VG_NETLINK_H */
