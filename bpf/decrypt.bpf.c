// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* The receive program: decrypts protected frames on a monitor-mode interface. */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/maps.h"

/* Set by an offline loader before load: report each frame's outcome in the XDP metadata. */
const volatile bool report_outcome = false;

SEC("xdp")
int xdp_decrypt(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
