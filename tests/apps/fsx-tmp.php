<?php
/*
 * fsx-tmp.php - a must-use plugin of tests/70-apps.t, copied into the site's
 * wp-content/mu-plugins/ with @FILE@ and @MARK@ replaced. On ?fsx_tmp=1 it
 * writes a file in /tmp by its literal name (as plugins do, without asking
 * sys_get_temp_dir()), reads it back and answers one line: FSX-TMP-OK, or
 * FSX-TMP-FAIL and PHP's last error.
 */
if (isset($_GET['fsx_tmp'])) {
    add_action('init', function () {
        $file = '@FILE@';
        $mark = '@MARK@';
        header('Content-Type: text/plain');
        $ok = @file_put_contents($file, $mark) === strlen($mark)
            && @file_get_contents($file) === $mark;
        echo $ok ? "FSX-TMP-OK\n"
                 : 'FSX-TMP-FAIL ' . (error_get_last()['message'] ?? '') . "\n";
        exit;
    });
}
