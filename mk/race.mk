# Race harness, load/fault and hardening tests (included by the Makefile).
#
#   make race-helpers   tests/race/driver, swapper and the raceprobe copies
#                       (also built by `make helpers`, hence by `make check`)
#   make check-race     the race harness, long: RACE_LAUNCHES launches
#                       (default 100000) within RACE_SECONDS (default 3600),
#                       RACE_JOBS concurrent callers (default 2). As root. It
#                       sets the fixture up (tests/fixture.sh up) and leaves it
#                       up: the fixture is shared; `make check` takes it down.
# tests/55-race.t runs the same harness briefly in `make check`
# (RACE_LAUNCHES from the environment or the make command line, else 3000).

RACE_DIR     = tests/race
RACE_PROBES  = $(RACE_DIR)/raceprobe-root $(RACE_DIR)/raceprobe-alice \
               $(RACE_DIR)/raceprobe-bob $(RACE_DIR)/raceprobe-evil
RACE_HELPERS = $(RACE_DIR)/driver $(RACE_DIR)/swapper $(RACE_PROBES)

race-helpers: $(RACE_HELPERS)

$(RACE_DIR)/driver $(RACE_DIR)/swapper: %: %.c
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

# One copy per tag, linked statically: the copies alice and bob own run
# under Landlock from their own directories, and start fast.
$(RACE_DIR)/raceprobe-%: $(RACE_DIR)/raceprobe.c
	$(CC) $(CFLAGS) $(WARN) -static -DTAG='"$*"' -o $@ $<

helpers: race-helpers

check-race: all helpers
	@tests/fixture.sh up
	@RACE_LAUNCHES=$(or $(RACE_LAUNCHES),100000) RACE_SECONDS=$(or $(RACE_SECONDS),3600) \
	  RACE_JOBS=$(or $(RACE_JOBS),2) $(RACE_DIR)/race.sh

clean: race-clean
race-clean:
	rm -f $(RACE_HELPERS)

.PHONY: race-helpers check-race race-clean
