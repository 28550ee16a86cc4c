/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture files for offline decryption: pcap and pcapng in (libpcap reads both), pcap out,
 * written beside the destination and renamed into place only when the run succeeds.
 */
#ifndef DOT11XDP_CLI_CAPTURE_H
#define DOT11XDP_CLI_CAPTURE_H

#include <limits.h>
#include <stdbool.h>
#include <pcap/pcap.h>

/* Link types (tcpdump.org/linktypes.html). */
#define CAP_LINKTYPE_ETHERNET 1
#define CAP_LINKTYPE_IEEE802_11 105
#define CAP_LINKTYPE_PRISM 119
#define CAP_LINKTYPE_RADIOTAP 127
#define CAP_LINKTYPE_AVS 163

struct cap_in {
	pcap_t *pcap;
	const char *path;
	int linktype;
	bool nano;	/* keep nanosecond timestamps in the output */
	long size;	/* file size for progress, 0 when unknown (a pipe) */
};

struct cap_out {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	const char *path;	    /* final name, or "-" for standard output */
	char tmp_path[PATH_MAX]; /* where it is written until cap_out_commit() */
};

/*
 * Open IN and check its link type is one the receive program can take (802.11 with or
 * without radiotap). Prints one line and returns a negative errno on failure.
 */
int cap_in_open(struct cap_in *in, const char *path);
void cap_in_close(struct cap_in *in);
/* Bytes of the file read so far, for a progress line; -1 when unknown. */
long cap_in_offset(const struct cap_in *in);

int cap_out_open(struct cap_out *out, const char *path, int linktype, int snaplen, bool nano);
int cap_out_write(struct cap_out *out, const struct pcap_pkthdr *hdr, const void *data);
/* Flush, close and move the file into place; on failure remove it. */
int cap_out_commit(struct cap_out *out);
/* Close and remove the partial file. */
void cap_out_abort(struct cap_out *out);

#endif
