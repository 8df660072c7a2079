# mk/fuzz.mk - libFuzzer harnesses for the pure functions that read
# untrusted input (tests/fuzz/*.c; what each checks is at its top).
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS='id within']
#                       build, then fuzz each harness for FUZZ_SECONDS; fails
#                       on any crash, leak, sanitizer report or failed
#                       property
#   make fuzz-short     the same, FUZZ_SHORT_SECONDS (5) each: for make check
#   make fuzz-build     only build them (build/fuzz/NAME)
#   make fuzz-clean     remove build/fuzz (corpora and crash inputs included)
#   make fuzz-mutants   plant known holes in copies of the code: each harness
#                       must catch its own (tests/fuzz/mutants.sh, 60-static.t)
#   make fuzz-list      the harnesses' names
#
# Each harness starts from its seed corpus tests/fuzz/corpus/NAME/, which is
# only read: new inputs go to the working corpus build/fuzz/corpus/NAME/
# (kept between runs), crash inputs to build/fuzz/artifacts/NAME/, the log to
# build/fuzz/logs/NAME.log. Replay a crash with build/fuzz/NAME FILE.
#
# Compiler: Debian's clang (clang-14; libFuzzer is in libclang-rt-14-dev,
# which apt installs only as a recommendation of clang: install it by name).
# The harnesses call policy.c directly against the unit tests' fixed policy
# (DOCROOT=/var/www, UID_MIN=GID_MIN=1000, ...), in build/fuzz/obj/config.h.

FUZZ_CC            = clang
FUZZ_SECONDS       = 60
FUZZ_SHORT_SECONDS = 5
FUZZ_DIR           = build/fuzz
FUZZ_CFG           = $(FUZZ_DIR)/obj/config.h
# Harnesses; json_escape only once tools/json.h (the audit tool's escaper,
# json_escape(out, outsize, s, n)) exists.
FUZZ_ALL     = id name version canonical within docroot_base ancestor env_keep \
               cgi_env_keep command limits \
               $(if $(wildcard tools/json.h),json_escape)
FUZZ_TARGETS = $(FUZZ_ALL)
FUZZ_BINS    = $(FUZZ_ALL:%=$(FUZZ_DIR)/%)
# -fno-sanitize-recover: any UBSan finding stops the run as a crash; the
# project's warnings minus the one clang does not know.
FUZZ_CFLAGS  = -std=gnu11 -g -O1 -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all \
               $(filter-out -Wno-format-truncation,$(WARN)) \
               -I$(FUZZ_DIR)/obj -I. -Itools -Itests/fuzz

fuzz-build: $(FUZZ_BINS)

$(FUZZ_CFG): FORCE
	@$(FIXED_POLICY) BUILD_FLAGS='$(FUZZ_CC) $(FUZZ_CFLAGS)' ./mkconfig.sh $@

$(FUZZ_DIR)/obj/policy.o: policy.c policy.h $(FUZZ_CFG)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ policy.c

$(FUZZ_BINS): $(FUZZ_DIR)/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_DIR)/obj/policy.o \
              $(wildcard tools/json.h)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/obj/policy.o

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-short: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SHORT_SECONDS) $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_DIR)

fuzz-list:
	@echo $(FUZZ_ALL)

.PHONY: fuzz fuzz-short fuzz-build fuzz-clean fuzz-list

# Are the properties strong enough? Plant known holes in copies of the code
# (tests/fuzz/mutants.sh) and require each harness to catch its mutant.
# 60 s: under load a harness has missed a mutant it finds in a second when idle
FUZZ_MUTANT_SECONDS = 60
fuzz-mutants: $(FUZZ_CFG)
	@FUZZ_CC='$(FUZZ_CC)' FUZZ_CFLAGS='$(FUZZ_CFLAGS)' \
	  tests/fuzz/mutants.sh $(FUZZ_DIR) $(FUZZ_MUTANT_SECONDS)

.PHONY: fuzz-mutants
