<?php
// The demo's site page: demo.sh copies it into each demo docroot as
// index.php. Everything on it is measured by the request that renders it,
// inside the worker that serves it: who the process is, its confinement as
// its own /proc/self/status shows it, and six attempts to step out of its
// site, each with the exact error PHP reported. Elements carry ids and
// data-* attributes (data-value, data-result) so that a test reads the
// results without scraping the prose. PHP 8.2; no JavaScript, no external
// asset; nothing it writes is left behind.
declare(strict_types=1);
ini_set('display_errors', '0');
header('Content-Type: text/html; charset=UTF-8');
header('Cache-Control: no-store');

// The two demo sites; this one is the directory this script lies in.
const SITES = ['fsxdemo-alice', 'fsxdemo-bob'];
$own = basename(__DIR__);
$other = $own === SITES[0] ? SITES[1] : SITES[0];
$other_root = dirname(__DIR__) . '/' . $other;

function h(mixed $s): string
{
    return htmlspecialchars((string) $s, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
}

// "Key: value" lines of a /proc status file
function proc_status(string $file): array
{
    $st = [];
    foreach (@file($file, FILE_IGNORE_NEW_LINES) ?: [] as $line) {
        $p = strpos($line, ':');
        if ($p !== false)
            $st[substr($line, 0, $p)] = trim(substr($line, $p + 1));
    }
    return $st;
}

// PHP's last warning, whole: "fopen(/x): Failed to open stream: Permission denied"
function last_error(): string
{
    return error_get_last()['message'] ?? 'failed, with no error message';
}

// the errno text PHP ends its message with: "Permission denied"
function errno_text(string $msg): string
{
    $p = strrpos($msg, ': ');
    return $p === false ? $msg : substr($msg, $p + 2);
}

function user_name(int $uid): string
{
    $pw = function_exists('posix_getpwuid') ? posix_getpwuid($uid) : false;
    return $pw ? $pw['name'] : "uid $uid";
}

function group_name(int $gid): string
{
    $gr = function_exists('posix_getgrgid') ? posix_getgrgid($gid) : false;
    return $gr ? $gr['name'] : "gid $gid";
}

// "mode 0644, owner fsxdemo-bob", and the stat array (false if it failed)
function describe(string $path): array
{
    error_clear_last();
    $s = @stat($path);
    if ($s === false)
        return ['cannot stat it: ' . last_error(), false];
    return [sprintf('mode %04o, owner %s', $s['mode'] & 07777, user_name($s['uid'])), $s];
}

// blocked: refused with one of the expected errors; ALLOWED: it worked;
// unexpected: it failed some other way (proves nothing either way)
function verdict(bool $worked, string $errno, array $expected): string
{
    if ($worked)
        return 'ALLOWED';
    return in_array($errno, $expected, true) ? 'blocked' : 'unexpected';
}

$status = proc_status('/proc/self/status');
$ids = fn(string $k): array => array_map('intval', preg_split('/\s+/', $status[$k] ?? '-1 -1 -1 -1'));
[$ruid, $euid, $suid, $fsuid] = $ids('Uid');
[$rgid, $egid, $sgid, $fsgid] = $ids('Gid');
$groups = trim($status['Groups'] ?? '') === '' ? [] : array_map('intval', preg_split('/\s+/', trim($status['Groups'])));
$user = user_name($euid);
$short = fn(string $u): string => preg_replace('/^fsxdemo-/', '', $u);

$caps = [];
foreach (['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb'] as $k)
    $caps[$k] = $status[$k] ?? '?';
$no_caps = count(array_filter($caps, fn($v) => preg_match('/^0+$/', $v) !== 1)) === 0;
$seccomp_modes = ['0' => 'disabled', '1' => 'strict', '2' => 'filter'];

$attempts = [];

// 1. read the other site's secret, which its mode lets every user read
$secret = "$other_root/secret.php";
[$secret_mode, $secret_st] = describe($secret);
error_clear_last();
$data = @file_get_contents($secret);
$got = $data !== false ? sprintf('read %d bytes', strlen($data)) : last_error();
$attempts[] = [
    'id' => 'read-other',
    'what' => "Read {$short($other)}'s secret",
    'how' => "file_get_contents() of its secret.php (as a wp-config.php): $secret_mode. Its mode lets every user read it.",
    'expected' => 'Permission denied',
    'got' => $got,
    'result' => verdict($data !== false, errno_text($got), ['Permission denied']),
];
$read_by_mode = $secret_st !== false && ($secret_st['mode'] & 0004) && $secret_st['uid'] !== $euid;

// 2. list the other site's directory (mode 0755: every user may list it)
[$dir_mode, $dir_st] = describe($other_root);
error_clear_last();
$d = @opendir($other_root);
if ($d !== false) {
    $n = 0;
    while (readdir($d) !== false)
        $n++;
    closedir($d);
    $got = "listed $n entries";
} else {
    $got = last_error();
}
$attempts[] = [
    'id' => 'list-other',
    'what' => "List {$short($other)}'s directory",
    'how' => "opendir() of $other_root: $dir_mode.",
    'expected' => 'Permission denied',
    'got' => $got,
    'result' => verdict($d !== false, errno_text($got), ['Permission denied']),
];

// 3. write outside its own tree: a file of the other site that is 0666
$guestbook = "$other_root/guestbook.txt";
[$gb_mode, $gb_st] = describe($guestbook);
error_clear_last();
$f = @fopen($guestbook, 'a');
if ($f !== false) {
    fclose($f);
    $got = 'opened it for writing (nothing written)';
} else {
    $got = last_error();
}
$attempts[] = [
    'id' => 'write-other',
    'what' => "Write into {$short($other)}'s site",
    'how' => "fopen(..., 'a') of its guestbook.txt: $gb_mode. Its mode lets every user write it: a refusal is the confinement's, not the mode's.",
    'expected' => 'Permission denied',
    'got' => $got,
    'result' => verdict($f !== false, errno_text($got), ['Permission denied']),
];

// 4. open a listening TCP port. PHP 8.2's stream_socket_server() leaves
// $errno 0 and names no error when listen() fails, so when it fails the
// sockets extension tries again step by step: which step failed, and its errno,
// is what tells Landlock's refusal (bind, EACCES) from seccomp's (listen, EPERM).
$errno = 0;
$errstr = '';
$srv = @stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
$bind_err = $listen_err = null;       // strerror text, '' when the step worked
if ($srv !== false) {
    $got = 'listening on ' . stream_socket_get_name($srv, false) . ' (closed again)';
    fclose($srv);
    $listen_result = 'ALLOWED';
} else {
    $got = $errstr !== '' ? $errstr : last_error();
    if (function_exists('socket_create') && ($sk = @socket_create(AF_INET, SOCK_STREAM, SOL_TCP)) !== false) {
        if (@socket_bind($sk, '127.0.0.1', 0)) {
            $bind_err = '';
            $listen_err = @socket_listen($sk, 1) ? '' : socket_strerror(socket_last_error($sk));
        } else {
            $bind_err = socket_strerror(socket_last_error($sk));
        }
        socket_close($sk);
        $got .= '. Step by step: bind: ' . ($bind_err === '' ? 'ok' : $bind_err)
            . ($bind_err === '' ? ', listen: ' . ($listen_err === '' ? 'ok (closed again)' : $listen_err) : '');
    }
    if ($bind_err === null)
        $listen_result = verdict(false, $errstr, ['Permission denied', 'Operation not permitted']);
    elseif ($listen_err === '')
        $listen_result = 'ALLOWED';
    elseif ($bind_err === 'Permission denied' || $listen_err === 'Operation not permitted')
        $listen_result = 'blocked';
    else
        $listen_result = 'unexpected';
}
$attempts[] = [
    'id' => 'listen',
    'what' => 'Open a listening port',
    'how' => "stream_socket_server('tcp://127.0.0.1:0'): a backdoor, or a neighbour's FastCGI port.",
    'expected' => 'Permission denied (Landlock, ABI 4+) or Operation not permitted (seccomp)',
    'got' => $got,
    'result' => $listen_result,
];

// 5. see other users' processes
$pids = [];
$foreign = [];
error_clear_last();
$pd = @opendir('/proc');
if ($pd !== false) {
    while (($e = readdir($pd)) !== false) {
        if (!ctype_digit($e))
            continue;
        $pids[] = (int) $e;
        $u = preg_split('/\s+/', proc_status("/proc/$e/status")['Uid'] ?? '')[1] ?? '';
        if ($u !== '' && (int) $u !== $euid)
            $foreign[(int) $u] = true;
    }
    closedir($pd);
    sort($pids);
    $got = count($pids) . (count($pids) === 1 ? ' process' : ' processes') . ' visible';
    if ($foreign)
        $got .= ', of other users too: ' . implode(', ', array_map('user_name', array_keys($foreign)));
    else
        $got .= ', all its own (pids ' . implode(', ', array_slice($pids, 0, 8)) . (count($pids) > 8 ? ', ...' : '') . ')';
} else {
    $got = last_error();
}
$attempts[] = [
    'id' => 'see-procs',
    'what' => "See other users' processes",
    'how' => "/proc's pid entries, and the Uid in each one's status.",
    'expected' => 'its own processes only',
    'got' => $got,
    'result' => $pd === false ? 'unexpected' : ($foreign ? 'ALLOWED' : ($pids ? 'blocked' : 'unexpected')),
];

// 6. run a file it wrote: a copy of /bin/true in its temp, made 0755
$tmp = sys_get_temp_dir();
$ran = false;
$how = "/bin/true copied into its temp directory $tmp, chmod 0755, run by /bin/sh (proc_open)";
error_clear_last();
$exe = @tempnam($tmp, 'demo-exec-');
if ($exe === false || !@copy('/bin/true', $exe) || !@chmod($exe, 0755)) {
    $got = 'could not prepare the file: ' . last_error();
    $result = 'unexpected';
} else {
    $how = "/bin/true copied to $exe, chmod 0755, run by /bin/sh (proc_open)";
    $p = proc_open(['/bin/sh', '-c', 'exec "$1"', 'sh', $exe],
                   [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if ($p === false) {
        $got = 'proc_open failed: ' . last_error();
        $result = 'unexpected';
    } else {
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $code = proc_close($p);
        $ran = $code === 0;
        $got = $ran ? 'it ran (exit 0)' : trim($out) . " (exit $code)";
        $result = $ran ? 'ALLOWED' : (str_contains($out, 'Permission denied') ? 'blocked' : 'unexpected');
    }
}
if ($exe !== false)
    @unlink($exe);
$attempts[] = [
    'id' => 'run-written',
    'what' => 'Run a file it wrote',
    'how' => "$how: as an uploaded program would be.",
    'expected' => 'Permission denied (exit 126)',
    'got' => $got,
    'result' => $result,
];

$by_id = array_column($attempts, null, 'id');
$blocked = count(array_filter($attempts, fn($a) => $a['result'] === 'blocked'));

// Landlock, inferred: PHP cannot ask the kernel which ABI holds the worker.
// A refusal that the file's mode does not explain is a security module's;
// the launcher applies Landlock. A TCP bind refused with EACCES is
// Landlock's network rule (ABI 4 and later); below 4 the bind succeeds and
// seccomp refuses listen() with EPERM.
$by_mode = [];
if ($read_by_mode && $by_id['read-other']['result'] === 'blocked')
    $by_mode[] = 'read its 0644 secret';
if ($dir_st !== false && ($dir_st['mode'] & 0005) === 0005 && $dir_st['uid'] !== $euid
    && $by_id['list-other']['result'] === 'blocked')
    $by_mode[] = sprintf('list its %04o directory', $dir_st['mode'] & 07777);
if ($gb_st !== false && ($gb_st['mode'] & 0002) && $by_id['write-other']['result'] === 'blocked')
    $by_mode[] = 'write its 0666 guestbook';
$fs_worked = $by_id['read-other']['result'] === 'ALLOWED' || $by_id['write-other']['result'] === 'ALLOWED';
if ($by_mode) {
    $ll_domain = 'yes';
    $ll_text = 'a domain is in force';
    $ll_how = "Inferred: the kernel refused to let it " . implode(', ', $by_mode) . " (the other site's, below) with \"Permission denied\", which their modes allow: only a security module refuses that, and Landlock is the one fcgi-suexec applies.";
} elseif ($fs_worked) {
    $ll_domain = 'no';
    $ll_text = 'no domain keeps it out of the other site';
    $ll_how = "It opened the other site's files (below).";
} else {
    $ll_domain = 'unknown';
    $ll_text = 'not shown';
    $ll_how = 'No refusal below that the file modes do not explain: nothing is proven.';
}
$bind_refused = $bind_err !== null ? $bind_err === 'Permission denied' : $errstr === 'Permission denied';
$listen_refused = $bind_err !== null ? $bind_err === '' && $listen_err === 'Operation not permitted'
                                     : $errstr === 'Operation not permitted';
if ($srv === false && $bind_refused) {
    $ll_abi = '4';
    $abi_text = '4 or later';
    $abi_how = 'Inferred: the bind of its listening socket (below) was refused with "Permission denied" (EACCES): Landlock\'s TCP bind rule, new in ABI 4. Below ABI 4 the bind succeeds and seccomp refuses listen() with EPERM.';
} elseif ($srv === false && $listen_refused) {
    $ll_abi = $ll_domain === 'yes' ? '1' : 'unknown';
    $abi_text = $ll_domain === 'yes' ? 'below 4 (or no TCP rule)' : 'not shown';
    $abi_how = 'Inferred: the bind of its listening socket (below) went through and listen() was refused with "Operation not permitted" (EPERM, seccomp): no Landlock TCP bind rule (ABI 4) holds it.';
} else {
    $ll_abi = 'unknown';
    $abi_text = 'not shown';
    $abi_how = 'Its listening socket (below) proves nothing about the ABI.';
}

$title = "$user: " . ($blocked === count($attempts) ? 'confined' : 'NOT confined');
?>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?= h($title) ?> - fcgi-suexec demo</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 1em auto; max-width: 64em; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin: 1.1em 0 .3em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .25em .5em; border-bottom: 1px solid #e4e4e4; }
th { font-weight: 600; white-space: nowrap; }
code, .got { font-family: ui-monospace, monospace; font-size: .9em; }
.how, .note { color: #555; font-size: .9em; }
.verdict { font-weight: 700; white-space: nowrap; }
.got { width: 34%; word-break: break-word; }
td.exp { width: 16%; }
[data-result="blocked"] .verdict { color: #17692c; }
[data-result="ALLOWED"] .verdict { color: #b00020; }
[data-result="unexpected"] .verdict { color: #a05a00; }
#summary { font-size: 1.1em; padding: .4em .6em; background: #eef6ee; border-left: 4px solid #17692c; }
#summary[data-blocked-all="no"] { background: #fbecec; border-color: #b00020; }
</style>
</head>
<body>
<p class="note"><a href="/">fcgi-suexec demo</a> &middot; this page: <?= h($short($own)) ?>'s site, <code><?= h(__DIR__) ?></code></p>
<h1>This page was made by <span id="user" data-value="<?= h($user) ?>"><?= h($user) ?></span>'s own PHP worker</h1>
<p>fcgi-suexec started this php-cgi (pid <span id="pid" data-value="<?= h(getmypid()) ?>"><?= h(getmypid()) ?></span>, PHP <?= h(PHP_VERSION) ?>) as the site's Unix user and confined it.
Everything below was measured by this very request, from inside that process: nothing is cached or written in advance.</p>
<p id="summary" data-blocked="<?= h($blocked) ?>" data-total="<?= h(count($attempts)) ?>" data-blocked-all="<?= $blocked === count($attempts) ? 'yes' : 'no' ?>">
<?= h($blocked) ?> of <?= h(count($attempts)) ?> attempts to step out of the site were blocked.</p>

<h2>Who it runs as</h2>
<table>
<tr><th>user</th><td><?= h($user) ?> <span class="note">(the process's, not the script file's owner)</span></td></tr>
<tr><th>uid</th><td id="uid" data-value="<?= h($euid) ?>"><?= h($euid) ?> <span class="note">real <?= h($ruid) ?>, effective <?= h($euid) ?>, saved <?= h($suid) ?>, file system <?= h($fsuid) ?></span></td></tr>
<tr><th>gid</th><td id="gid" data-value="<?= h($egid) ?>"><?= h($egid) ?> (<?= h(group_name($egid)) ?>)</td></tr>
<tr><th>groups</th><td id="groups" data-value="<?= h(implode(',', $groups)) ?>"><?= h($groups ? implode(', ', array_map(fn($g) => "$g (" . group_name($g) . ')', $groups)) : 'none') ?></td></tr>
</table>
<p class="note">From <code>/proc/self/status</code> (Uid, Gid, Groups), names from <code>posix_getpwuid()</code> and <code>posix_getgrgid()</code>.</p>

<h2>Its confinement, as it sees itself</h2>
<table>
<tr><th>NoNewPrivs</th><td id="nonewprivs" data-value="<?= h($status['NoNewPrivs'] ?? '?') ?>"><?= h($status['NoNewPrivs'] ?? 'not shown') ?>
 <span class="note"><?= ($status['NoNewPrivs'] ?? '') === '1' ? 'no program it runs gains privileges, setuid ones included' : '' ?></span></td></tr>
<tr><th>Seccomp</th><td id="seccomp-mode" data-value="<?= h($status['Seccomp'] ?? '?') ?>" data-filters="<?= h($status['Seccomp_filters'] ?? '?') ?>">mode <?= h($status['Seccomp'] ?? '?') ?>
 (<?= h($seccomp_modes[$status['Seccomp'] ?? ''] ?? 'unknown') ?>), <?= h($status['Seccomp_filters'] ?? '?') ?> <?= ($status['Seccomp_filters'] ?? '') === '1' ? 'filter' : 'filters' ?>
 <span class="note"><?= ($status['Seccomp'] ?? '') === '2' ? "fcgi-suexec loads one that refuses listen(), memfd_create, chown, xattrs, world-writable and setuid modes" : '' ?></span></td></tr>
<tr><th>capabilities</th><td id="caps" data-value="<?= $no_caps ? 'none' : 'some' ?>"><?= $no_caps ? 'none' : 'SOME' ?>
 <span class="note"><?= $no_caps ? h(implode(', ', array_keys($caps)) . ' all 0') : h(implode(' ', array_map(fn($k, $v) => "$k $v", array_keys($caps), $caps))) ?></span></td></tr>
<tr><th>Landlock</th><td id="landlock" data-domain="<?= h($ll_domain) ?>"><?= h($ll_text) ?>
 <div class="note"><?= h($ll_how) ?></div></td></tr>
<tr><th>Landlock ABI</th><td id="landlock-abi" data-abi-min="<?= h($ll_abi) ?>"><?= h($abi_text) ?>
 <div class="note"><?= h($abi_how) ?></div></td></tr>
</table>
<p class="note">NoNewPrivs, Seccomp, Seccomp_filters and Cap* from <code>/proc/self/status</code>. PHP cannot ask the kernel which Landlock ABI holds it: the two Landlock rows are inferred from the attempts below and say only what those prove.</p>

<h2>What this request just tried</h2>
<table>
<tr><th>attempt</th><th>expected</th><th>got (PHP's message)</th><th>verdict</th></tr>
<?php foreach ($attempts as $a): ?>
<tr id="<?= h($a['id']) ?>" data-result="<?= h($a['result']) ?>">
<td><strong><?= h($a['what']) ?></strong><div class="how"><?= h($a['how']) ?></div></td>
<td class="exp"><?= h($a['expected']) ?></td>
<td class="got"><?= h($a['got']) ?></td>
<td class="verdict"><?= h($a['result']) ?></td>
</tr>
<?php endforeach; ?>
</table>
<p class="note">"blocked": refused with the expected error. "ALLOWED": it worked. "unexpected": it failed some other way, which proves nothing.
The worker can still do its job: read and write its own site and its private <code>/tmp</code>, connect out, run <code>/bin/sh</code>.
What each refusal is and what remains open: SECURITY.md in the fcgi-suexec sources.</p>
</body>
</html>
