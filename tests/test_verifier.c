// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 2: the receive program passes the verifier in both configurations it ships in, live
 * (report_outcome false) and offline (true), and the live one carries none of the reporting
 * code. Prints the verifier's processed-instruction counts so a regression shows in the log.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "decrypt.skel.h"
#include "testlib.h"

/* Verifier budget: a tenth of the kernel's 1M limit, so growth shows long before loads fail. */
#define VERIFIED_INSNS_BUDGET 100000

struct load_result {
	bool loaded;
	struct bpf_prog_info info;
};

static struct load_result load(bool report_outcome)
{
	struct load_result res = {};
	struct decrypt_bpf *skel;
	struct bpf_map *map;
	__u32 len = sizeof(res.info);
	int err;

	skel = decrypt_bpf__open();
	if (!skel)
		test_fatal("decrypt_bpf__open: %s", strerror(errno));
	skel->rodata->report_outcome = report_outcome;
	bpf_object__for_each_map(map, skel->obj)
		if (bpf_map__set_pin_path(map, NULL))
			test_fatal("unpinning map %s", bpf_map__name(map));
	err = decrypt_bpf__load(skel);
	res.loaded = !err;
	if (!err &&
	    bpf_obj_get_info_by_fd(bpf_program__fd(skel->progs.xdp_decrypt), &res.info, &len))
		test_fatal("bpf_prog_info: %s", strerror(errno));
	decrypt_bpf__destroy(skel);
	return res;
}

int main(void)
{
	struct load_result live, offline;

	test_require_root();
	live = load(false);
	offline = load(true);
	test_ok(live.loaded, "xdp_decrypt loads as a live program (report_outcome false)");
	test_ok(offline.loaded, "xdp_decrypt loads as an offline program (report_outcome true)");
	if (!live.loaded || !offline.loaded)
		return test_done();

	printf("# live: verified_insns %u, xlated %u bytes, jited %u bytes\n",
	       live.info.verified_insns, live.info.xlated_prog_len, live.info.jited_prog_len);
	printf("# offline: verified_insns %u, xlated %u bytes, jited %u bytes\n",
	       offline.info.verified_insns, offline.info.xlated_prog_len,
	       offline.info.jited_prog_len);
	test_ok(live.info.verified_insns < VERIFIED_INSNS_BUDGET,
		"live program: %u verified instructions, within the budget of %u",
		live.info.verified_insns, VERIFIED_INSNS_BUDGET);
	test_ok(offline.info.verified_insns < VERIFIED_INSNS_BUDGET,
		"offline program: %u verified instructions, within the budget of %u",
		offline.info.verified_insns, VERIFIED_INSNS_BUDGET);
	test_ok(live.info.xlated_prog_len < offline.info.xlated_prog_len,
		"the verifier removed the outcome report from the live program (%u < %u bytes)",
		live.info.xlated_prog_len, offline.info.xlated_prog_len);
	return test_done();
}
