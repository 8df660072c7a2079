# shellcheck shell=bash
# tests/elf.sh - the ELF hardening checks of a launcher binary, shared by
# 62-hardening.t (the builds) and 80-deb.t (the Debian package's). Source it
# after lib.sh.
#
#   elf_hardened NAME ELF   PIE, full RELRO, no executable stack or segment,
#                           no TEXTREL, RPATH or RUNPATH, the stack protector,
#                           FORTIFY's __*_chk and the level the binary records
#                           (3); each test named "NAME: ..."; sets $hdr, $dyn,
#                           $seg for the caller's own checks
elf_hardened() {
    local n=$1 elf=$2 syms
    hdr=$(readelf -hW "$elf") dyn=$(readelf -dW "$elf") seg=$(readelf -lW "$elf")
    syms=$(readelf -sW "$elf"; readelf -sW --dyn-syms "$elf")
    like "$hdr" "Type: +DYN " "$n: PIE (ELF type DYN)"
    like "$(grep FLAGS_1 <<<"$dyn")" "PIE" "$n: PIE (FLAGS_1 PIE)"
    like "$seg" "GNU_RELRO" "$n: full RELRO: a GNU_RELRO segment"
    like "$dyn" "\(FLAGS\) +BIND_NOW|FLAGS_1\).*NOW" "$n: full RELRO: BIND_NOW"
    like "$(grep GNU_STACK <<<"$seg")" " RW  " "$n: GNU_STACK is RW"
    unlike "$(grep GNU_STACK <<<"$seg")" "RWE" "$n: GNU_STACK is not executable"
    unlike "$(grep -E '^ +LOAD' <<<"$seg")" "RWE" "$n: no writable and executable LOAD segment"
    unlike "$dyn" "TEXTREL" "$n: no text relocations"
    unlike "$dyn" "\((RPATH|RUNPATH)\)" "$n: no RPATH or RUNPATH"
    like "$syms" "__stack_chk_fail" "$n: stack protector (__stack_chk_fail)"
    like "$(grep -E ' __[a-z0-9_]+_chk(@| |$)' <<<"$syms" | head -n 1)" "_chk" "$n: FORTIFY (__*_chk functions)"
    is "$(grep -a -o 'fcgi-suexec FORTIFY_SOURCE=[0-9A-Za-z_]*' "$elf" | sort -u | tr '\n' ' ')" \
        "fcgi-suexec FORTIFY_SOURCE=3 " "$n: built with _FORTIFY_SOURCE=3 (the level it records)"
}
