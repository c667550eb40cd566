# adjverify: build, test and verification targets.
# `make check` runs the unit tests; `make verify` prints the claims ledger
# and rewrites tables/.  Dependencies (MPFR, GMP, Check) are found through
# pkg-config and installed by scripts/ensure-deps.sh when missing.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include/adjverify
MANDIR ?= $(PREFIX)/share/man/man1

CC ?= cc
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic
PKG_CFLAGS = $(shell pkg-config --cflags mpfr gmp)
PKG_LIBS = $(shell pkg-config --libs mpfr gmp) -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS = $(shell pkg-config --libs check)

BUILD := build
LIB_SRC := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
HEADERS := $(sort $(wildcard src/*/*.h))

DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all check verify tables bench install uninstall clean deps figures

all: bin/adjverify lib/libadjverify.a

$(DEPS_STAMP): scripts/ensure-deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/ensure-deps.sh
	@touch $@

deps: $(DEPS_STAMP)

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

lib/libadjverify.a: $(LIB_OBJ)
	@mkdir -p lib
	rm -f $@
	ar rcs $@ $^

bin/adjverify: $(CLI_OBJ) lib/libadjverify.a
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) lib/libadjverify.a $(PKG_LIBS)

$(BUILD)/check_adjverify: $(TEST_OBJ) lib/libadjverify.a
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJ) lib/libadjverify.a $(CHECK_LIBS) $(PKG_LIBS)

check: $(BUILD)/check_adjverify bin/adjverify
	ADJVERIFY_BIN=$(CURDIR)/bin/adjverify $(BUILD)/check_adjverify
	sh tests/badinput/run.sh bin/adjverify

verify: bin/adjverify
	bin/adjverify verify --write tables

tables: bin/adjverify
	bin/adjverify tables --dir tables

# `make figures`: SVGs in docs/figures/ from adjverify's own numbers
# (skipped with a message when gnuplot is not installed).
figures: bin/adjverify
	sh docs/figures/make-figures.sh bin/adjverify docs/figures svg

# `make bench`: timings against the MPFR operation floor (tables/bench.md).
# bench_count is the same program built over a counting copy of the
# sources on P1's forward + backprop path (tests/bench/opcount.h).
BENCH := $(BUILD)/bench
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_COUNTED := src/integrate/rk_step.c src/integrate/rk_solve.c src/gradients/bp.c \
                 src/gradients/grad.c src/problems/model_mlp.c src/problems/problem.c \
                 src/numbers/mpvec.c
BENCH_COUNT_OBJ := $(BENCH_COUNTED:%.c=$(BENCH)/count/%.o)

$(BENCH)/count/%.o: %.c tests/bench/opcount.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -DOPC_WRAP -include tests/bench/opcount.h -c $< -o $@

$(BENCH)/bench: $(BENCH_SRC) tests/bench/bench.h tests/bench/opcount.h lib/libadjverify.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -o $@ $(BENCH_SRC) lib/libadjverify.a $(PKG_LIBS)

$(BENCH)/bench_count: tests/bench/bench.c tests/bench/bench.h $(BENCH_COUNT_OBJ) lib/libadjverify.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -DBENCH_COUNT -o $@ tests/bench/bench.c \
	  $(BENCH_COUNT_OBJ) lib/libadjverify.a $(PKG_LIBS)

bench: $(BENCH)/bench $(BENCH)/bench_count
	@mkdir -p tables
	$(BENCH)/bench --count-bin $(BENCH)/bench_count --out tables/bench.md
	@cat tables/bench.md

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)
	install -m 755 bin/adjverify $(DESTDIR)$(BINDIR)/adjverify
	install -m 644 lib/libadjverify.a $(DESTDIR)$(LIBDIR)/libadjverify.a
	for h in $(HEADERS); do \
	  d=$(DESTDIR)$(INCDIR)/$$(basename $$(dirname $$h)); \
	  install -d $$d && install -m 644 $$h $$d/ || exit 1; \
	done
	if [ -f docs/adjverify.1 ]; then install -d $(DESTDIR)$(MANDIR) && \
	  install -m 644 docs/adjverify.1 $(DESTDIR)$(MANDIR)/adjverify.1; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/adjverify $(DESTDIR)$(LIBDIR)/libadjverify.a
	rm -rf $(DESTDIR)$(INCDIR)
	rm -f $(DESTDIR)$(MANDIR)/adjverify.1

clean:
	rm -rf $(BUILD) bin lib build-asan build-fuzz

include tests/reliability.mk

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
