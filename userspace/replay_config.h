/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration keys "vgctl replay -f FILE" uses, read from a config
 * file in the format "vgctl apply" reads: sip-ports, media-ports,
 * media-strict, peer-restrict, tcp-split, max-calls, max-streams,
 * emergency and the sip-max-* limits. Other settings of the file (zones,
 * policy, limits, srtp, tags, ...) are checked but do not affect an
 * offline replay.
 */
#ifndef VGCTL_REPLAY_CONFIG_H
#define VGCTL_REPLAY_CONFIG_H

#include <stddef.h>

#include "replay_engine.h"

/*
 * Apply the keys of @path to @cfg. 0 on success; -1 with "FILE:LINE: why"
 * (or "FILE: why") in @err otherwise.
 */
int replay_config_read(const char *path, struct replay_config *cfg,
		       char *err, size_t errlen);

/*
 * Apply one KEY VALUE pair; a key of the module that replay does not use
 * is skipped. -1 with the reason in @err.
 */
int replay_config_set(struct replay_config *cfg, const char *key,
		      const char *value, char *err, size_t errlen);

#endif /* VGCTL_REPLAY_CONFIG_H */
