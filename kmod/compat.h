/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included into every module object (see Kbuild). Newer kernel APIs
 * are detected by feature, never by version number, and given a fallback
 * here so the rest of the module can use them unconditionally.
 */
#ifndef VG_COMPAT_H
#define VG_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/*
 * Permission flags for generic netlink multicast groups (mainline 6.7, in
 * 6.1 stable since 6.1.66). Without them any process in the namespace may
 * join "events"; there is nothing better to fall back to.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#define GENL_MCAST_CAP_NET_ADMIN 0
#endif

#endif /* VG_COMPAT_H */
