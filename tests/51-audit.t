#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2016 # single-quoted code is run by bash -c and perl
# fcgi-suexec --audit [--json]: every site under DOCROOT and every userdir,
# with the launcher's own verdict (it asks --check), and what inside each site
# is group- or world-writable, setuid or setgid. Run as root it sees all; run
# as fsxweb it shows no more than fsxweb sees with ls -l.
#
# The sites of this test are made here (audit-* in DOCROOT) and removed at the
# end; other tests may add and remove sites meanwhile, so only these rows are
# looked at. JSON lines are checked with perl's JSON::PP (core perl; setup.sh
# installs perl).
#
# The launcher's notes: run by anyone but root, --check cannot read
# /etc/shadow and passes the account check with "unknown: ..."; the audit
# shows that note (and the group note naming the groups a worker drops), so a
# plain user's "allowed" for an expired account (fsxexp, the fixture's,
# chage -E 0) says it is unsure; run as root the audit refuses it (103).
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
AUDIT_BIN=$TESTROOT/libexec/fcgi-suexec-audit
G=$DOCROOT/audit-good
# A hostile name: quote, backslash, newline, tab, a byte that is not UTF-8
# (0xff) and a valid UTF-8 e-acute.
ODD=$DOCROOT/$'audit-odd"q\\b\nt\t\xff\xc3\xa9'
E=$DOCROOT/exp # the fixture's site of fsxexp, an expired account
# alice's groups the worker drops, in /etc/group's order: all that list her but
# SITE_GROUPS (fsxsiteg), as in 52-syslog.t
ADROP=$(getent group | awk -F: -v u=$A '$1 != "fsxsiteg" && ("," $4 ",") ~ ("," u ",") { print $1 }' | paste -sd, -)
# every allowed site's limits note: the build's (the fixture's are the defaults)
LIM="nproc=64 data=256M nofile=1024 fsize=1G nice=5 oom_score_adj=1000"
UNKNOWN='unknown: only root can read /etc/shadow'
FAKE= # a directory for a stand-in launcher, made below
SITES=(audit-good audit-ww audit-root audit-link audit-private audit-deep audit-many audit-big)

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    local s
    for s in "${SITES[@]}"; do rm -rf "${DOCROOT:?}/$s"; done
    rm -rf "$ODD" "$FAKE"
}
trap cleanup EXIT
cleanup
FAKE=$(mktemp -d) || bail "mktemp failed"

# mk d|f PATH OWNER MODE (chown before chmod: chown clears setuid bits)
mk() {
    if [ "$1" = d ]; then mkdir "$2"; else printf 'x\n' >"$2"; fi
    chown "$3" "$2" && chmod "$4" "$2"
}

mk d "$G" $A:$A 0755
mk f "$G/index.php" $A:$A 0644
mk f "$G/ww.txt" $A:$A 0666
mk f "$G/gw.txt" $A:$A 0664
mk f "$G/suid.bin" $A:$A 4755
mk f "$G/sgid.bin" $A:$A 2755
mk d "$G/sub" $A:$A 0755
mk f "$G/sub/deep.txt" $A:$A 0606
mk d "$G/wwdir" $A:$A 0777
mk f "$G/wwdir/plain.txt" $A:$A 0644
ln -s /tmp "$G/lnkdir"               # 1777 and full of things: must not be followed
ln -s /etc/passwd "$G/lnkfile"
chown -h $A:$A "$G/lnkdir" "$G/lnkfile"
mk d "$DOCROOT/audit-ww" $A:$A 0777
mk d "$DOCROOT/audit-root" root:root 0755
ln -s audit-good "$DOCROOT/audit-link"
mk d "$DOCROOT/audit-private" $A:$A 0700
mk f "$DOCROOT/audit-private/secret.txt" $A:$A 0666
mk d "$DOCROOT/audit-deep" $A:$A 0755
d=$DOCROOT/audit-deep
for i in 1 2 3 4 5 6 7 8 9 10; do d=$d/d$i; mk d "$d" $A:$A 0755; done
mk f "$DOCROOT/audit-deep/d1/d2/d3/d4/d5/d6/d7/d8/shallow.txt" $A:$A 0666  # listed (in a depth-8 dir)
mk f "$d/toodeep.txt" $A:$A 0666                                         # in d10: not read
mk d "$DOCROOT/audit-many" $A:$A 0755
for i in $(seq 150); do mk f "$DOCROOT/audit-many/f$i" $A:$A 0666; done
mk d "$DOCROOT/audit-big" $A:$A 0755      # more entries than a walk looks at
(cd "$DOCROOT/audit-big" && seq -f 'e%g' 10050 | xargs touch && chown $A:$A -- e*)
mk d "$ODD" $A:$A 0755

# audit AS [--json]: $BIN --audit as AS; sets $out, $err, $rc
audit() { local as=$1; shift; run_as "$as" "$BIN" --audit "$@"; }

# JSON lines -> one "path|kind|type|owner|group|mode|verdict|exit|check|truncated"
# line per site, then "  #check|note" per note of the launcher, then
# "  path|mode|issue" per problem; bytes outside printable ASCII (and
# backslash) as \x{..} of the code point. A line that is not a JSON object
# with every field of the right type, "notes" last, prints "BAD n: why"; exit 1
# then.
# shellcheck disable=SC2016 # perl code
JSONCHECK='
use strict; use warnings; use JSON::PP;
my $j = JSON::PP->new->utf8;
my ($n, $bad) = (0, 0);
sub e { my $s = shift; return "null" unless defined $s;
        $s =~ s/([^\x20-\x5b\x5d-\x7e])/sprintf("\\x{%x}", ord $1)/ge; $s }
sub isstr { defined $_[0] && !ref $_[0] }
while (my $l = <STDIN>) {
    chomp $l; $n++;
    my $o = eval { $j->decode($l) };
    my $why = !defined $o ? "not JSON: $@" : ref $o ne "HASH" ? "not an object" : "";
    if (!$why) {
        for my $k (qw(path kind type owner group mode verdict)) {
            $why ||= "$k is not a string" unless isstr($o->{$k});
        }
        $why ||= "bad verdict" unless ($o->{verdict} // "") =~ /^(allowed|refused|unknown)$/;
        $why ||= "bad exit" unless !defined $o->{exit} || $o->{exit} =~ /^\d+$/;
        for my $k (qw(check reason)) {
            $why ||= "$k missing" unless exists $o->{$k};
        }
        $why ||= "problems not an array" unless ref $o->{problems} eq "ARRAY";
        $why ||= "truncated not a boolean" unless JSON::PP::is_bool($o->{truncated});
        $why ||= "notes not an array" unless ref $o->{notes} eq "ARRAY";
        for my $t (@{ref $o->{notes} eq "ARRAY" ? $o->{notes} : []}) {
            $why ||= "a note is not {check,note}" unless ref $t eq "HASH" &&
                join(",", sort keys %$t) eq "check,note" && isstr($t->{check}) && isstr($t->{note});
        }
        # the fields before it kept in place, "notes" added last
        my $S = qr/"(?:[^"\\]|\\.)*"/;
        my $N = qr/\{"check":$S,"note":$S\}/;
        $why ||= "notes not last after truncated" unless
            $l =~ /,"problems":\[.*\],"truncated":(?:true|false)(?:,"truncated_reason":$S)?,"notes":\[(?:$N(?:,$N)*)?\]\}$/;
    }
    if ($why) { print "BAD $n: $why\n"; $bad++; next; }
    print join("|", map { e($o->{$_}) } qw(path kind type owner group mode verdict exit check)),
          "|", ($o->{truncated} ? "true" : "false"), "\n";
    print "  #", e($_->{check}), "|", e($_->{note}), "\n" for @{$o->{notes}};
    for my $p (@{$o->{problems}}) {
        print "  ", join("|", map { e($p->{$_}) } qw(path mode issue)), "\n";
    }
}
exit($bad ? 1 : 0);
'
jsoncheck() { perl -e "$JSONCHECK"; }

# site_line PATH: the summary line of the site PATH in $sum; problems PATH:
# its problem lines (up to the next site); notes PATH: its note lines. PATH is
# passed in the environment: awk -v would interpret its backslashes.
site_line() { P="$1|" awk 'index($0, ENVIRON["P"]) == 1 { print; exit }' <<<"$sum"; }
problems() {
    P="$1|" awk 'index($0, ENVIRON["P"]) == 1 { on = 1; next } /^[^ ]/ { on = 0 } on && !/^  #/ { print }' <<<"$sum"
}
notes() {
    P="$1|" awk 'index($0, ENVIRON["P"]) == 1 { on = 1; next } /^[^ ]/ { on = 0 } on && /^  #/ { print }' <<<"$sum"
}
# text_site PATH: the text output's line of the site PATH ("PATH OWNER ...")
# and its note lines ("  note ...") from $out
text_site() {
    P="$1 " awk 'index($0, ENVIRON["P"]) == 1 { on = 1; print; next } on && /^  note / { print; next } { on = 0 }' <<<"$out"
}
# json_reason PATH: the reason of the site PATH in $out (JSON lines)
json_reason() {
    P=$1 perl -MJSON::PP -ne 'my $o = JSON::PP->new->utf8->decode($_);
        print $o->{reason} // "null" if $o->{path} eq $ENV{P}' <<<"$out"
}
# exp_day: the day fsxexp's account expired (chage -E), as the launcher writes it
exp_day() {
    local d
    d=$(getent shadow fsxexp | cut -d: -f8)
    date -u -d "@$(( ${d:-0} * 86400 ))" +%F
}

# --- as root: text ----------------------------------------------------------
audit root
is "$rc" 0 "root: --audit exits 0"
is "$err" "" "root: nothing on stderr"
like "$out" "(^|$nl)$G fsxalice fsxalice 0755 allowed($nl|\$)" "text: audit-good allowed"
like "$out" "(^|$nl)$DOCROOT/audit-ww fsxalice fsxalice 0777 refused docroot: [^$nl]*not writable by group or others" \
    "text: audit-ww refused by the docroot check"
like "$out" "(^|$nl)$DOCROOT/audit-root root root 0755 refused user: root has uid 0[^$nl]*" \
    "text: audit-root refused by the user check"
like "$out" "(^|$nl)$DOCROOT/audit-link root root 0777 refused docroot: [^$nl]*symbolic link to audit-good" \
    "text: audit-link listed as a symlink, refused"
like "$out" "(^|$nl)  $G/ww.txt 0666 world-writable($nl|\$)" "text: world-writable file under audit-good"
like "$out" "(^|$nl)  $G/gw.txt 0664 group-writable($nl|\$)" "text: group-writable file"
like "$out" "(^|$nl)  $G/suid.bin 4755 setuid($nl|\$)" "text: setuid file"
like "$out" "(^|$nl)  $G/sgid.bin 2755 setgid($nl|\$)" "text: setgid file"
like "$out" "(^|$nl)  $G/sub/deep.txt 0606 world-writable($nl|\$)" "text: a problem one directory down"
like "$out" "(^|$nl)  $G/wwdir 0777 world-writable($nl|\$)" "text: world-writable directory"
unlike "$out" "index\\.php|plain\\.txt" "text: files without a problem are not listed"
unlike "$out" "lnkdir|lnkfile|$nl  /tmp" "text: symlinks inside a site are not followed nor listed"
like "$out" "(^|$nl)$TESTROOT/home/fsxalice/public_html fsxalice fsxalice 0755 allowed($nl|\$)" \
    "text: alice's userdir listed, allowed"
oddrows=$(grep -c "^$DOCROOT/audit-odd" <<<"$out")
is "$oddrows" 1 "text: the hostile name is one line"
like "$out" "(^|$nl)$DOCROOT/audit-odd\"q\\\\134b\\\\012t\\\\011\\\\377é fsxalice fsxalice 0755 refused usage: " \
    "text: the hostile name escaped (\\134 \\012 \\011 \\377), UTF-8 kept; refused by usage"
is "$(grep -c "^  $DOCROOT/audit-many/" <<<"$out")" 100 "text: at most 100 problems per site"
like "$out" "(^|$nl)  \\.\\.\\. truncated: more than 100 problems" "text: says it truncated"
# root reads /etc/shadow: the expired account refused, the launcher's reason;
# no "unknown" note on any site
day=$(exp_day)
is "$(text_site "$E")" "$E fsxexp fsxexp 0755 refused account: the account of fsxexp expired on $day (chage -E)" \
    "text: root: fsxexp's site (expired account) refused by the account check, no note"
is "$(text_site "$G")" "$G fsxalice fsxalice 0755 allowed$nl  note group: dropped $ADROP$nl  note limits: $LIM" \
    "text: root: audit-good notes the groups dropped ($ADROP) and its limits, no account note"
unlike "$out" "note account" "text: root: no site's account is unknown"

# --- as root: JSON lines -------------------------------------------------------
audit root --json
is "$rc" 0 "root --json: exits 0"
sum=$(jsoncheck <<<"$out")
is "$?" 0 "root --json: every line is a JSON object with every field${nl}$(grep '^BAD' <<<"$sum")"
is "$(wc -l <<<"$out")" "$(grep -c '^[^ ]' <<<"$sum")" "root --json: one object per line"
is "$(site_line "$G")" "$G|docroot|directory|fsxalice|fsxalice|0755|allowed|0|null|false" \
    "json: audit-good allowed, exit 0"
is "$(problems "$G" | sort)" "$(printf '  %s\n' "$G/gw.txt|0664|group-writable" "$G/sgid.bin|2755|setgid" \
    "$G/sub/deep.txt|0606|world-writable" "$G/suid.bin|4755|setuid" "$G/ww.txt|0666|world-writable" \
    "$G/wwdir|0777|world-writable" | sort)" "json: audit-good problems, exactly"
is "$(site_line "$DOCROOT/audit-ww")" "$DOCROOT/audit-ww|docroot|directory|fsxalice|fsxalice|0777|refused|105|docroot|false" \
    "json: audit-ww refused, 105, docroot"
is "$(site_line "$DOCROOT/audit-root")" "$DOCROOT/audit-root|docroot|directory|root|root|0755|refused|103|user|false" \
    "json: audit-root refused, 103, user"
is "$(site_line "$DOCROOT/audit-link")" "$DOCROOT/audit-link|docroot|symlink|root|root|0777|refused|105|docroot|false" \
    "json: audit-link a symlink, refused, 105"
is "$(problems "$DOCROOT/audit-link")" "" "json: the symlink is not walked"
is "$(site_line "$DOCROOT/audit-private")" "$DOCROOT/audit-private|docroot|directory|fsxalice|fsxalice|0700|allowed|0|null|false" \
    "json: audit-private allowed"
is "$(problems "$DOCROOT/audit-private")" "  $DOCROOT/audit-private/secret.txt|0666|world-writable" \
    "json: root sees inside audit-private"
is "$(site_line "$DOCROOT/audit-deep")" "$DOCROOT/audit-deep|docroot|directory|fsxalice|fsxalice|0755|allowed|0|null|true" \
    "json: audit-deep truncated"
like "$out" "\"path\":\"$DOCROOT/audit-deep\"[^$nl]*\"truncated_reason\":\"directories more than 8 levels deep not read\"" \
    "json: audit-deep says why"
is "$(problems "$DOCROOT/audit-deep")" "  $DOCROOT/audit-deep/d1/d2/d3/d4/d5/d6/d7/d8/shallow.txt|0666|world-writable" \
    "json: depth 8 read, deeper not"
is "$(problems "$DOCROOT/audit-many" | wc -l)" 100 "json: audit-many: 100 problems"
like "$(site_line "$DOCROOT/audit-many")" "\\|true\$" "json: audit-many truncated"
is "$(site_line "$DOCROOT/audit-big")" "$DOCROOT/audit-big|docroot|directory|fsxalice|fsxalice|0755|allowed|0|null|true" \
    "json: audit-big (10050 entries) truncated"
like "$out" "\"path\":\"$DOCROOT/audit-big\"[^$nl]*\"truncated_reason\":\"more than 10000 entries\"" \
    "json: audit-big says why"
odd_json='audit-odd"q\x{5c}b\x{a}t\x{9}\x{ff}\x{e9}'
is "$(site_line "$DOCROOT/$odd_json")" "$DOCROOT/$odd_json|docroot|directory|fsxalice|fsxalice|0755|refused|100|usage|false" \
    "json: the hostile name decodes (0xff as U+00FF, UTF-8 kept); refused by usage, 100"
like "$out" '"path":"[^"]*/audit-odd\\"q\\\\b\\nt\\t\\u00ffé"' "json: its escapes as written"
is "$(site_line "$TESTROOT/home/fsxalice/public_html")" \
    "$TESTROOT/home/fsxalice/public_html|userdir|directory|fsxalice|fsxalice|0755|allowed|0|null|false" \
    "json: alice's userdir"
is "$(site_line "$E")" "$E|docroot|directory|fsxexp|fsxexp|0755|refused|103|account|false" \
    "json: root: fsxexp's site refused, 103, account"
is "$(json_reason "$E")" "the account of fsxexp expired on $day (chage -E)" "json: root: the launcher's reason, exactly"
is "$(notes "$E")" "" "json: root: no notes on the refused expired site"
is "$(notes "$G")" "  #group|dropped $ADROP$nl  #limits|$LIM" \
    "json: root: audit-good: the group note, naming the groups dropped, and the limits"
like "$out" "\"notes\":\\[\\]}" "json: notes present, empty, where the launcher noted nothing"

# Root's own limits for a site show in that site's note, marked "(site)".
install -d -m 0755 "$TESTROOT/etc/limits/fsxalice"
echo 200 >"$TESTROOT/etc/limits/fsxalice/nproc"
audit root --json
rm -rf "$TESTROOT/etc/limits"
sum=$(jsoncheck <<<"$out")
is "$(notes "$G")" "  #group|dropped $ADROP$nl  #limits|${LIM/nproc=64/nproc=200(site)}" \
    "json: root: alice's own nproc (200) in her site's limits note, marked (site)"
audit root --json
sum=$(jsoncheck <<<"$out")

# The verdicts are the launcher's: --check on the same site agrees.
for s in audit-good audit-ww audit-root audit-private; do
    uid=$(stat -c %u "$DOCROOT/$s")
    gid=$(id -g "$(id -nu "$uid")")
    c=$(timeout 10 "$FDSOCK" --env-clear abstract "t51.$$" -- "$BIN" --check "$uid" "$gid" "$DOCROOT/$s" </dev/null)
    crc=$?
    fail=$(sed -n 's/^\([a-z]*\): fail: .*/\1/p' <<<"$c")
    like "$(site_line "$DOCROOT/$s")" "\\|$crc\\|${fail:-null}\\|(true|false)\$" "json: $s: exit $crc, check ${fail:-none}, as --check says"
done

# --- as fsxweb: no more than ls -l shows it -------------------------------------
audit fsxweb --json
is "$rc" 0 "fsxweb --json: exits 0"
sum=$(jsoncheck <<<"$out")
is "$?" 0 "fsxweb --json: every line parses${nl}$(grep '^BAD' <<<"$sum")"
is "$(site_line "$DOCROOT/audit-private")" "$DOCROOT/audit-private|docroot|directory|fsxalice|fsxalice|0700|allowed|0|null|false" \
    "fsxweb: audit-private listed, allowed"
is "$(problems "$DOCROOT/audit-private")" "  $DOCROOT/audit-private|0700|unreadable" \
    "fsxweb: audit-private shows as unreadable"
unlike "$out" "secret\\.txt" "fsxweb: nothing inside audit-private named"
ok "fsxweb: ls -l cannot list audit-private either" \
    bash -c '! setpriv --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- ls -l "$1" >/dev/null 2>&1' _ "$DOCROOT/audit-private"
is "$(problems "$G" | sort)" "$(printf '  %s\n' "$G/gw.txt|0664|group-writable" "$G/sgid.bin|2755|setgid" \
    "$G/sub/deep.txt|0606|world-writable" "$G/suid.bin|4755|setuid" "$G/ww.txt|0666|world-writable" \
    "$G/wwdir|0777|world-writable" | sort)" "fsxweb: audit-good, readable, shows the same problems"
# Every path fsxweb's audit shows with a mode, fsxweb can stat (ls -l) with that mode.
seen=0 differ=
while IFS='|' read -r p m _; do
    p=${p#  }
    [ "$m" = null ] && continue
    [[ $p == *'\x{'* ]] && continue # the hostile name: checked as root above
    seen=$((seen + 1))
    got=$(setpriv --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- stat -c %04a "$p" 2>&1) ||
        differ+="$p: $got$nl"
    [ "$got" = "$m" ] || differ+="$p: audit $m, stat $got$nl"
done < <(grep -E "^  $DOCROOT/audit-" <<<"$sum")
is "$differ" "" "fsxweb: each of the $seen problems shown, fsxweb's ls -l shows with the same mode"
unlike "$(grep -E "^$TESTROOT/home/" <<<"$sum")" "\\|directory\\|.*\\|(refused|unknown)\\|" \
    "fsxweb: the userdirs (0755 homes) get the same verdicts"
# fsxweb cannot read /etc/shadow: the expired account looks allowed, and the
# audit says why that is not known (root refused it above)
is "$(site_line "$E")" "$E|docroot|directory|fsxexp|fsxexp|0755|allowed|0|null|false" \
    "fsxweb: fsxexp's site allowed: the account check cannot tell"
is "$(notes "$E")" "  #account|$UNKNOWN$nl  #limits|$LIM" \
    "fsxweb: ... with the account note 'unknown', no group note (none dropped), the limits"
is "$(notes "$G")" "  #account|$UNKNOWN$nl  #group|dropped $ADROP$nl  #limits|$LIM" \
    "fsxweb: audit-good: the account note, the groups dropped, the limits; no other note"
ok "fsxweb cannot read /etc/shadow indeed (root can: it refused the site above)" \
    bash -c '! setpriv --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- head -c1 /etc/shadow >/dev/null 2>&1'
audit fsxweb
is "$rc" 0 "fsxweb text: exits 0"
is "$(text_site "$E")" "$E fsxexp fsxexp 0755 allowed$nl  note account: $UNKNOWN$nl  note limits: $LIM" \
    "fsxweb text: fsxexp's site allowed, with the account note"
is "$(text_site "$G")" "$G fsxalice fsxalice 0755 allowed$nl  note account: $UNKNOWN$nl  note group: dropped $ADROP$nl  note limits: $LIM" \
    "fsxweb text: audit-good's notes, after the site line"
like "$out" "(^|$nl)$G fsxalice fsxalice 0755 allowed$nl  note account: [^$nl]*$nl  note group: [^$nl]*$nl  note limits: [^$nl]*$nl  $G/" \
    "fsxweb text: the problems after the notes"

# --- the notes kept: bounded, escaped, only account, group and limits ---------------
# A stand-in launcher that notes too much: first the notes the audit leaves
# out, then a hostile one (escape, tab, backslash, a byte that is not UTF-8,
# a valid e-acute), one of 600 bytes and ten group notes.
cat >"$FAKE/launcher" <<'EOF'
#!/bin/bash
printf 'usage: pass\nextra: pass: /srv/shared\n'
echo "socket: pass: not checked: fd 0 is not a socket here (a launch needs the worker's listening socket on fd 0)"
printf 'docroot: pass: /x\ninterpreter: pass: /usr/bin/php-cgi\nlandlock: pass: fs\n'
printf 'tmpdir: pass: missing: a launch creates it\n'
printf 'account: pass: odd \033[31m\t\\\xff\xc3\xa9 end\n'
printf 'account: pass: %s\n' "$(printf 'y%.0s' {1..600})"
for i in 1 2 3 4 5 6 7 8 9 10; do printf 'group: pass: dropped g%d\n' "$i"; done
printf 'result: a launch would be allowed\n'
EOF
chmod 0700 "$FAKE/launcher"
long=$(printf 'y%.0s' {1..511})
out=$(timeout 60 "$AUDIT_BIN" "$FAKE/launcher" --json </dev/null 2>/dev/null)
is "$?" 0 "stand-in launcher --json: exits 0"
sum=$(jsoncheck <<<"$out")
is "$?" 0 "stand-in launcher --json: every line parses${nl}$(grep '^BAD' <<<"$sum")"
is "$(notes "$G")" "$(printf '  #%s\n' 'account|odd \x{1b}[31m\x{9}\x{5c}\x{ff}\x{e9} end' "account|$long" \
    'group|dropped g1' 'group|dropped g2' 'group|dropped g3' 'group|dropped g4' 'group|dropped g5' \
    'group|dropped g6')" "json: 8 notes at most, each cut to 511 bytes, account and group only, in order"
like "$out" '"notes":\[\{"check":"account","note":"odd \\u001b\[31m\\t\\\\\\u00ffé end"\}' \
    "json: the hostile note's escapes as written"
out=$(timeout 60 "$AUDIT_BIN" "$FAKE/launcher" </dev/null 2>/dev/null)
is "$?" 0 "stand-in launcher text: exits 0"
is "$(text_site "$G")" "$G fsxalice fsxalice 0755 allowed$nl$(printf '  note %s\n' \
    'account: odd \033[31m\011\134\377é end' "account: $long" 'group: dropped g1' 'group: dropped g2' \
    'group: dropped g3' 'group: dropped g4' 'group: dropped g5' 'group: dropped g6')" \
    "text: the same notes, one line each, escaped as \\ooo (UTF-8 kept)"

# --- usage and failures -----------------------------------------------------------
audit root --bogus
is "$rc" 100 "--audit --bogus: exit 100 (usage)"
like "$err" "^fcgi-suexec: usage: --audit and --status take only --json" "--audit --bogus: the usage line"
timeout 10 "$AUDIT_BIN" >/dev/null 2>&1
is "$?" 2 "the audit tool without arguments: exit 2"
timeout 10 "$AUDIT_BIN" "$BIN" --xml >/dev/null 2>&1
is "$?" 2 "the audit tool with a bad option: exit 2"
is "$(stat -c '%U %a' "$AUDIT_BIN")" "root 755" "the audit tool is installed root 0755, not setuid"

done_testing
