#!/bin/bash
# Binary hardening, read off the built ELF files (readelf): the release build
# ($REPO/fcgi-suexec), the test build (build/test) and every launcher the
# fixture installs in $TESTROOT/sbin, and the objects each was linked from.
#   PIE, full RELRO, non-executable stack, no text relocations, no RPATH or
#   RUNPATH (a setuid binary must not load libraries from a path of its own),
#   stack protector, FORTIFY (__*_chk), CET (.note.gnu.property IBT, SHSTK on
#   every object of ours: Debian 12's crt files and libc are not marked);
#   and what leaves no trace in the code: -fstack-clash-protection,
#   -ftrivial-auto-var-init=zero (the switches recorded by
#   -frecord-gcc-switches in .GCC.command.line, in every object) and
#   _FORTIFY_SOURCE=3 (GCC does not record -D options: the level is the
#   string the program keeps for this test, "fcgi-suexec FORTIFY_SOURCE=N").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/elf.sh"   # elf_hardened

# The launchers, and the object directory each was linked from.
declare -A objdir=([$REPO/fcgi-suexec]=$REPO/obj [$REPO/build/test/fcgi-suexec]=$REPO/build/test/obj)
elves=("$REPO/fcgi-suexec" "$REPO/build/test/fcgi-suexec")
for f in "$TESTROOT"/sbin/fcgi-suexec*; do elves+=("$f"); done

recorded_switches=(-fstack-protector-strong -fstack-clash-protection -ftrivial-auto-var-init=zero
    -fcf-protection=full -fPIE)
weakening='-fno-stack-protector|-fno-stack-clash-protection|-ftrivial-auto-var-init=(uninitialized|pattern)|-fcf-protection=(none|branch|return)|-fno-PIE|-fno-pie|(^| )-O0( |$)'

switches() { readelf -p .GCC.command.line "$1" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\] *//p'; }
cet() { readelf -n "$1" 2>/dev/null | grep -E 'x86 feature:.*IBT' | grep -E 'SHSTK'; }

for elf in "${elves[@]}"; do
    n=${elf#"$REPO"/}
    if ! [ -f "$elf" ]; then
        ok "$n exists (make; tests/fixture.sh up)" false
        continue
    fi
    elf_hardened "$n" "$elf"
    sw=$(switches "$elf")
    ok "$n: the compiler switches are recorded (.GCC.command.line, -frecord-gcc-switches)" test -n "$sw"
    for s in "${recorded_switches[@]}"; do
        like " $sw " " $s " "$n: compiled with $s"
    done
    unlike "$sw" "$weakening" "$n: no switch that weakens them"
    # CET: the linker marks the binary only when every input is marked, and
    # Debian 12's startup files and C library are not; so hold what is ours:
    # relinking with -z cet-report=warning names no object of this project.
    # shellcheck disable=SC2046 # pkg-config prints several words
    report=$(cc -static-pie -Wl,-z,cet-report=warning -o /dev/null \
          "${objdir[$elf]:-$REPO/build/test/obj}"/*.o \
          $(pkg-config --static --libs libcap libbsd-overlay) 2>&1 | grep 'missing')
    like "$report" "missing" "$n: the CET report ran (toolchain inputs lack the marking)"
    unlike "$report" "$REPO/" "$n: CET: every object of this project is marked IBT and SHSTK"
done

# Every object the two builds link: each translation unit, not just one.
for d in "$REPO/obj" "$REPO/build/test/obj"; do
    for o in "$d"/*.o; do
        n=${o#"$REPO"/}
        [ -f "$o" ] || { ok "$d has objects" false; continue; }
        sw=$(switches "$o")
        for s in "${recorded_switches[@]}"; do
            like " $sw " " $s " "$n: compiled with $s"
        done
        unlike "$sw" "$weakening" "$n: no switch that weakens them"
        ok "$n: CET: marked IBT, SHSTK (-fcf-protection)" test -n "$(cet "$o")"
    done
done

done_testing
