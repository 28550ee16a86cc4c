// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "util.h"

#define PCAP_MAGIC_NSEC 0xa1b23c4dU
#define PCAPNG_MAGIC 0x0a0d0d0aU

/*
 * libpcap converts timestamps to the precision the reader asks for and does not say what the
 * file had. Use nanoseconds only when the input may have them (a nanosecond pcap, or pcapng,
 * whose resolution may be finer than a microsecond), so a microsecond pcap comes out as one.
 */
static bool input_has_nanoseconds(const char *path)
{
	unsigned char b[4];
	__u32 le, be;
	FILE *f;
	bool nano = false;

	if (!strcmp(path, "-"))
		return false;
	f = fopen(path, "rb");
	if (!f)
		return false;
	if (fread(b, 1, 4, f) == 4) {
		le = b[0] | b[1] << 8 | b[2] << 16 | (__u32)b[3] << 24;
		be = (__u32)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
		nano = le == PCAP_MAGIC_NSEC || be == PCAP_MAGIC_NSEC || le == PCAPNG_MAGIC;
	}
	fclose(f);
	return nano;
}

int cap_in_open(struct cap_in *in, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->nano = input_has_nanoseconds(path);
	/* pcap_dump() writes the timestamps as read: read them in the precision written. */
	in->pcap = pcap_open_offline_with_tstamp_precision(path, in->nano ? PCAP_TSTAMP_PRECISION_NANO
									  : PCAP_TSTAMP_PRECISION_MICRO,
							   errbuf);
	if (!in->pcap) {
		cli_err("cannot read the capture: %s", errbuf);
		return -EINVAL;
	}
	in->linktype = pcap_datalink(in->pcap);
	switch (in->linktype) {
	case CAP_LINKTYPE_IEEE802_11:
	case CAP_LINKTYPE_RADIOTAP:
		break;
	case CAP_LINKTYPE_AVS:
	case CAP_LINKTYPE_PRISM:
		cli_err("%s has %s headers (link type %d), which dot11xdp does not read; capture with "
			"radiotap (link type 127) or plain 802.11 (105)", path,
			in->linktype == CAP_LINKTYPE_AVS ? "AVS" : "Prism", in->linktype);
		cap_in_close(in);
		return -EPROTONOSUPPORT;
	default:
		cli_err("%s has link type %d (%s), not 802.11: dot11xdp decrypt reads radiotap (127) "
			"and 802.11 (105) captures", path, in->linktype,
			pcap_datalink_val_to_name(in->linktype) ? pcap_datalink_val_to_name(in->linktype)
								: "unknown");
		cap_in_close(in);
		return -EPROTONOSUPPORT;
	}
	if (strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode))
		in->size = st.st_size;
	return 0;
}

void cap_in_close(struct cap_in *in)
{
	if (in->pcap)
		pcap_close(in->pcap);
	in->pcap = NULL;
}

long cap_in_offset(const struct cap_in *in)
{
	FILE *f = pcap_file(in->pcap);

	return f && in->size ? ftell(f) : -1;
}

int cap_out_open(struct cap_out *out, const char *path, int linktype, int snaplen, bool nano)
{
	char dir[PATH_MAX];
	FILE *f;
	int fd;

	memset(out, 0, sizeof(*out));
	out->path = path;
	out->dead = pcap_open_dead_with_tstamp_precision(linktype, snaplen,
							 nano ? PCAP_TSTAMP_PRECISION_NANO
							      : PCAP_TSTAMP_PRECISION_MICRO);
	if (!out->dead) {
		cli_err("out of memory");
		return -ENOMEM;
	}
	if (!strcmp(path, "-")) {
		out->dumper = pcap_dump_fopen(out->dead, stdout);
		if (!out->dumper) {
			cli_err("cannot write to standard output: %s", pcap_geterr(out->dead));
			pcap_close(out->dead);
			return -EIO;
		}
		return 0;
	}

	/* A temporary file in the same directory, so the final rename is atomic. */
	snprintf(dir, sizeof(dir), "%s", path);
	if (snprintf(out->tmp_path, sizeof(out->tmp_path), "%s/.%s.XXXXXX", dirname(dir),
		     strrchr(path, '/') ? strrchr(path, '/') + 1 : path) >= (int)sizeof(out->tmp_path)) {
		cli_err("output path %s is too long", path);
		pcap_close(out->dead);
		return -ENAMETOOLONG;
	}
	fd = mkstemp(out->tmp_path);
	if (fd < 0) {
		cli_err("cannot create %s: %s", out->tmp_path, strerror(errno));
		pcap_close(out->dead);
		return -errno;
	}
	f = fdopen(fd, "wb");
	out->dumper = f ? pcap_dump_fopen(out->dead, f) : NULL;
	if (!out->dumper) {
		cli_err("cannot write %s: %s", out->tmp_path, f ? pcap_geterr(out->dead) : strerror(errno));
		if (f)
			fclose(f);
		else
			close(fd);
		unlink(out->tmp_path);
		pcap_close(out->dead);
		return -EIO;
	}
	return 0;
}

int cap_out_write(struct cap_out *out, const struct pcap_pkthdr *hdr, const void *data)
{
	pcap_dump((u_char *)out->dumper, hdr, data);
	return 0;
}

int cap_out_commit(struct cap_out *out)
{
	FILE *f = pcap_dump_file(out->dumper);
	int err = 0;

	if (pcap_dump_flush(out->dumper) || ferror(f))
		err = -EIO;
	if (!strcmp(out->path, "-")) {
		pcap_dump_flush(out->dumper);
		pcap_close(out->dead);
		if (err)
			cli_err("writing to standard output failed");
		return err;
	}
	if (!err && fsync(fileno(f)))
		err = -errno;
	pcap_dump_close(out->dumper);
	pcap_close(out->dead);
	if (!err && rename(out->tmp_path, out->path))
		err = -errno;
	if (err) {
		cli_err("cannot write %s: %s", out->path, strerror(-err));
		unlink(out->tmp_path);
	}
	return err;
}

void cap_out_abort(struct cap_out *out)
{
	if (!out->dumper)
		return;
	if (!strcmp(out->path, "-")) {
		pcap_dump_flush(out->dumper);
	} else {
		pcap_dump_close(out->dumper);
		unlink(out->tmp_path);
	}
	pcap_close(out->dead);
	out->dumper = NULL;
}
