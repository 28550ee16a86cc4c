# SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#
# dot11xdp: every output goes under $(OUTPUT). `make help` lists the targets.

OUTPUT ?= build
PREFIX ?= /usr/local
CLANG ?= clang-19
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
CC ?= gcc
PKG_CONFIG ?= pkg-config
SHARED ?= ../shared

ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/;s/ppc64le/powerpc/;s/s390x/s390/')
VERSION := 0.1.0

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(patsubst $(OUTPUT)/%,%,$(2))";
endif

# clang -target bpf does not search the multiarch include directory (asm/types.h);
# pass the system directories on, as libbpf-bootstrap does.
CLANG_BPF_SYS_INCLUDES = $(shell $(CLANG) -v -E - </dev/null 2>&1 \
	| sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

INCLUDES := -Iinclude -I$(OUTPUT)
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-Wno-unused-function -Ibpf $(INCLUDES)
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
	-std=gnu11 -fPIC $(INCLUDES) -Iloader/lib -DDOT11XDP_VERSION='"$(VERSION)"'
DEPFLAGS = -MMD -MP
LIBS = $(shell $(PKG_CONFIG) --libs libxdp libbpf libpcap libcrypto 2>/dev/null || echo -lxdp -lbpf -lpcap -lcrypto) -lelf -lz -lpthread

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))

LIB_SRCS := $(wildcard loader/lib/*.c)
LIB_OBJS := $(patsubst loader/lib/%.c,$(OUTPUT)/lib/%.o,$(LIB_SRCS))
LIB_A := $(OUTPUT)/libdot11xdp.a
LIB_SO := $(OUTPUT)/libdot11xdp.so

CLI_SRCS := $(wildcard loader/cli/*.c)
CLI_OBJS := $(patsubst loader/cli/%.c,$(OUTPUT)/cli/%.o,$(CLI_SRCS))
CLI := $(OUTPUT)/dot11xdp

# Every tools/*.c and tests/*.c is a program of its own; tests/lib/*.c is linked into each test.
TOOL_SRCS := $(wildcard tools/*.c)
TOOLS := $(patsubst tools/%.c,$(OUTPUT)/tools/%,$(TOOL_SRCS))
# bench/*.c: one micro-benchmark each, built and run by `make bench` only.
BENCH_SRCS := $(wildcard bench/*.c)
BENCHES := $(patsubst bench/%.c,$(OUTPUT)/bench/%,$(BENCH_SRCS))
TESTLIB_SRCS := $(wildcard tests/lib/*.c)
TESTLIB_OBJS := $(patsubst tests/lib/%.c,$(OUTPUT)/tests/lib/%.o,$(TESTLIB_SRCS))
TEST_SRCS := $(wildcard tests/*.c)
TESTS := $(patsubst tests/%.c,$(OUTPUT)/tests/%,$(TEST_SRCS))

DEPS := $(wildcard $(OUTPUT)/*/*.d $(OUTPUT)/*/*/*.d)

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test test-unit test-vm demo bench install uninstall clean help

all: deps $(BPF_OBJS) $(SKELS) $(LIB_A) $(LIB_SO) $(CLI) $(TOOLS) $(TESTS)

help:
	@echo 'dot11xdp targets:'
	@echo '  all        build the BPF programs, libdot11xdp, the dot11xdp CLI, tools and tests (default)'
	@echo '  deps       install the Debian packages the build, tests and demo need (idempotent)'
	@echo '  demo       decrypt a bundled WPA2 capture on a simulated monitor NIC, in a network namespace'
	@echo '  test       run the whole test suite (needs root); ends with "N passed, N failed"'
	@echo '  test-vm    the real-kernel tier alone: Debian 6.12 and 6.1 under qemu with mac80211_hwsim'
	@echo '  bench      build and run the micro-benchmarks in bench/ (needs root; not part of test)'
	@echo '  install    install the library, headers, CLI and pkg-config file under PREFIX=$(PREFIX)'
	@echo '  clean      remove $(OUTPUT)/'
	@echo 'Variables: V=1 (full commands), OUTPUT=dir, PREFIX=dir, CLANG=clang-19, SHARED=../shared'

deps:
	$(Q)scripts/install-deps.sh

$(OUTPUT) $(OUTPUT)/bpf $(OUTPUT)/lib $(OUTPUT)/cli $(OUTPUT)/tools $(OUTPUT)/tests $(OUTPUT)/tests/lib $(OUTPUT)/bench:
	$(Q)mkdir -p $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c Makefile | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(CLANG_BPF_SYS_INCLUDES) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/bpf/%.bpf.o | $(OUTPUT)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(OUTPUT)/lib/%.o: loader/lib/%.c Makefile $(SKELS) | $(OUTPUT)/lib
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -fvisibility=hidden $(DEPFLAGS) -c $< -o $@

$(LIB_A): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIB_SO): $(LIB_OBJS) loader/libdot11xdp.map
	$(call msg,LD,$@)
	$(Q)$(CC) -shared -Wl,--version-script=loader/libdot11xdp.map -Wl,-soname,libdot11xdp.so.0 \
		-o $@ $(LIB_OBJS) $(LIBS)

$(OUTPUT)/cli/%.o: loader/cli/%.c Makefile $(SKELS) | $(OUTPUT)/cli
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Iloader/cli $(DEPFLAGS) -c $< -o $@

$(CLI): $(CLI_OBJS) $(LIB_A)
	$(call msg,BINARY,$@)
	$(Q)$(CC) -o $@ $(CLI_OBJS) $(LIB_A) $(LIBS)

$(OUTPUT)/tools/%: tools/%.c $(LIB_A) Makefile | $(OUTPUT)/tools
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -o $@ $< $(LIB_A) $(LIBS)

$(OUTPUT)/bench/%: bench/%.c $(LIB_A) Makefile $(SKELS) | $(OUTPUT)/bench
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -o $@ $< $(LIB_A) $(LIBS)

# Needs root (BPF_PROG_TEST_RUN); not part of `make test`. Each bench takes --json FILE and
# --clang CMD (the BPF compiler, for its version); capgen makes the frames.
bench: $(BENCHES) $(OUTPUT)/tools/capgen
	$(Q)for b in $(BENCHES); do \
		$$b --json $(OUTPUT)/bench/results.json --clang $(CLANG) || exit 1; done

$(OUTPUT)/tests/lib/%.o: tests/lib/%.c Makefile $(SKELS) | $(OUTPUT)/tests/lib
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/lib $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/tests/%: tests/%.c $(TESTLIB_OBJS) $(LIB_A) Makefile $(SKELS) | $(OUTPUT)/tests
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/lib $(DEPFLAGS) -o $@ $< $(TESTLIB_OBJS) $(LIB_A) $(LIBS)

# The suite needs root (BPF, namespaces); tests/run-tests.sh says so loudly when it lacks it.
test: all
	$(Q)OUTPUT=$(OUTPUT) SHARED=$(SHARED) tests/run-tests.sh

# Downloads each Debian kernel once into $(OUTPUT)/vm/kernels; VM_KERNELS="6.12 6.1" by default.
test-vm: all
	$(Q)OUTPUT=$(OUTPUT) SHARED=$(SHARED) tests/vm/run.sh

demo: all
	$(Q)OUTPUT=$(OUTPUT) scripts/demo.sh

install: all
	$(Q)install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/include/dot11xdp $(DESTDIR)$(PREFIX)/lib/pkgconfig
	$(Q)install -m 0644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/
	$(Q)install -m 0755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/libdot11xdp.so.0
	$(Q)ln -sf libdot11xdp.so.0 $(DESTDIR)$(PREFIX)/lib/libdot11xdp.so
	$(Q)install -m 0644 include/dot11xdp/*.h $(DESTDIR)$(PREFIX)/include/dot11xdp/
	$(Q)install -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/bin/
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' loader/dot11xdp.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/dot11xdp.pc

uninstall:
	$(Q)rm -f $(DESTDIR)$(PREFIX)/lib/libdot11xdp.a $(DESTDIR)$(PREFIX)/lib/libdot11xdp.so* \
		$(DESTDIR)$(PREFIX)/bin/dot11xdp $(DESTDIR)$(PREFIX)/lib/pkgconfig/dot11xdp.pc
	$(Q)rm -rf $(DESTDIR)$(PREFIX)/include/dot11xdp

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

-include $(DEPS)
