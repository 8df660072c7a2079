#!/bin/bash
# The race harness, short (make check-race runs it long): launches as fsxweb
# while fsxalice and fsxbob swap their docroots, an ancestor, an Apache-mode
# command and the caller's cwd under the launcher (tests/race/race.sh says
# what and how). Nothing may ever run as the wrong user, in a directory or
# from a file that was not validated; both allowed and refused launches must
# occur. First the harness itself is shown to see escapes: its classifier on
# a probe run without the launcher, and the race on a launcher built with two
# deliberate holes (chdir by path after the check, exec of the Apache-mode
# command by name).
#   RACE_LAUNCHES (default 3000), RACE_SECONDS (default 300)
. "$(dirname "$0")/lib.sh"

R=$REPO/tests/race
N=${RACE_LAUNCHES:-3000}
nl=$'\n'
work=$(mktemp -d /tmp/fsx-race-t.XXXXXX)
MUT=$TESTROOT/sbin/fcgi-suexec-racemut
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() { rm -rf "$work" "$MUT" "$MUT.new"; }
trap cleanup EXIT

if ! [ -x "$R/driver" ] || ! [ -x "$R/swapper" ] || ! [ -x "$R/raceprobe-root" ]; then
    make -s -C "$REPO" race-helpers >/dev/null || bail "cannot build tests/race helpers (make race-helpers)"
fi

# summary TEXT: the driver's count line; field_of NAME LINE: the number after NAME=
summary() { grep -m1 '^launches=' <<<"$1"; }
field_of() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" <<<"$2"; }

# --- the classifier sees what it must -------------------------------------
ua=$(id -u fsxalice) ga=$(id -g fsxalice)
echo "x 1 any - $ua $ga root $(stat -c %d:%i "$DOCROOT/alice") -" >"$work/self"
out=$("$R/driver" --bin "$R/raceprobe-root" --launches 20 --jobs 2 "$work/self" 2>/dev/null)
like "$(summary "$out")" "^launches=20 allowed=0 refused=0 escapes=20 " \
    "classifier: the right probe run as root in / (not through the launcher) is an escape"
echo "x 1 any - $ua $ga root $(stat -c %d:%i "$DOCROOT/alice") -un" >"$work/id"
out=$("$R/driver" --bin /usr/bin/id --caller fsxweb --launches 5 --jobs 1 "$work/id" 2>/dev/null)
like "$(summary "$out")" "^launches=5 allowed=0 refused=0 escapes=5 " "classifier: /usr/bin/id's output is an escape"
echo "x 1 any - $ua $ga root $(stat -c %d:%i "$DOCROOT/alice") -p 9.9 fsxalice fsxalice $DOCROOT/alice" >"$work/self"
out=$("$R/driver" --bin "$BIN" --caller fsxweb --launches 5 --jobs 1 "$work/self" 2>/dev/null)
like "$(summary "$out")" "^launches=5 allowed=0 refused=5 escapes=0 other=0 " "classifier: a refusal is a refusal"

# --- the race finds holes: a launcher built with two ----------------------
M=$work/mut
mkdir -p "$M" && cp -r "$REPO"/{fcgi-suexec.c,policy.c,policy.h,sandbox.c,sandbox.h,world.c,world.h,Makefile,mkconfig.sh,tools} "$M/"
sed -i 's/if (fchdir(dir_fd) != 0)/if (chdir(req.docroot) != 0)/' "$M/fcgi-suexec.c"
perl -0pi -e 's/\texecveat\(sp.interp, "", nargv, env, AT_EMPTY_PATH\);\n/\tif (req.cmd != NULL)\n\t\texecve(req.cmd, nargv, env);\n\telse\n\t\texecveat(sp.interp, "", nargv, env, AT_EMPTY_PATH);\n/' "$M/fcgi-suexec.c"
is "$(diff "$REPO/fcgi-suexec.c" "$M/fcgi-suexec.c" | grep -c '^>')" 5 \
    "mutant: both holes applied (chdir by path; execve of COMMAND by name) - update this test if main() changed"
make -s -C "$M" BUILDDIR="$M/b" HTTPD_USER=fsxweb DOCROOT="$DOCROOT" PHP_CGI="$TESTROOT/bin/php-cgi" \
    PHP_INI="$PHP_INI" PHP_INI_VERSIONED="$TESTROOT/etc/VERSION/php.ini" SITE_GROUPS=fsxsiteg \
    TMP_BASE="$TESTROOT/tmp" AUDIT_HELPER="$TESTROOT/libexec/fcgi-suexec-audit" "$M/b/fcgi-suexec" >"$work/mut.log" 2>&1
ok "mutant: builds" test -x "$M/b/fcgi-suexec" || diag "$(tail -n 20 "$work/mut.log")"
install -o root -g fsxweb -m 0750 "$M/b/fcgi-suexec" "$MUT.new" && chmod 4750 "$MUT.new" && mv -f "$MUT.new" "$MUT"
diag "mutant run: this launcher has the two holes on purpose, so escapes are EXPECTED below; the test passes when the race finds at least one"
out=$(RACE_EXPECT=escapes RACE_BIN=$MUT RACE_LAUNCHES=2000 RACE_SECONDS=${RACE_SECONDS:-300} "$R/race.sh" 2>&1)
rm -f "$MUT"
diag "$(grep -E '^(scenario|launches=|race:|counters:)' <<<"$out")
the first escapes, as examples:
$(grep -E -m 3 '^launch [0-9]+ ' <<<"$out")"
s=$(summary "$out")
like "$(field_of escapes "$s")" '^[1-9][0-9]*$' "mutant: the race makes the broken launcher run something it must not (escapes > 0)"

# --- the real launcher ----------------------------------------------------
start=$(date +%s)
out=$(RACE_LAUNCHES=$N RACE_SECONDS=${RACE_SECONDS:-300} "$R/race.sh" 2>&1)
rc=$?
diag "$out"
diag "race: $N launches in $(($(date +%s) - start)) s"
s=$(summary "$out")
is "$rc" 0 "race: the harness passes"
like "$s" "^launches=[0-9]+ " "race: the driver printed its counts"
ok "race: at least $N launches" test "$(field_of launches "$s")" -ge "$N"
is "$(field_of escapes "$s")" 0 "race: no escape (nothing ran as the wrong user, in the wrong directory, or the wrong file)"
is "$(field_of other "$s")" 0 "race: no anomaly (crash, timeout, odd exit)"
like "$(field_of allowed "$s")" '^[1-9][0-9]*$' "race: some launches were allowed"
like "$(field_of refused "$s")" '^[1-9][0-9]*$' "race: some launches were refused"
unlike "$out" "REQUIREMENT NOT MET" "race: every scenario as required (both ways where raced; never allowed in bob's tree for alice)"
like "$out" "leaks: fds=0 children=0" "race: no descriptor or child left in the callers"
unlike "$out" "swapper [a-z0-9-]+: uid=[0-9]+ ops=0 " "race: every attacker ran"
unlike "$out" "failed=[1-9]" "race: no rename of an attacker failed (each swapped what it meant to)"
like "$out" "(^|$nl)launches=[0-9]+ allowed=[0-9]+ refused=[0-9]+ escapes=0 " "race: the final count line"

done_testing
