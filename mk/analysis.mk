# mk/analysis.mk - static analysis, all three clean or the target fails:
#
#   make analyze            = analyze-gcc analyze-cppcheck analyze-tidy
#   make analyze-gcc        gcc -fanalyzer, with the build's own warnings and
#                           -Werror, on ANALYZE_SRCS
#   make analyze-cppcheck   cppcheck --enable=warning,portability,performance,
#                           suppressions inline ("// cppcheck-suppress ID"
#                           with the reason on the line) or in
#                           mk/cppcheck.supp (one reason per entry)
#   make analyze-tidy       clang-tidy with the checked-in .clang-tidy (the
#                           checks and why some are off are there)
#
# The sources are analysed as built: the policy of this make invocation in
# build/analyze/obj/config.h, the flags of the Makefile. Needs gcc,
# cppcheck and clang-tidy (Debian: gcc, cppcheck, clang-tidy).

ANALYZE_DIR  = build/analyze
ANALYZE_SRCS = fcgi-suexec.c policy.c sandbox.c world.c tools/audit.c tools/status.c tools/seccomp-gen.c
ANALYZE_CFG  = $(ANALYZE_DIR)/obj/config.h
ANALYZE_INC  = -I$(ANALYZE_DIR)/obj -I. -Itools
ANALYZE_GCC  = gcc
CPPCHECK     = cppcheck
CLANG_TIDY   = clang-tidy

analyze: analyze-gcc analyze-cppcheck analyze-tidy

$(ANALYZE_CFG): FORCE
	@./mkconfig.sh $@

# sandbox.c includes the filter that tools/seccomp-gen builds.
ANALYZE_BPF = $(ANALYZE_DIR)/obj/seccomp-filter.h
$(ANALYZE_BPF): $(OBJDIR)/seccomp-gen $(ANALYZE_CFG)
	$< > $@

# -fanalyzer: paths through each function (leaks, double free, use after
# free, NULL dereference, file descriptor misuse in gcc >= 13). The whole
# warning set of the build, -Werror: the build's own flags at -O2.
analyze-gcc: $(ANALYZE_CFG) $(ANALYZE_BPF)
	@for f in $(ANALYZE_SRCS); do \
	  echo "analyze-gcc: $$f"; \
	  $(ANALYZE_GCC) $(CFLAGS) $(WARN) $(HARDEN) -fanalyzer -Werror $(ANALYZE_INC) \
	    $(shell pkg-config --cflags $(PKGS)) -c -o /dev/null $$f || exit 1; \
	done

CPPCHECK_FLAGS = --error-exitcode=1 --enable=warning,portability,performance \
                 --inline-suppr --suppressions-list=mk/cppcheck.supp \
                 --std=c11 --platform=unix64 --library=posix --quiet \
                 --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
                 -D__GNUC__ -D_GNU_SOURCE -D_FORTIFY_SOURCE=3 -D__linux__ -D__x86_64__ $(ANALYZE_INC)

analyze-cppcheck: $(ANALYZE_CFG) $(ANALYZE_BPF)
	@echo "analyze-cppcheck: $(ANALYZE_SRCS)"
	@$(CPPCHECK) $(CPPCHECK_FLAGS) --cppcheck-build-dir=$(ANALYZE_DIR) $(ANALYZE_SRCS)

# clang parses as the build compiles (-O2 and _FORTIFY_SOURCE=3, which
# fcgi-suexec.c requires), with the build's warnings but the one clang does
# not know; HARDEN's other flags change no diagnostic.
TIDY_FLAGS = $(CFLAGS) -D_FORTIFY_SOURCE=3 $(filter-out -Werror -Wno-format-truncation,$(WARN)) \
             $(ANALYZE_INC) $(shell pkg-config --cflags $(PKGS))

# (stderr without its "N warnings generated." lines: those are the
# diagnostics of checks not enabled.)
analyze-tidy: $(ANALYZE_CFG) $(ANALYZE_BPF)
	@echo "analyze-tidy: $(ANALYZE_SRCS)"
	@$(CLANG_TIDY) --quiet $(ANALYZE_SRCS) -- $(TIDY_FLAGS) 2>$(ANALYZE_DIR)/tidy.err; \
	  rc=$$?; grep -v '^[0-9]* warnings* generated\.$$' $(ANALYZE_DIR)/tidy.err >&2; exit $$rc

.PHONY: analyze analyze-gcc analyze-cppcheck analyze-tidy
