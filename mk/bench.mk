# mk/bench.mk - benchmarks: bench/*.sh, results and method in
# docs/BENCHMARKS.md. Benchmarks are not tests: nothing here passes or fails
# on a figure, and `make check` runs none of it. A bench target fails only
# when a benchmark could not run (a missing tool, a launch refused, a page
# that does not answer).
#
#   make bench              (as root) every benchmark below, then the chart;
#                           results in build/bench/results/ (summary.txt)
#   make bench-launch       1: launch cost, fcgi-suexec (a site's later launch,
#                           and its first: world made) vs Apache's suexec vs
#                           direct exec vs a one-line exec wrapper; the first
#                           request to a cold site, through the launcher vs
#                           php-cgi started directly
#   make bench-throughput   2: wrk -> nginx -> PHP: confined php-cgi vs plain
#                           php-cgi (spawn-fcgi) vs a php-fpm static pool
#   make bench-memory       3: the launcher's peak RSS; a worker tree's PSS
#                           under fcgi-suexec vs started directly
#   make bench-scale        4: 200 sites (users fsxb001..): all started vs
#                           started on demand
#   make bench-neighbour    5: a noisy neighbour: a site's latency and errors
#                           while another floods, hogs memory and spins, with
#                           the default limits, with none, against a quiet host
#   make bench-maxrequests  6: requests/s through nginx -> the launcher ->
#                           php-cgi for PHP_FCGI_MAX_REQUESTS 0, 100, 500, 1000,
#                           10000 side by side: ratios to 0, CPU per request
#   make bench-fpm          7: -w fpm (php-fpm through the launcher) vs a stock
#                           php-fpm (root master, same pm values) vs php-cgi
#                           through the launcher: requests/s (wrk -> nginx),
#                           Pss of 200 idle sites, first request to a cold site
#   make bench-profile      where a launch's time goes: strace -c of one
#                           launch, the launcher's steps one at a time
#                           (bench/steps.c) timed against the bare setuid drop,
#                           and the world's parts (bench/worldparts.c)
#   make bench-chart        docs-ready PNG of the last results (gnuplot)
#   make bench-cleanup      remove whatever an interrupted run left (users,
#                           /var/lib/fsx-bench, /var/www/fsxb*, processes)
#
# Knobs (environment or make command line): BENCH_LAUNCHES (1000),
# BENCH_ROUNDS (10), BENCH_HYPERFINE_RUNS (300, 0: skip), BENCH_WORKERS (4),
# BENCH_CONNS (8), BENCH_SECONDS (5), BENCH_REPEATS (3), BENCH_SITES (200),
# BENCH_SCALE_LAUNCHES (4000), BENCH_PROFILE_LAUNCHES (5000),
# BENCH_COLD_RUNS (30, 0: skip), BENCH_WORLD_LAUNCHES (500),
# BENCH_ARGV_DROP (throughput: -d settings left out of the reference
# variant, e.g. open_basedir), BENCH_NEIGHBOUR_SECONDS (20),
# BENCH_NEIGHBOUR_RATE (20 requests/s), BENCH_NEIGHBOUR_SPIN (4 per core),
# BENCH_NEIGHBOUR_FLOOD (300), BENCH_MAXREQ_VALUES ("0 100 500 1000 10000"),
# BENCH_MAXREQ_ROUNDS (5), BENCH_FPM_SITES (BENCH_SITES), BENCH_FPM_MEM_ROUNDS
# (3), BENCH_FPM_PM (throughput: the site's pm, default the build's),
# BENCH_FPM_PARTS ("throughput memory cold"), BENCH_OUT (results directory).
#
# Two builds of the launcher, with the policy the benchmarks need: build/bench
# executes a trivial static program as its "interpreter" (the launch cost
# alone), build/bench-php the real php-cgi (and, -p 8.2 -w fpm, php-fpm8.2 with
# etc/php-fpm.conf installed root's under BENCH_ROOT). Both are installed setuid
# (root:www-data 4750) under BENCH_ROOT by the scripts and removed after.
# Needs (Debian): hyperfine wrk php8.2-fpm gnuplot-nox nginx-light spawn-fcgi
# apache2-suexec-pristine php8.2-cgi (setup.sh installs them).

BENCH_ROOT    = /var/lib/fsx-bench
BENCH_TOOLS   = build/bench/tools
BENCH_POLICY  = HTTPD_USER=www-data DOCROOT=/var/www TMP_BASE=$(BENCH_ROOT)/tmp \
                AUDIT_HELPER=$(BENCH_ROOT)/libexec/fcgi-suexec-audit LIMITS_DIR=$(BENCH_ROOT)/etc/limits
BENCH_CFLAGS  = -std=gnu11 -O2 -g $(WARN)
BENCH_STATIC  = $(BENCH_TOOLS)/true $(BENCH_TOOLS)/execwrap $(BENCH_TOOLS)/sockexec \
                $(BENCH_TOOLS)/peakrss
BENCH_DYN     = $(BENCH_TOOLS)/launchloop $(BENCH_TOOLS)/fcgiget $(BENCH_TOOLS)/sitestart \
                $(BENCH_TOOLS)/activator $(BENCH_TOOLS)/coldstart $(BENCH_TOOLS)/worldparts
# BENCH_BASELINE_REV=REV: bench-launch also times the launcher of git
# revision REV (variant f: built from `git archive REV` with the same policy)
# in the same alternating rounds, and prints a/f: a change's launch cost as
# one ratio measured side by side.
BENCH_BASELINE_REV =
BENCH_BASELINE = $(if $(BENCH_BASELINE_REV),$(CURDIR)/build/bench-base/fcgi-suexec)
BENCH_RUN     = BENCH_ROOT=$(BENCH_ROOT) BENCH_BASELINE=$(BENCH_BASELINE) bench/run.sh

bench-build: $(BENCH_STATIC) $(BENCH_DYN)
	@$(MAKE) --no-print-directory BUILDDIR=build/bench $(BENCH_POLICY) \
	  PHP_CGI=$(BENCH_ROOT)/bin/true PHP_INI=$(BENCH_ROOT)/etc/php.ini all build/bench/bench-steps
	@$(MAKE) --no-print-directory BUILDDIR=build/bench-php $(BENCH_POLICY) \
	  PHP_CGI=/usr/bin/php-cgi PHP_INI=/etc/php/8.2/cgi/php.ini \
	  PHP_FPM=/usr/sbin/php-fpm PHP_FPM_CONF=$(BENCH_ROOT)/etc/php-fpm.conf
	@if [ -n "$(BENCH_BASELINE_REV)" ]; then \
	  rm -rf build/bench-base && mkdir -p build/bench-base && \
	  git archive "$(BENCH_BASELINE_REV)" | tar -x -C build/bench-base && \
	  $(MAKE) --no-print-directory -C build/bench-base $(BENCH_POLICY) \
	    PHP_CGI=$(BENCH_ROOT)/bin/true PHP_INI=$(BENCH_ROOT)/etc/php.ini fcgi-suexec; fi

$(BENCH_TOOLS)/true: bench/true.c
	@mkdir -p $(BENCH_TOOLS)
	$(CC) $(BENCH_CFLAGS) -static -o $@ $<

$(BENCH_TOOLS)/execwrap: bench/execwrap.c mk/bench.mk
	@mkdir -p $(BENCH_TOOLS)
	$(CC) $(BENCH_CFLAGS) -static -DTARGET='"$(BENCH_ROOT)/bin/true"' -o $@ $<

$(BENCH_TOOLS)/sockexec $(BENCH_TOOLS)/peakrss: $(BENCH_TOOLS)/%: bench/%.c
	@mkdir -p $(BENCH_TOOLS)
	$(CC) $(BENCH_CFLAGS) -static -o $@ $<

$(BENCH_DYN): $(BENCH_TOOLS)/%: bench/%.c bench/fcgi.h bench/worlds.h
	@mkdir -p $(BENCH_TOOLS)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

# bench/steps.c (bench/profile.sh), built as the launcher is: in the
# sub-make of build/bench, with its flags, config.h, sandbox.o and libraries.
$(BUILDDIR)/bench-steps: bench/steps.c $(OBJDIR)/sandbox.o $(OBJDIR)/config.h
	$(CC) $(ALL_CFLAGS) -I. -DSITE_DIR='"/var/www/fsxbench"' -DTARGET='"$(PHP_CGI)"' \
	  $(ALL_LDFLAGS) -o $@ bench/steps.c $(OBJDIR)/sandbox.o $(LIBS)

bench: bench-build
	@$(BENCH_RUN) all

bench-launch bench-throughput bench-memory bench-scale bench-neighbour bench-maxrequests bench-fpm bench-profile: bench-%: bench-build
	@$(BENCH_RUN) $*

bench-chart:
	@$(BENCH_RUN) chart

bench-cleanup:
	@$(BENCH_RUN) cleanup

.PHONY: bench bench-build bench-launch bench-throughput bench-memory bench-scale bench-neighbour bench-maxrequests bench-fpm \
        bench-profile bench-chart bench-cleanup
