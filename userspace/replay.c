// SPDX-License-Identifier: GPL-2.0
/*
 * vgctl replay: run a pcap or pcapng capture through the decision pipeline
 * offline (userspace/replay_engine.c) and report verdicts, drop reasons,
 * calls and media streams.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vgctl.h"
#include "mos.h"
#include "pcap_lib.h"
#include "print_stream.h"
#include "replay_config.h"
#include "replay_engine.h"

struct replay_drop_rec {
	uint64_t frame;
	enum vg_reason reason;
	enum replay_class cls;
};

struct replay_run {
	struct replay *eng;
	u64 first_ns;
	bool have_first;
	int link;
	bool list_drops;
	bool truncated;		/* reading stopped at a cut or damaged record */
	size_t n_drops, cap_drops;
	struct replay_drop_rec *drops;
};

static void replay_usage(FILE *f)
{
	fprintf(f,
		"Usage: vgctl [-j] [-p] replay [-f CONFIG] [--list-drops] CAPTURE\n"
		"Run CAPTURE (pcap or pcapng) through the voipguard decision pipeline\n"
		"offline: SIP validation and calls, media pinholes, RTP/RTCP checks\n"
		"and stream statistics, one verdict per packet.\n"
		"  -f, --config CONFIG  take sip-ports, media-ports, media-strict,\n"
		"                       peer-restrict, tcp-split, ... from CONFIG,\n"
		"                       a file as apply reads it\n"
		"  -l, --list-drops     list every dropped packet (frame, reason)\n");
}

/* pcap's DLT_ numbers to the LINKTYPE_ numbers the engine speaks. */
static int link_from_dlt(int dlt)
{
	switch (dlt) {
	case DLT_NULL:
		return REPLAY_LINK_NULL;
	case DLT_EN10MB:
		return REPLAY_LINK_ETHERNET;
	case DLT_RAW:
		return REPLAY_LINK_RAW;
#ifdef DLT_IPV4
	case DLT_IPV4:
		return REPLAY_LINK_IPV4;
#endif
#ifdef DLT_IPV6
	case DLT_IPV6:
		return REPLAY_LINK_IPV6;
#endif
#ifdef DLT_LOOP
	case DLT_LOOP:
		return REPLAY_LINK_LOOP;
#endif
	case DLT_LINUX_SLL:
		return REPLAY_LINK_LINUX_SLL;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		return REPLAY_LINK_LINUX_SLL2;
#endif
	}
	/* pcap hands out LINKTYPE_RAW as 101 on some systems */
	if (dlt == REPLAY_LINK_RAW)
		return REPLAY_LINK_RAW;
	return -1;
}

static int record_drop(struct replay_run *run, uint64_t frame,
		       const struct replay_verdict *v)
{
	if (run->n_drops == run->cap_drops) {
		size_t cap = run->cap_drops ? 2 * run->cap_drops : 256;
		struct replay_drop_rec *d = realloc(run->drops, cap * sizeof(*d));

		if (!d)
			return -1;
		run->drops = d;
		run->cap_drops = cap;
	}
	run->drops[run->n_drops].frame = frame;
	run->drops[run->n_drops].reason = v->reason;
	run->drops[run->n_drops].cls = v->cls;
	run->n_drops++;
	return 0;
}

static int replay_capture(struct replay_run *run, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *hdr;
	const u_char *data;
	uint64_t frame = 0;
	struct pcap_lib lib;
	pcap_t *pc;
	int rc, dlt;

	if (pcap_lib_load(&lib))
		return VG_EXIT_ERROR;
	pc = lib.open_offline(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!pc) {
		vg_err("replay: %s", errbuf);
		return VG_EXIT_ERROR;
	}
	dlt = lib.datalink(pc);
	run->link = link_from_dlt(dlt);
	if (run->link < 0) {
		const char *name = lib.datalink_name(dlt);

		vg_err("replay: %s: link type %s is not supported (Ethernet, Linux SLL/SLL2, raw IP, loopback are)",
		       path, name ? name : "?");
		lib.close(pc);
		return VG_EXIT_ERROR;
	}
	while ((rc = lib.next_ex(pc, &hdr, &data)) == 1) {
		struct replay_verdict v;
		u64 ts = (u64)hdr->ts.tv_sec * 1000000000ULL +
			 (u64)hdr->ts.tv_usec;

		frame++;
		if (!run->have_first) {
			run->first_ns = ts;
			run->have_first = true;
		}
		v = replay_packet(run->eng, (u32)run->link, ts, data,
				  hdr->caplen, hdr->len);
		if (v.reason != VG_R_NONE && run->list_drops &&
		    record_drop(run, frame, &v)) {
			vg_err("replay: out of memory");
			lib.close(pc);
			return VG_EXIT_ERROR;
		}
	}
	if (rc == PCAP_ERROR) {
		/*
		 * A capture cut short (its writer killed) still reports what
		 * it held; the caller prints it and exits non-zero.
		 */
		vg_err("replay: %s: %s (after %" PRIu64 " packets)", path,
		       lib.geterr(pc), frame);
		run->truncated = true;
	}
	lib.close(pc);
	return VG_EXIT_OK;
}

static double rel_seconds(const struct replay_run *run, u64 ns)
{
	return (double)(int64_t)(ns - run->first_ns) / 1e9;
}

static void stream_view_fill(const struct replay *eng, u32 idx,
			     struct stream_view *sv)
{
	const struct replay_stream *s = &eng->streams[idx];
	const struct vg_pinhole *ph = &s->ph;

	memset(sv, 0, sizeof(*sv));
	sv->call_id = eng->calls[s->call].call_id;
	sv->state = s->open ? "open" : "closed";
	if (s->has_src) {
		sv->src.family = s->src_family;
		memcpy(sv->src.addr, s->src_addr, sizeof(sv->src.addr));
		sv->src.port = s->src_port;
	}
	sv->dst.family = ph->family;
	memcpy(sv->dst.addr, ph->dst, sizeof(sv->dst.addr));
	sv->dst.port = ph->dst_port;
	sv->has_ssrc = s->rtp.latched;
	sv->ssrc = s->rtp.ssrc;
	sv->payload_type = s->last_pt;
	sv->clock_rate = s->stats_init ? s->rtp.clock_rate :
			 vg_pinhole_clock(ph, ph->first_pt);
	sv->srtp = ph->flags & VG_PH_SRTP;
	sv->packets = s->packets;
	sv->bytes = s->bytes;
	sv->dropped = s->dropped;
	sv->rtcp_packets = s->rtcp_packets;
	if (!s->stats_init)
		return;
	sv->lost = vg_rtp_stream_lost(&s->rtp);
	sv->duplicates = s->rtp.duplicates;
	sv->reordered = s->rtp.reordered;
	if (s->rtp.clock_rate && s->rtp.jitter_samples) {
		sv->has_jitter = true;
		sv->jitter_mean_ns = (vg_rtp_stream_jitter_mean(&s->rtp) +
				      (1u << (VG_RTP_JITTER_SHIFT - 1))) >>
				     VG_RTP_JITTER_SHIFT;
		sv->jitter_max_ns = (vg_rtp_stream_jitter_max(&s->rtp) +
				     (1u << (VG_RTP_JITTER_SHIFT - 1))) >>
				    VG_RTP_JITTER_SHIFT;
	}
	/* scored with the SDP's codec, as the kernel scores it */
	if (s->packets)
		sv->mos_x100 = vg_mos_stream(&s->rtp,
					     vg_mos_codec_by_pt(ph->first_pt));
}

static void print_counts(const struct replay_run *run)
{
	const struct replay_counts *c = &run->eng->counts;
	int i;

	out_uint("packets", "packets %" PRIu64, c->packets);
	out_open_object("verdicts");
	out_uint("accept", ", accepted %" PRIu64, c->accepted);
	out_uint("drop", ", dropped %" PRIu64 "\n", c->dropped);
	out_close_object();
	out_bool("truncated", NULL, run->truncated);
	if (run->truncated)
		out_text("truncated: the capture ends early, these are its first %" PRIu64 " packets\n",
			 c->packets);

	/* every reason, zeros included, as "stats show" prints them */
	out_text("drops:");
	out_open_object("drops");
	for (i = VG_R_NONE + 1; i < VG_R__COUNT; i++) {
		if (!vg_opts.json && !c->drops[i])
			continue;
		out_text(" %s", vg_reason_name((enum vg_reason)i));
		out_uint(vg_reason_name((enum vg_reason)i), " %" PRIu64,
			 c->drops[i]);
	}
	out_close_object();
	out_text(c->dropped ? "\n" : " none\n");

	out_text("classes:");
	out_open_object("classes");
	for (i = 0; i < REPLAY_CLASS__COUNT; i++) {
		out_text(" %s", replay_class_name((enum replay_class)i));
		out_uint(replay_class_name((enum replay_class)i),
			 " %" PRIu64, c->classes[i]);
	}
	out_close_object();
	out_text("\n");

	out_open_object("sip");
	out_uint("messages", "sip: messages %" PRIu64, c->sip.messages);
	out_uint("requests", " (requests %" PRIu64, c->sip.requests);
	out_uint("responses", ", responses %" PRIu64 ")", c->sip.responses);
	out_uint("invites", ", INVITEs %" PRIu64, c->sip.invites);
	out_uint("invalid", ", invalid %" PRIu64, c->sip.invalid);
	out_uint("keepalives", ", keep-alives %" PRIu64, c->sip.keepalives);
	out_uint("bad_sdp", ", bad SDP %" PRIu64, c->sip.bad_sdp);
	out_uint("tcp_split", ", TCP split %" PRIu64, c->sip.tcp_split);
	out_uint("no_call_id", ", no Call-ID %" PRIu64 "\n", c->sip.no_call_id);
	out_close_object();

	out_open_object("decode");
	out_uint("ipv4", "decode: IPv4 %" PRIu64, c->ipv4);
	out_uint("ipv6", ", IPv6 %" PRIu64, c->ipv6);
	out_uint("udp", ", UDP %" PRIu64, c->udp);
	out_uint("tcp", ", TCP %" PRIu64, c->tcp);
	out_uint("not_ip", ", not IP %" PRIu64, c->not_ip);
	out_uint("truncated", ", truncated %" PRIu64, c->truncated);
	out_uint("fragments", ", fragments %" PRIu64, c->fragments);
	out_uint("reassembled", " (reassembled %" PRIu64, c->reassembled);
	out_uint("fragments_dropped", ", given up %" PRIu64 ")",
		 c->frags_dropped);
	out_uint("calls_refused", ", calls refused %" PRIu64, c->calls_refused);
	out_uint("streams_refused", ", streams refused %" PRIu64 "\n",
		 c->streams_refused);
	out_close_object();
}

static void print_calls(const struct replay_run *run)
{
	const struct replay *eng = run->eng;
	u32 i, k;

	out_text("\ncalls: %u\n", eng->n_calls);
	out_open_array("calls");
	for (i = 0; i < eng->n_calls; i++) {
		const struct replay_call *c = &eng->calls[i];
		bool first = true;

		out_open_object(NULL);
		out_string("call_id", "  %s", c->call_id);
		out_string("state", " %s",
			   vg_call_state_name((enum vg_call_state)c->st.state));
		out_bool("emergency", NULL, c->st.emergency);
		if (c->st.emergency)
			out_text(" emergency");
		out_uint("invites", " invites %" PRIu64, c->invites);
		out_uint("messages", " messages %" PRIu64, c->messages);
		out_float("start_s", " %.3fs", rel_seconds(run, c->start_ns));
		if (c->end_ns)
			out_float("end_s", "..%.3fs", rel_seconds(run, c->end_ns));
		else
			out_null("end_s", NULL);
		out_text(" streams");
		out_open_array("streams");
		for (k = 0; k < eng->n_streams; k++) {
			if (eng->streams[k].call != i)
				continue;
			out_uint(NULL, first ? " %" PRIu64 : ",%" PRIu64, k);
			first = false;
		}
		out_close_array();
		out_text(first ? " none\n" : "\n");
		out_close_object();
	}
	out_close_array();
}

static void print_streams(const struct replay_run *run)
{
	const struct replay *eng = run->eng;
	struct stream_view sv;
	u32 k;

	out_text("\nstreams: %u\n", eng->n_streams);
	if (eng->n_streams)
		print_stream_header();
	out_open_array("streams");
	for (k = 0; k < eng->n_streams; k++) {
		stream_view_fill(eng, k, &sv);
		print_stream(&sv);
	}
	out_close_array();
}

static void print_drop_list(const struct replay_run *run)
{
	size_t i;

	out_text("\ndropped packets:\n");
	out_open_array("dropped_packets");
	for (i = 0; i < run->n_drops; i++) {
		out_open_object(NULL);
		out_uint("frame", "  frame %" PRIu64, run->drops[i].frame);
		out_string("class", " %s", replay_class_name(run->drops[i].cls));
		out_string("reason", " %s\n", vg_reason_name(run->drops[i].reason));
		out_close_object();
	}
	out_close_array();
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "list-drops", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct replay_config cfg;
	struct replay_run run;
	const char *config_path = NULL;
	char err[512];
	int c, rc;

	memset(&run, 0, sizeof(run));
	replay_config_default(&cfg);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+f:lh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			config_path = optarg;
			break;
		case 'l':
			run.list_drops = true;
			break;
		case 'h':
			replay_usage(stdout);
			return VG_EXIT_OK;
		default:
			replay_usage(stderr);
			return VG_EXIT_USAGE;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "help")) {
		replay_usage(stdout);
		return VG_EXIT_OK;
	}
	if (argc - optind != 1) {
		vg_err(optind >= argc ? "replay: no capture given" :
					"replay: one capture at a time");
		replay_usage(stderr);
		return VG_EXIT_USAGE;
	}
	if (config_path &&
	    replay_config_read(config_path, &cfg, err, sizeof(err))) {
		vg_err("replay: %s", err);
		return VG_EXIT_ERROR;
	}
	run.eng = replay_new(&cfg);
	if (!run.eng) {
		vg_err("replay: out of memory");
		return VG_EXIT_ERROR;
	}
	rc = replay_capture(&run, argv[optind]);
	if (rc == VG_EXIT_OK) {
		out_begin();
		out_open_object(NULL);
		out_string("file", "capture %s: ", argv[optind]);
		out_int("link_type", NULL, run.link);
		print_counts(&run);
		print_calls(&run);
		print_streams(&run);
		if (run.list_drops)
			print_drop_list(&run);
		out_close_object();
		out_end();
		if (run.truncated)
			rc = VG_EXIT_ERROR;
	}
	free(run.drops);
	replay_free(run.eng);
	return rc;
}
