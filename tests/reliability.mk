# reliability.mk: sanitizer, valgrind and fuzzing targets, included by the
# Makefile.  Each builds apart from build/ so the ordinary objects stay
# untouched:
#   make asan      unit tests and the bad-input matrix under ASan + UBSan
#   make valgrind  verify and gradient runs under memcheck
#   make fuzz      libFuzzer on the number, tableau and problem parsers,
#                  FUZZ_SECONDS each (default 60)

.PHONY: asan valgrind fuzz fuzz-build

SAN_CC := $(shell command -v clang >/dev/null 2>&1 && echo clang || echo gcc)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer -O1 -g
ASAN_DIR := build-asan
ASAN_LIB_OBJ := $(LIB_SRC:%.c=$(ASAN_DIR)/%.o)
ASAN_CLI_OBJ := $(CLI_SRC:%.c=$(ASAN_DIR)/%.o)
ASAN_TEST_OBJ := $(TEST_SRC:%.c=$(ASAN_DIR)/%.o)
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

$(ASAN_DIR)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

# An archive, as for the ordinary build: only the objects used are linked.
$(ASAN_DIR)/libadjverify.a: $(ASAN_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(ASAN_DIR)/adjverify: $(ASAN_CLI_OBJ) $(ASAN_DIR)/libadjverify.a
	$(SAN_CC) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

$(ASAN_DIR)/check_adjverify: $(ASAN_TEST_OBJ) $(ASAN_DIR)/libadjverify.a
	$(SAN_CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS)

asan: $(ASAN_DIR)/check_adjverify $(ASAN_DIR)/adjverify
	$(SAN_ENV) ADJVERIFY_BIN=$(CURDIR)/$(ASAN_DIR)/adjverify $(ASAN_DIR)/check_adjverify
	$(SAN_ENV) sh tests/badinput/run.sh $(ASAN_DIR)/adjverify

# memcheck on the optimised program: a leak counts only when definite, any
# other error fails.  Error paths are run too (exit 2 expected): that is
# where a missed free hides.
VG := valgrind -q --leak-check=full --errors-for-leak-kinds=definite
valgrind: bin/adjverify
	$(VG) --error-exitcode=1 bin/adjverify verify --only E1,T1 >/dev/null
	$(VG) --error-exitcode=1 bin/adjverify gradient --problem mlp --scheme rk4 --steps 8 --method bp >/dev/null
	$(VG) --error-exitcode=1 bin/adjverify --prec 128 gradient --problem lotka --scheme gauss2 --steps 4 --method fd >/dev/null
	for a in "gradient --problem mlp --scheme rk4 --steps 0" \
	         "gradient --problem mlp --scheme nosuch --steps 4" \
	         "show problem nosuch"; do \
	  $(VG) --error-exitcode=99 bin/adjverify $$a 2>$(BUILD)/vg.err; rc=$$?; \
	  if [ $$rc != 2 ]; then cat $(BUILD)/vg.err; echo "valgrind: '$$a' exited $$rc"; exit 1; fi; \
	done
	@echo "valgrind: clean"

# libFuzzer needs clang's fuzzer runtime (Debian: libclang-rt-14-dev).
FUZZ_SECONDS ?= 60
FUZZ_DIR := build-fuzz
FUZZ_CC ?= clang
FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer -O1 -g
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o)
FUZZERS := qnum tableau problem

$(FUZZ_DIR)/.runtime-ok:
	@mkdir -p $(FUZZ_DIR)
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >$(FUZZ_DIR)/probe.c
	@if ! $(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_DIR)/probe.c -o $(FUZZ_DIR)/probe 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "adjverify: installing clang and libclang-rt-14-dev for libFuzzer" >&2; \
	    apt-get update -qq >&2; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-14-dev >&2 || exit 1; \
	    $(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_DIR)/probe.c -o $(FUZZ_DIR)/probe || exit 1; \
	  else \
	    echo "adjverify: clang's libFuzzer runtime is missing; run: sudo apt-get install clang libclang-rt-14-dev" >&2; \
	    exit 1; \
	  fi; \
	fi
	@touch $@

$(FUZZ_DIR)/%.o: %.c | $(DEPS_STAMP) $(FUZZ_DIR)/.runtime-ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/libadjverify.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libadjverify.a
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(FUZZ_DIR)/seeds: tests/fuzz/seeds.c $(FUZZ_DIR)/libadjverify.a
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

fuzz-build: $(FUZZERS:%=$(FUZZ_DIR)/fuzz_%) $(FUZZ_DIR)/seeds

# Each fuzzer starts from the built-in texts (written by seeds) plus the
# corpus it grew before; a crash is saved as build-fuzz/crash-* and fails.
fuzz: fuzz-build
	@for f in $(FUZZERS); do mkdir -p $(FUZZ_DIR)/seed/$$f $(FUZZ_DIR)/corpus/$$f; done
	$(FUZZ_DIR)/seeds $(FUZZ_DIR)/seed
	@for f in $(FUZZERS); do \
	  echo "fuzz_$$f: $(FUZZ_SECONDS) s"; \
	  $(SAN_ENV) $(FUZZ_DIR)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus/$$f $(FUZZ_DIR)/seed/$$f \
	    2>$(FUZZ_DIR)/fuzz_$$f.log; rc=$$?; \
	  grep -E '^stat::number_of_executed_units|^stat::new_units_added' $(FUZZ_DIR)/fuzz_$$f.log; \
	  if [ $$rc != 0 ]; then tail -40 $(FUZZ_DIR)/fuzz_$$f.log; exit 1; fi; \
	done

-include $(ASAN_LIB_OBJ:.o=.d) $(ASAN_CLI_OBJ:.o=.d) $(ASAN_TEST_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d)
