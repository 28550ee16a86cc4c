/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Loops over many blocks (the AES bulk operations) in a way the verifier checks once.
 *
 * The kernel's may_goto instruction (6.9+) lets the verifier prune a loop as soon as its
 * state repeats instead of walking every iteration, and costs about 1 ns per iteration at run
 * time, where bpf_loop() and bpf_for iterators pay a call and a return through the SRSO
 * return thunk (~8.5 ns) and a bounded for loop makes the verifier walk each iteration
 * (hundreds of thousands of processed instructions for one CCM frame).
 *
 * For the verifier to see the state repeat, a loop index that feeds a pointer must not be a
 * known constant: callers keep it in scratch memory (a map value), so each iteration reloads
 * an unknown value they bound with one comparison.
 *
 * may_goto also ends a loop once the program's run-time budget of iterations (8 million per
 * run) is spent; every loop must therefore check afterwards that it reached its end.
 *
 * Kernels before 6.9 (Debian 12's 6.1) have no may_goto: built with DOT11XDP_LOOP_BPF_LOOP
 * set to 1, DOT11XDP_LOOP_RUN runs the same loop steps through bpf_loop() (5.17+) instead.
 */
#ifndef DOT11XDP_BPF_LOOP_H
#define DOT11XDP_BPF_LOOP_H

#ifndef DOT11XDP_LOOP_BPF_LOOP
#define DOT11XDP_LOOP_BPF_LOOP 0
#endif

/* A loop index the verifier must not track: read from and written to scratch memory. */
#define DOT11XDP_LOOP_LOAD(field) (*(volatile __typeof__(field) *)&(field))
#define DOT11XDP_LOOP_STORE(field, value) (*(volatile __typeof__(field) *)&(field) = (value))

/*
 * Last statement of a may_goto loop body: go round again, or leave the loop when the
 * kernel's iteration budget is spent. clang 19 assembles may_goto in inline asm. Used
 * directly (rather than through DOT11XDP_LOOP_RUN) it needs 6.9+ whatever
 * DOT11XDP_LOOP_BPF_LOOP says: fine for code that needs a newer kernel anyway (the kfunc
 * engine), not for anything a 6.1 build includes.
 */
#define DOT11XDP_LOOP_NEXT                                                                      \
	({                                                                                      \
		__label__ budget_spent, next_iteration;                                         \
		asm volatile goto("may_goto %l[budget_spent]" :::: budget_spent);               \
		goto next_iteration;                                                            \
	budget_spent:                                                                           \
		break;                                                                          \
	next_iteration:;                                                                        \
	})

/*
 * Loops over blocks: step(ctx, i) for i = 0 .. n - 1, where step is a static __always_inline
 * function returning 0 to go on and 1 to stop (having recorded why in *ctx, which holds all
 * the loop's state). DOT11XDP_LOOP_RUN evaluates to the number of steps run, n unless one
 * stopped (or the kernel cut the loop short). index: a __u32 in map memory.
 *
 * may_goto (default): the steps are inlined into one loop whose index lives in index, and
 * the compiler keeps *ctx in registers. bpf_loop() (DOT11XDP_LOOP_BPF_LOOP 1, for kernels
 * before 6.9): each step is a callback, *ctx stays on the caller's stack, index is unused;
 * about 8.5 ns more per block.
 */
#if DOT11XDP_LOOP_BPF_LOOP
#define DOT11XDP_LOOP_CALLBACK(step, ctx_type)                                                  \
	static long step##_callback(__u32 i, void *ctx)                                         \
	{                                                                                       \
		return step((ctx_type *)ctx, i);                                                \
	}
#define DOT11XDP_LOOP_RUN(step, ctx, n, index) ((__u32)bpf_loop((n), step##_callback, (ctx), 0))
#else
#define DOT11XDP_LOOP_CALLBACK(step, ctx_type)
#define DOT11XDP_LOOP_RUN(step, ctx, n, index)                                                  \
	({                                                                                      \
		__u32 loop_n_ = (n);                                                            \
		DOT11XDP_LOOP_STORE(index, 0);                                                  \
		for (;;) {                                                                      \
			__u32 loop_i_ = DOT11XDP_LOOP_LOAD(index);                              \
			if (loop_i_ >= loop_n_ || step((ctx), loop_i_))                         \
				break;                                                          \
			DOT11XDP_LOOP_STORE(index, loop_i_ + 1);                                \
			DOT11XDP_LOOP_NEXT;                                                     \
		}                                                                               \
		DOT11XDP_LOOP_LOAD(index);                                                      \
	})
#endif

#endif
