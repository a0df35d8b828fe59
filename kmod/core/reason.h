/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verdict reasons. The names are a stable interface: they appear in counters,
 * in netlink stats, in JSON and in Prometheus output, so never rename one.
 */
#ifndef VG_CORE_REASON_H
#define VG_CORE_REASON_H

#include "vg_base.h"

#define VG_REASONS(X)					\
	X(NONE, "none")					\
	/* SIP message validation (protocol core) */	\
	X(SIP_TOO_LONG, "sip_too_long")			\
	X(SIP_BAD_START_LINE, "sip_bad_start_line")	\
	X(SIP_BAD_VERSION, "sip_bad_version")		\
	X(SIP_BAD_METHOD, "sip_bad_method")		\
	X(SIP_BAD_STATUS, "sip_bad_status")		\
	X(SIP_BAD_URI, "sip_bad_uri")			\
	X(SIP_BAD_HEADER, "sip_bad_header")		\
	X(SIP_TOO_MANY_HEADERS, "sip_too_many_headers")	\
	X(SIP_HEADER_TOO_LONG, "sip_header_too_long")	\
	X(SIP_MISSING_HEADER, "sip_missing_header")	\
	X(SIP_DUPLICATE_HEADER, "sip_duplicate_header")	\
	X(SIP_BAD_CSEQ, "sip_bad_cseq")			\
	X(SIP_CSEQ_MISMATCH, "sip_cseq_mismatch")	\
	X(SIP_BAD_CONTENT_LENGTH, "sip_bad_content_length") \
	X(SIP_TRUNCATED_BODY, "sip_truncated_body")	\
	X(SIP_BAD_VIA, "sip_bad_via")			\
	X(SIP_BAD_ADDRESS, "sip_bad_address")		\
	X(SIP_BAD_MAX_FORWARDS, "sip_bad_max_forwards")	\
	X(SIP_BAD_EXPIRES, "sip_bad_expires")		\
	X(SIP_BAD_CONTENT_TYPE, "sip_bad_content_type")	\
	X(SIP_BAD_DATE, "sip_bad_date")			\
	X(SIP_BAD_SDP, "sip_bad_sdp")			\
	/* data path (kernel glue, replay) */		\
	X(ZONE_POLICY, "zone_policy")			\
	X(SIP_RATE, "sip_rate")				\
	X(CALL_LIMIT, "call_limit")			\
	X(STATE_FULL, "state_full")			\
	X(SRTP_REQUIRED, "srtp_required")		\
	X(SIP_TCP_SPLIT, "sip_tcp_split")		\
	X(RTP_NO_PINHOLE, "rtp_no_pinhole")		\
	X(RTP_WRONG_SOURCE, "rtp_wrong_source")		\
	X(RTP_BAD_HEADER, "rtp_bad_header")		\
	X(RTP_BAD_PAYLOAD_TYPE, "rtp_bad_payload_type")	\
	X(RTP_RATE, "rtp_rate")				\
	X(RTCP_BAD, "rtcp_bad")				\
	X(GLOBAL_RATE, "global_rate")			\
	X(MALFORMED_L4, "malformed_l4")

#define VG_REASON_ENUM(id, name) VG_R_##id,
enum vg_reason {
	VG_REASONS(VG_REASON_ENUM)
	VG_R__COUNT
};
#undef VG_REASON_ENUM

/* Stable name of a reason; "unknown" for out-of-range values. */
const char *vg_reason_name(enum vg_reason r);

#endif /* VG_CORE_REASON_H */
