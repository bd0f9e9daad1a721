# SPDX-License-Identifier: GPL-2.0-only
# scmi-mediator build. Objects go under build/<variant>/ so that gcc, clang
# and sanitizer builds live side by side:
#   make                 build everything (gcc)
#   make CC=clang        clang build
#   make SANITIZE=1      ASan+UBSan build
#   make HAVE_XEN=0      without the Xen frontend (build/<cc>-noxen)
#   make build-xen420    build and test against Debian 13's Xen 4.20
#   make check           build and run every test, ending "N passed, N failed"
#   make fuzz            libFuzzer targets (clang), short runs
#   make bench           benchmarks
#   make demo            the main job (installs deps, builds, runs the demo)

CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

VARIANT := $(notdir $(firstword $(CC)))$(if $(SANITIZE),-san)$(if $(filter 0,$(HAVE_XEN)),-noxen)
BUILD := build/$(VARIANT)

PKG_CONFIG ?= pkg-config
XLUTIL_CFLAGS := $(shell $(PKG_CONFIG) --cflags xlutil 2>/dev/null)
XLUTIL_LIBS := $(shell $(PKG_CONFIG) --libs xlutil 2>/dev/null || echo -lxlutil)
FDT_LIBS := $(shell $(PKG_CONFIG) --libs libfdt 2>/dev/null || echo -lfdt)
JSONC_CFLAGS := $(shell $(PKG_CONFIG) --cflags json-c 2>/dev/null)
JSONC_LIBS := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null || echo -ljson-c)
# The Xen frontend is built when the Xen device-model libraries are present.
XEN_PKGS := xencontrol xendevicemodel xenforeignmemory xenevtchn xengnttab xenstore xentoolcore
HAVE_XEN ?= $(shell $(PKG_CONFIG) --exists $(XEN_PKGS) 2>/dev/null && echo 1)
ifeq ($(HAVE_XEN),1)
# The libraries' version (xencontrol's is Xen's: 4.17.0 on Debian 12, 4.20.0
# on Debian 13) goes into `scmi-mediator --version`.
XEN_VERSION := $(shell $(PKG_CONFIG) --modversion xencontrol)
XEN_CFLAGS := -DHAVE_XEN=1 -DSCMI_XEN_VERSION='"$(XEN_VERSION)"' \
	$(shell $(PKG_CONFIG) --cflags $(XEN_PKGS))
XEN_LIBS := $(shell $(PKG_CONFIG) --libs $(XEN_PKGS))
endif

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wformat=2 -Wvla
CFLAGS ?= -O2 -g
override CFLAGS += -std=gnu11 $(WARN) -D_GNU_SOURCE -I. -MMD -MP \
	$(XLUTIL_CFLAGS) $(JSONC_CFLAGS) $(XEN_CFLAGS) -fno-strict-aliasing
ifeq ($(SANITIZE),1)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
endif
LDLIBS := $(XLUTIL_LIBS) $(FDT_LIBS) $(JSONC_LIBS) $(XEN_LIBS) -lpthread -lm

LIB_DIRS := mediator mediator/virtio backends backends/platform backends/smt \
	config vhost-user tools/client
LIB_SRCS := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
# xen/*.c is plain C (register file, ioreq state machine, mapping cache,
# xenstore entry parsing, DT generation): always built and unit-tested.
# xen/libxen/*.c binds it to the Xen libraries: built only with HAVE_XEN.
LIB_SRCS += $(wildcard xen/*.c)
ifeq ($(HAVE_XEN),1)
LIB_SRCS += $(wildcard xen/libxen/*.c)
endif
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libscmimed.a

PROG_SRCS := $(wildcard tools/*.c)
PROGS := $(PROG_SRCS:tools/%.c=$(BUILD)/bin/%)

TEST_SUPPORT_SRCS := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJS := $(TEST_SUPPORT_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(wildcard tests/unit/test_*.c tests/integration/test_*.c)
# Tests of xen/libxen/ need the Xen libraries (not a hypervisor).
ifneq ($(HAVE_XEN),1)
TEST_SRCS := $(filter-out tests/unit/test_libxen_%.c tests/integration/test_libxen_%.c,$(TEST_SRCS))
endif
TESTS := $(foreach t,$(TEST_SRCS),$(BUILD)/tests/$(notdir $(t:.c=)))

BENCH_SRCS := $(wildcard bench/*.c)
BENCHES := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)

.PHONY: all check run-tests tests progs clean fuzz bench demo deps e2e e2e-xen dist-check kmod build-xen420
all: $(LIB) $(PROGS)

progs: $(PROGS)
tests: $(TESTS) $(PROGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

define test_rule
$(BUILD)/tests/$(notdir $(1:.c=)): $(BUILD)/obj/$(1:.c=.o) $(TEST_SUPPORT_OBJS) $(LIB)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(LDFLAGS) $$< $(TEST_SUPPORT_OBJS) $(LIB) -lcmocka $$(LDLIBS) -o $$@
endef
$(foreach t,$(TEST_SRCS),$(eval $(call test_rule,$(t))))

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(TEST_SUPPORT_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $< $(TEST_SUPPORT_OBJS) $(LIB) -lcmocka $(LDLIBS) -o $@

# Every test binary runs; the runner sums cmocka's counts and prints the
# overall "N passed, N failed" line. BUILD_BIN lets tests find programs.
# Dependencies are installed first, then a sub-make (which sees the
# freshly installed pkg-config files) builds and runs the tests.
check: deps
	$(Q)$(MAKE) --no-print-directory run-tests

run-tests: tests
	$(Q)BUILD_BIN=$(abspath $(BUILD)/bin) tests/run-tests.sh $(TESTS)

deps:
	$(Q)tools/deps.sh

bench: $(BENCHES) $(PROGS)
	$(Q)BUILD_BIN=$(abspath $(BUILD)/bin) bench/run-bench.sh $(BENCHES)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD_BIN=$(abspath $(BUILD)/bin) tools/demo.sh

# libFuzzer targets (clang only); FUZZ_RUNS executions each.
FUZZ_RUNS ?= 1000000
FUZZ_SEED ?= 1
FUZZ_BUILD := build/fuzz
FUZZ_SRCS := $(wildcard fuzz/fuzz_*.c)
fuzz:
	$(Q)$(MAKE) --no-print-directory CC=clang SANITIZE=1 BUILD=$(FUZZ_BUILD) \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/libscmimed.a
	$(Q)set -e; for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
		clang -std=gnu11 -O1 -g -D_GNU_SOURCE -I. $(XLUTIL_CFLAGS) $(JSONC_CFLAGS) $(XEN_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$$f $(FUZZ_BUILD)/libscmimed.a $(LDLIBS) -o $(FUZZ_BUILD)/$$n; \
		echo "== $$n: $(FUZZ_RUNS) runs"; \
		mkdir -p $(FUZZ_BUILD)/corpus-$$n; \
		$(FUZZ_BUILD)/$$n -runs=$(FUZZ_RUNS) -seed=$(FUZZ_SEED) -max_len=2048 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/$$n- \
			$(FUZZ_BUILD)/corpus-$$n fuzz/corpus/$$n 2>&1 | \
			grep -E 'stat::number_of_executed_units|^Done|==[0-9]+== ?ERROR|SUMMARY|^ +#[0-9]+ 0x|Test unit written' ; \
		test $${PIPESTATUS[0]} -eq 0; done
fuzz: SHELL := /bin/bash

e2e:
	$(Q)tests/e2e/run.sh

e2e-xen:
	$(Q)tests/e2e-xen/run.sh

# Build and test against Debian 13's libxen-dev 4.20 (gcc 14) in a trixie
# tree debootstrapped into /var/cache/scmi-mediator/xen-build (docs/xen.md).
build-xen420:
	$(Q)tools/build-xen420.sh

# The scmi_smc kernel module (backends/smc/, docs/smc.md), cross-built for
# arm64 against Debian's headers (fetched into /var/cache/scmi-mediator/kmod).
kmod:
	$(Q)tools/kmod-build.sh

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/*/*/*.d $(BUILD)/obj/*/*/*/*.d)
