// SPDX-License-Identifier: GPL-2.0
/*
 * monsim: a monitor-mode Wi-Fi NIC stand-in for hosts without Wi-Fi hardware.
 *
 * A TUN device switched to link type ARPHRD_IEEE80211_RADIOTAP looks to the kernel like a
 * monitor interface: generic XDP runs on what it receives, packet sockets and tcpdump see
 * radiotap frames. Its fd is "the air": a frame written to it, behind the packet-information
 * header {0, ETH_P_80211_RAW}, is received by the interface.
 *
 *   monsim create IFNAME
 *   monsim delete IFNAME
 *   monsim feed IFNAME FILE [--frames FIRST-LAST]
 *   monsim capture IFNAME OUT.pcap [--count N] [--timeout-ms T] [--ready-file PATH]
 *
 * Delivery is synchronous: tun_get_user() hands each frame to netif_receive_skb() inside
 * write(), so generic XDP has run and every packet socket has the frame queued by the time
 * write() returns (unless RPS is configured on the interface, which defers to a softirq).
 * capture therefore stops on SIGINT/SIGTERM by draining its queue until it has been idle for
 * a grace period, which covers the deferred case too.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <pcap/pcap.h>

#define TUN_PATH "/dev/net/tun"
/* The kernel's own name (include/linux/if_ether.h); the uapi header does not export it. */
#define ETH_P_80211_RAW 0x0019
/* A minimal radiotap header (version 0, length 8, no fields), what Linux accepts for injection. */
#define RADIOTAP_MIN_LEN 8
#define SNAPLEN 65535
/* Room for the whole bundled capture and then some: a full queue drops frames silently. */
#define CAPTURE_RCVBUF (64 << 20)
/* How long capture keeps draining after a stop signal, for frames still in flight. */
#define CAPTURE_GRACE_MS 200

static const char *prog = "monsim";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: %s create IFNAME\n"
		"       %s delete IFNAME\n"
		"       %s feed IFNAME FILE [--frames FIRST-LAST]\n"
		"       %s capture IFNAME OUT.pcap [--count N] [--timeout-ms T] [--ready-file PATH]\n"
		"\n"
		"create   a TUN device of link type 803 (ieee802.11/radiotap), persistent and up\n"
		"delete   remove it\n"
		"feed     write the frames of a pcap/pcapng file (link type 127, or 105 with a\n"
		"         minimal radiotap header added) into the interface; frames are numbered\n"
		"         from 1 as in tshark; FIRST- runs to the end of the file\n"
		"capture  write what the interface receives (after XDP) to OUT.pcap (link type 127);\n"
		"         stops after N frames, after T ms without a frame, or on SIGINT/SIGTERM\n"
		"         (draining what is queued first); PATH is created once the socket listens\n",
		prog, prog, prog, prog);
}

/* One actionable line for the user, with a hint for the usual causes. */
static int fail(const char *what, const char *ifname, int err)
{
	const char *hint = "";

	if (err == EPERM || err == EACCES)
		hint = " (run as root)";
	fprintf(stderr, "%s: %s %s: %s%s\n", prog, what, ifname, strerror(err), hint);
	return 1;
}

static int check_ifname(const char *ifname)
{
	if (!*ifname || strlen(ifname) >= IFNAMSIZ) {
		fprintf(stderr, "%s: bad interface name '%s' (1 to %d characters)\n", prog, ifname,
			IFNAMSIZ - 1);
		return -1;
	}
	return 0;
}

/* Open /dev/net/tun and bind it to ifname: creates the device or attaches to a persistent one. */
static int tun_open(const char *ifname)
{
	struct ifreq ifr = {};
	int fd, err;

	fd = open(TUN_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT || err == ENODEV || err == ENXIO)
			fprintf(stderr, "%s: no %s: this kernel lacks TUN (CONFIG_TUN; modprobe tun)\n",
				prog, TUN_PATH);
		else
			fprintf(stderr, "%s: open %s: %s%s\n", prog, TUN_PATH, strerror(err),
				err == EACCES || err == EPERM ? " (run as root)" : "");
		errno = err;
		return -1;
	}
	/* IFF_TUN without IFF_NO_PI: the packet-information header carries the protocol. */
	ifr.ifr_flags = IFF_TUN;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = errno;
		if (err == EINVAL || err == EBUSY)
			fprintf(stderr, "%s: %s exists and is not a monsim TUN device (or another process holds it)\n",
				prog, ifname);
		else
			fail("cannot open TUN device", ifname, err);
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int set_link_up(const char *ifname)
{
	struct ifreq ifr = {};
	int sock, ret = 0;

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		ret = -errno;
out:
	close(sock);
	return ret;
}

/*
 * Refuse an interface that is not link type 803: feeding radiotap frames into it, or writing
 * what it receives to a radiotap pcap, would be meaningless.
 */
static int check_radiotap_link(const char *ifname)
{
	struct ifreq ifr = {};
	int sock, err;

	if (!if_nametoindex(ifname)) {
		fprintf(stderr, "%s: no interface %s (monsim create %s first)\n", prog, ifname,
			ifname);
		return -1;
	}
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		fail("cannot query", ifname, errno);
		return -1;
	}
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	err = ioctl(sock, SIOCGIFHWADDR, &ifr) < 0 ? errno : 0;
	close(sock);
	if (err) {
		fail("cannot read the link type of", ifname, err);
		return -1;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_IEEE80211_RADIOTAP) {
		fprintf(stderr, "%s: %s has link type %u, not %d (ieee802.11/radiotap)\n", prog,
			ifname, ifr.ifr_hwaddr.sa_family, ARPHRD_IEEE80211_RADIOTAP);
		return -1;
	}
	return 0;
}

static int cmd_create(const char *ifname)
{
	int fd, err;

	if (check_ifname(ifname))
		return 1;
	if (if_nametoindex(ifname)) {
		fprintf(stderr, "%s: %s already exists (monsim delete %s first)\n", prog, ifname,
			ifname);
		return 1;
	}
	fd = tun_open(ifname);
	if (fd < 0)
		return 1;
	/* The link type can only change while the device is down, so before it goes up. */
	if (ioctl(fd, TUNSETLINK, ARPHRD_IEEE80211_RADIOTAP) < 0) {
		err = errno;
		close(fd);
		return fail("TUNSETLINK 803 (ieee802.11/radiotap) refused on", ifname, err);
	}
	if (ioctl(fd, TUNSETPERSIST, 1) < 0) {
		err = errno;
		close(fd);
		return fail("TUNSETPERSIST refused on", ifname, err);
	}
	err = set_link_up(ifname);
	if (err) {
		/* Do not leave a half-made device behind. */
		ioctl(fd, TUNSETPERSIST, 0);
		close(fd);
		return fail("cannot bring up", ifname, -err);
	}
	close(fd);
	printf("%s: created %s (link/ieee802.11/radiotap)\n", prog, ifname);
	return 0;
}

static int cmd_delete(const char *ifname)
{
	int fd, err;

	if (check_ifname(ifname))
		return 1;
	if (!if_nametoindex(ifname)) {
		fprintf(stderr, "%s: no interface %s\n", prog, ifname);
		return 1;
	}
	fd = tun_open(ifname);
	if (fd < 0)
		return 1;
	/* The device goes away when its last fd closes once it is no longer persistent. */
	if (ioctl(fd, TUNSETPERSIST, 0) < 0) {
		err = errno;
		close(fd);
		return fail("cannot clear TUNSETPERSIST on", ifname, err);
	}
	close(fd);
	printf("%s: deleted %s\n", prog, ifname);
	return 0;
}

/* "FIRST-LAST", "FIRST-" (to the end) or "N"; frames count from 1. */
static int parse_range(const char *s, unsigned long *first, unsigned long *last)
{
	char *end;

	errno = 0;
	*first = strtoul(s, &end, 10);
	if (errno || end == s || *first == 0)
		return -1;
	if (*end == '\0') {
		*last = *first;
		return 0;
	}
	if (*end != '-')
		return -1;
	s = end + 1;
	if (*s == '\0') {
		*last = ULONG_MAX;
		return 0;
	}
	*last = strtoul(s, &end, 10);
	if (errno || end == s || *end != '\0' || *last < *first)
		return -1;
	return 0;
}

/* Count the frames of a capture monsim can feed; any read error or another link type fails. */
static int count_frames(const char *path, unsigned long *total)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int linktype, ret;
	pcap_t *pcap;

	pcap = pcap_open_offline(path, errbuf);
	if (!pcap) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, path, errbuf);
		return -1;
	}
	linktype = pcap_datalink(pcap);
	if (linktype != DLT_IEEE802_11_RADIO && linktype != DLT_IEEE802_11) {
		fprintf(stderr, "%s: %s has link type %d (%s); monsim feeds 127 (radiotap) or 105 (802.11)\n",
			prog, path, linktype, pcap_datalink_val_to_name(linktype) ?: "unknown");
		pcap_close(pcap);
		return -1;
	}
	*total = 0;
	while ((ret = pcap_next_ex(pcap, &hdr, &data)) == 1)
		(*total)++;
	if (ret != PCAP_ERROR_BREAK) {
		fprintf(stderr, "%s: %s: frame %lu: %s\n", prog, path, *total + 1,
			pcap_geterr(pcap));
		pcap_close(pcap);
		return -1;
	}
	pcap_close(pcap);
	return 0;
}


/* The two operands of feed and capture, IFNAME and a pcap path, after the options. */
static int ifname_and_file_args(int argc, char **argv, const char **ifname, const char **file)
{
	if (argc - optind != 2) {
		usage(stderr);
		return 1;
	}
	*ifname = argv[optind];
	*file = argv[optind + 1];
	return check_ifname(*ifname);
}
static int cmd_feed(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "frames", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	static const __u8 radiotap_min[RADIOTAP_MIN_LEN] = { 0, 0, RADIOTAP_MIN_LEN, 0 };
	/* Packet information: flags 0, protocol ETH_P_80211_RAW (big-endian on the wire). */
	struct tun_pi pi = { .flags = 0, .proto = htons(ETH_P_80211_RAW) };
	unsigned long first = 1, last = ULONG_MAX, total, index = 0, fed = 0, truncated = 0;
	char errbuf[PCAP_ERRBUF_SIZE];
	const char *ifname, *path;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int c, fd, linktype;
	pcap_t *pcap;

	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_range(optarg, &first, &last)) {
				fprintf(stderr, "%s: bad --frames '%s' (FIRST-LAST, FIRST- or N; from 1)\n",
					prog, optarg);
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (ifname_and_file_args(argc, argv, &ifname, &path))
		return 1;

	/* A first pass checks the whole file and the range, so bad input writes nothing. */
	if (count_frames(path, &total))
		return 1;
	if (last == ULONG_MAX)
		last = total;
	if (first > total || last > total) {
		fprintf(stderr, "%s: %s has %lu frames; --frames asked for %lu-%lu\n", prog, path,
			total, first, last);
		return 1;
	}
	if (check_radiotap_link(ifname))
		return 1;
	pcap = pcap_open_offline(path, errbuf);
	if (!pcap) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, path, errbuf);
		return 1;
	}
	linktype = pcap_datalink(pcap);
	fd = tun_open(ifname);
	if (fd < 0) {
		pcap_close(pcap);
		return 1;
	}

	while (index < last && pcap_next_ex(pcap, &hdr, &data) == 1) {
		struct iovec iov[3];
		int n = 0;

		if (++index < first)
			continue;
		iov[n++] = (struct iovec){ &pi, sizeof(pi) };
		if (linktype == DLT_IEEE802_11)
			iov[n++] = (struct iovec){ (void *)radiotap_min, sizeof(radiotap_min) };
		iov[n++] = (struct iovec){ (void *)data, hdr->caplen };
		if (writev(fd, iov, n) < 0) {
			int err = errno;

			if (err == EIO)
				fprintf(stderr, "%s: frame %lu: %s is down (ip link set %s up)\n", prog,
					index, ifname, ifname);
			else
				fprintf(stderr, "%s: frame %lu: write to %s: %s\n", prog, index, ifname,
					strerror(err));
			close(fd);
			pcap_close(pcap);
			return 1;
		}
		fed++;
		if (hdr->caplen < hdr->len)
			truncated++;
	}
	close(fd);
	pcap_close(pcap);
	if (fed != last - first + 1) {
		fprintf(stderr, "%s: %s changed while it was read: fed %lu frames of %lu-%lu\n",
			prog, path, fed, first, last);
		return 1;
	}
	printf("%s: fed %lu frame%s (%lu-%lu of %s) into %s", prog, fed, fed == 1 ? "" : "s", first,
	       last, path, ifname);
	if (truncated)
		printf(", %lu of them truncated by the capture's snap length", truncated);
	putchar('\n');
	return 0;
}

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int capture_socket(const char *ifname, int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	int sock, rcvbuf = CAPTURE_RCVBUF, err;

	/* Protocol 0 until bound, so frames of other interfaces never enter the queue. */
	sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		fail("cannot open a packet socket for", ifname, errno);
		return -1;
	}
	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 &&
	    setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0) {
		err = errno;
		close(sock);
		fail("cannot size the receive queue for", ifname, err);
		return -1;
	}
	if (bind(sock, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = errno;
		close(sock);
		fail("cannot bind a packet socket to", ifname, err);
		return -1;
	}
	return sock;
}

static int cmd_capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	unsigned long count = 0, captured = 0;
	long timeout_ms = 0;
	const char *ifname, *out_path, *ready_path = NULL;
	struct tpacket_stats pstats = {};
	socklen_t pstats_len = sizeof(pstats);
	long long last_activity, stop_at = 0;
	struct sigaction sa = {};
	pcap_dumper_t *dumper;
	static u_char buf[SNAPLEN];
	int c, sock, ifindex, ret = 1;
	pcap_t *dead;
	char *end;

	while ((c = getopt_long(argc, argv, "c:t:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			errno = 0;
			count = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || !count) {
				fprintf(stderr, "%s: bad --count '%s' (a positive number)\n", prog, optarg);
				return 1;
			}
			break;
		case 't':
			errno = 0;
			timeout_ms = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || timeout_ms <= 0) {
				fprintf(stderr, "%s: bad --timeout-ms '%s' (a positive number)\n", prog,
					optarg);
				return 1;
			}
			break;
		case 'r':
			ready_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (ifname_and_file_args(argc, argv, &ifname, &out_path))
		return 1;
	if (check_radiotap_link(ifname))
		return 1;
	ifindex = if_nametoindex(ifname);

	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	sock = capture_socket(ifname, ifindex);
	if (sock < 0)
		return 1;
	dead = pcap_open_dead(DLT_IEEE802_11_RADIO, SNAPLEN);
	if (!dead) {
		fprintf(stderr, "%s: pcap_open_dead failed\n", prog);
		goto out_sock;
	}
	dumper = pcap_dump_open(dead, out_path);
	if (!dumper) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, out_path, pcap_geterr(dead));
		goto out_dead;
	}
	if (ready_path) {
		int rfd = open(ready_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (rfd < 0) {
			fprintf(stderr, "%s: cannot create %s: %s\n", prog, ready_path, strerror(errno));
			goto out_dump;
		}
		close(rfd);
	}
	printf("%s: capturing on %s\n", prog, ifname);
	fflush(stdout);

	last_activity = now_ms();
	while (!count || captured < count) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		struct pcap_pkthdr ph;
		long long now = now_ms();
		long long deadline = 0;
		ssize_t len;
		int wait_ms, n;

		if (stop_requested && !stop_at)
			stop_at = now + CAPTURE_GRACE_MS;
		/* The earlier of the idle timeout and the drain deadline; -1 waits for ever. */
		if (timeout_ms)
			deadline = last_activity + timeout_ms;
		if (stop_at && (!deadline || stop_at < deadline))
			deadline = stop_at;
		if (deadline && now >= deadline)
			break;
		wait_ms = deadline ? (int)(deadline - now) : -1;

		n = poll(&pfd, 1, wait_ms);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", prog, strerror(errno));
			goto out_dump;
		}
		if (n == 0)
			continue;
		len = recvfrom(sock, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
			       (struct sockaddr *)&from, &fromlen);
		if (len < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "%s: recv on %s: %s\n", prog, ifname, strerror(errno));
			goto out_dump;
		}
		last_activity = now_ms();
		if (stop_at)
			stop_at = last_activity + CAPTURE_GRACE_MS;
		/* What the interface sends is not what it receives. */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		gettimeofday(&ph.ts, NULL);
		ph.len = len;
		ph.caplen = len < (ssize_t)sizeof(buf) ? (size_t)len : sizeof(buf);
		pcap_dump((u_char *)dumper, &ph, buf);
		captured++;
	}

	if (getsockopt(sock, SOL_PACKET, PACKET_STATISTICS, &pstats, &pstats_len) < 0) {
		fprintf(stderr, "%s: PACKET_STATISTICS: %s\n", prog, strerror(errno));
		goto out_dump;
	}
	if (pcap_dump_flush(dumper) < 0) {
		fprintf(stderr, "%s: cannot write %s\n", prog, out_path);
		goto out_dump;
	}
	printf("%s: captured %lu frame%s on %s\n", prog, captured, captured == 1 ? "" : "s", ifname);
	if (pstats.tp_drops) {
		fprintf(stderr, "%s: the socket queue overflowed: %u frames lost\n", prog,
			pstats.tp_drops);
		goto out_dump;
	}
	ret = 0;
out_dump:
	pcap_dump_close(dumper);
out_dead:
	pcap_close(dead);
out_sock:
	close(sock);
	return ret;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "create") || !strcmp(cmd, "delete")) {
		if (argc != 3) {
			usage(stderr);
			return 1;
		}
		return !strcmp(cmd, "create") ? cmd_create(argv[2]) : cmd_delete(argv[2]);
	}
	/* getopt sees "feed IFNAME FILE ...", with the subcommand as its argv[0]. */
	if (!strcmp(cmd, "feed"))
		return cmd_feed(argc - 1, argv + 1);
	if (!strcmp(cmd, "capture"))
		return cmd_capture(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
	usage(stderr);
	return 1;
}
