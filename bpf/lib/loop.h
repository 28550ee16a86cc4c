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
 * An older-kernel fallback (bpf_loop() for 6.1) would replace DOT11XDP_LOOP_NEXT and run the
 * body as a callback: the loop bodies keep their state in a struct for that reason.
 */
#ifndef DOT11XDP_BPF_LOOP_H
#define DOT11XDP_BPF_LOOP_H

/*
 * Last statement of a loop body: go round again, or leave the loop when the kernel's
 * iteration budget is spent. clang 19 assembles may_goto in inline asm.
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

/* A loop index the verifier must not track: read from and written to scratch memory. */
#define DOT11XDP_LOOP_LOAD(field) (*(volatile __typeof__(field) *)&(field))
#define DOT11XDP_LOOP_STORE(field, value) (*(volatile __typeof__(field) *)&(field) = (value))

#endif
