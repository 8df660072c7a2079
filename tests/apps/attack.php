<?php
// attack.php - a noisy neighbour's page, for tests/63-neighbour.t and
// bench/neighbour.sh: one action per request, every one bounded by count,
// size or time (so that a missing limit cannot take the machine down).
//
//   ?do=ping                  "OK uid=N"
//   ?do=spin&arg=N&secs=S     forks N children that spin for S s
//   ?do=flood&arg=N&secs=S    forks N children that sleep S s
//   ?do=hog&arg=MIB&secs=S    grows to MIB MiB (8 MiB every 20 ms; memory_limit
//                             -1, so that only RLIMIT_DATA stops it), holds it S s
//
// The forks are made by a perl loop started through shell_exec, which counts
// those the kernel refuses and says why: "OK MODE forked=N failed=N error=...".
// The hog answers "OK reached N MiB" or, on a fatal error, "ERR stopped at
// N MiB: the error" (PHP may instead die with "Out of memory" on its stderr
// when even the error needs memory it cannot map). One line each.
ini_set('display_errors', '0');

function answer(bool $ok, string $detail): void
{
    echo $ok ? 'OK ' : 'ERR ', trim(preg_replace('/\s+/', ' ', $detail)), "\n";
    exit;
}

function err(): string
{
    return error_get_last()['message'] ?? 'no error message';
}

const FORKS = <<<'PL'
my ($mode, $n, $secs) = @ARGV;
my ($ok, $fail, $err, $end) = (0, 0, '-', time + $secs);
for (1 .. $n) {
    my $p = fork;
    if (!defined $p) { $fail++; $err = "$!"; next }
    if (!$p) {
        if ($mode eq 'flood') { exec 'sleep', $secs; exit 127 }
        1 while time < $end;
        exit 0;
    }
    $ok++;
}
print "$mode forked=$ok failed=$fail error=$err\n";
1 while wait != -1;
PL;

$do = $_GET['do'] ?? '';
$arg = max(0, min((int)($_GET['arg'] ?? 0), 100000));
$secs = max(0, min((int)($_GET['secs'] ?? 0), 600));
switch ($do) {
case 'ping':
    answer(true, 'uid=' . posix_getuid());
case 'flood':
case 'spin':
    $out = shell_exec('perl -e ' . escapeshellarg(FORKS) . " $do $arg $secs 2>&1");
    if (!is_string($out))
        answer(false, 'shell_exec failed: ' . err());
    answer(preg_match('/forked=\d+/', $out) === 1, $out);
case 'hog':
    ini_set('memory_limit', '-1');
    $hog = [];
    $done = false;
    register_shutdown_function(function () {
        global $hog, $done;
        $mib = 8 * count($hog);
        $hog = null;
        if (!$done)
            answer(false, "stopped at $mib MiB: " . err());
    });
    while (8 * count($hog) < $arg) {
        $hog[] = str_repeat(chr(65 + count($hog) % 26), 8 << 20);
        usleep(20000);
    }
    sleep($secs);
    $done = true;
    answer(true, 'reached ' . 8 * count($hog) . ' MiB');
}
answer(false, "no such action: $do");
