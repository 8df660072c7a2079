/* Unit tests of the pure policy decisions (policy.c), TAP output.
 * Built against a fixed policy: DOCROOT=/var/www, UID_MIN=GID_MIN=1000. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "policy.h"

static int n, failed;

static void ok(int cond, const char *name, const char *arg)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - %s", cond ? "" : "not ", n, name);
	if (arg != NULL) {
		printf(" [");
		for (const char *c = arg; *c != '\0'; c++)
			putchar(*c >= ' ' && *c < 127 ? *c : '?'); /* keep TAP on one line */
		printf("]");
	}
	putchar('\n');
}

static void ids(void)
{
	static const char *bad[] = { "", "-1", "+1", " 1", "1 ", "0x10", "1x", "4294967295",
				     "4294967296", "99999999999", "18446744073709551615", "١" };
	unsigned int v = 7;

	ok(policy_parse_id("1000", &v) && v == 1000, "id 1000 parses", NULL);
	ok(policy_parse_id("0", &v) && v == 0, "id 0 parses (refused later as a target)", NULL);
	ok(policy_parse_id("4294967294", &v) && v == 4294967294u, "largest id parses", NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(!policy_parse_id(bad[i], &v), "bad id refused", bad[i]);
}

static void names(void)
{
	static const char *good[] = { "alice", "www-data", "_apt", "a.b", "A1" };
	static const char *bad[] = { "", "-alice", "1x", "9", ".x", "a b", "a/b", "a:b", "al\nice",
				     "abcdefghijklmnopqrstuvwxyz0123456" /* 33 chars */ };

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		ok(policy_valid_name(good[i]), "good name", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(!policy_valid_name(bad[i]), "bad name refused", bad[i]);
}

static void versions(void)
{
	static const char *good[] = { "8.2", "7.4", "10.12" };
	static const char *bad[] = { "", "8", "8.", ".2", "8.2.1", "../x", "8/2", "8.2x", "123456.78" };

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		ok(policy_valid_version(good[i]), "good version", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(!policy_valid_version(bad[i]), "bad version refused", bad[i]);
}

static void paths(void)
{
	static const char *good[] = { "/", "/var/www/alice", "/a/b.c/..d/...", "/a/.b" };
	static const char *bad[] = { "", "var/www", "/var//www", "/var/www/", "/var/./www",
				     "/var/../etc", "/var/www/..", "/.", "//" };
	char longp[ARG_MAX_PATH + 2];

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		ok(policy_path_canonical(good[i]), "canonical path", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(!policy_path_canonical(bad[i]), "non-canonical path refused", bad[i]);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	ok(!policy_path_canonical(longp), "over-long path refused", NULL);

	static const char *plain[] = { "/var/www/alice", "/srv/a.b_c-d+e@f,g~h/X9" };
	static const char *unplain[] = { "/var/www/a:b", "/var/www/${HOME}", "/var/www/a\"b",
					 "/var/www/a b", "/var/www/a\nb", "/var/www/a\\b",
					 "/var/www/a;b", "/var/www/a'b", "/var/www/\xc3\xa9" };
	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++)
		ok(policy_path_plain(plain[i]), "plain path", plain[i]);
	for (size_t i = 0; i < sizeof(unplain) / sizeof(*unplain); i++)
		ok(!policy_path_plain(unplain[i]), "INI-special character refused", unplain[i]);

	ok(policy_path_within("/var/www/alice", "/var/www"), "inside by components", NULL);
	ok(policy_path_within("/var/www", "/var/www"), "within includes equal", NULL);
	ok(!policy_path_below("/var/www", "/var/www"), "below excludes equal", NULL);
	ok(!policy_path_within("/var/www_backup/alice", "/var/www"), "CVE-2007-1742 prefix trick", NULL);
	ok(!policy_path_within("/var/wwwalice", "/var/www"), "no string prefix", NULL);
	ok(!policy_path_within("/var/www/../etc", "/var/www"), "dot-dot never inside", NULL);
	ok(policy_path_within("/anything", "/"), "everything inside /", NULL);
}

static void targets(void)
{
	gid_t groups[] = { 1000, 1005, 27 };

	ok(policy_caller_ok(0, 33), "root may call", NULL);
	ok(policy_caller_ok(33, 33), "httpd user may call", NULL);
	ok(!policy_caller_ok(1000, 33), "other users may not call", NULL);
	ok(!policy_caller_ok(33, (uid_t)-1), "no httpd user: only root", NULL);
	ok(policy_uid_ok(1000, 33), "uid at UID_MIN is a target", NULL);
	ok(!policy_uid_ok(0, 33), "root is never a target", NULL);
	ok(!policy_uid_ok(999, 33), "uid below UID_MIN refused", NULL);
	ok(!policy_uid_ok(2000, 2000), "httpd user is never a target", NULL);
	ok(!policy_uid_ok((uid_t)-1, 33), "(uid_t)-1 refused", NULL);
	ok(policy_gid_ok(1000) && !policy_gid_ok(0) && !policy_gid_ok(999) &&
	   !policy_gid_ok((gid_t)-1), "gid range", NULL);
	ok(policy_uid_ok(60000, 33) && !policy_uid_ok(60001, 33) && !policy_uid_ok(65534, 33),
	   "UID_MAX is a target, above it and nobody (65534) never", NULL);
	ok(policy_gid_ok(60000) && !policy_gid_ok(60001) && !policy_gid_ok(65534),
	   "GID_MAX is a group, above it and nogroup (65534) never", NULL);
	/* groups a worker keeps: GROUP 1500, primary 1001, web server's 33 */
	ok(policy_group_keep(1500, "shop", 1500, 1001, 33), "GROUP is kept", NULL);
	ok(policy_group_keep(1001, "alice", 1500, 1001, 33), "the primary group is kept", NULL);
	ok(!policy_group_keep(33, "www-data", 1500, 33, 33),
	   "a primary group that is the web server's is dropped", NULL);
	ok(!policy_group_keep(27, "sudo", 1500, 27, 33), "a primary group below GID_MIN is dropped", NULL);
	ok(!policy_group_keep(33, "www-data", 1500, 1001, 33), "the web server's group is dropped", NULL);
	ok(!policy_group_keep(999, "docker", 1500, 1001, 33), "docker is dropped", NULL);
	ok(!policy_group_keep(1200, "shared", 1500, 1001, 33), "a group sites share is dropped", NULL);
	ok(!policy_group_keep(0, "root", 0, 0, 33), "gid 0 is dropped, whatever asks", NULL);
	ok(policy_group_keep(120, "redis", 1500, 1001, 33) &&
	   policy_group_keep(121, "memcache", 1500, 1001, 33), "SITE_GROUPS are kept", NULL);
	ok(!policy_group_keep(122, "redi", 1500, 1001, 33) &&
	   !policy_group_keep(123, "redis memcache", 1500, 1001, 33) &&
	   !policy_group_keep(124, "memcached", 1500, 1001, 33) &&
	   !policy_group_keep(125, "", 1500, 1001, 33), "only whole SITE_GROUPS names", NULL);
	ok(!policy_group_keep(33, "redis", 1500, 1001, 33),
	   "a SITE_GROUPS name with the web server's gid is dropped", NULL);
	/* accounts: day 20000 */
	ok(policy_account_problem(-1, "!", 20000) == NULL, "no expiry, locked: allowed by default", NULL);
	ok(policy_account_problem(20001, "$6$x", 20000) == NULL, "expires tomorrow: allowed", NULL);
	ok(policy_account_problem(20000, "$6$x", 20000) != NULL, "expires today: refused", NULL);
	ok(policy_account_problem(0, "$6$x", 20000) != NULL, "chage -E 0: refused", NULL);
	ok(policy_extra_owner_ok(0) && policy_extra_owner_ok(104) && !policy_extra_owner_ok(1000) &&
	   !policy_extra_owner_ok(1500), "EXTRA paths: root's or a system user's, never a site user's", NULL);
	ok(policy_gid_member(1005, groups, 3), "secondary group is a member", NULL);
	ok(!policy_gid_member(1006, groups, 3), "other group is not", NULL);
}

static void docroots(void)
{
	const char *ud = "/home/alice/public_html";

	ok(policy_docroot_base("/var/www/alice", ud) != NULL, "docroot in DOCROOT", NULL);
	ok(policy_docroot_base("/var/www", ud) == NULL, "DOCROOT itself is not a site", NULL);
	ok(policy_docroot_base("/var/www_backup/a", ud) == NULL, "prefix trick refused", NULL);
	ok(policy_docroot_base("/home/alice/public_html", ud) != NULL, "userdir itself", NULL);
	ok(policy_docroot_base("/home/alice/public_html/blog", ud) != NULL, "inside userdir", NULL);
	ok(policy_docroot_base("/home/alice/public_html2", ud) == NULL, "userdir prefix trick", NULL);
	ok(policy_docroot_base("/home/alice", ud) == NULL, "home is not the userdir", NULL);
	ok(policy_docroot_base("/home/alice/x", NULL) == NULL, "no userdir: DOCROOT only", NULL);

	ok(policy_ancestor_owner_ok("/var", 0, 1000, "/home/alice"), "root-owned ancestor", NULL);
	ok(!policy_ancestor_owner_ok("/var/www", 1000, 1000, "/home/alice"),
	   "DOCROOT itself must be root's", NULL);
	ok(policy_ancestor_owner_ok("/var/www/alice", 1000, 1000, "/home/alice"),
	   "user's own tree below DOCROOT", NULL);
	ok(!policy_ancestor_owner_ok("/var/www/bob", 1001, 1000, "/home/alice"),
	   "another user's directory", NULL);
	ok(policy_ancestor_owner_ok("/home/alice", 1000, 1000, "/home/alice"), "own home", NULL);
	ok(!policy_ancestor_owner_ok("/home", 1000, 1000, "/home/alice"), "above home", NULL);
	ok(!policy_ancestor_owner_ok("/home/alice2", 1000, 1000, "/home/alice"), "home prefix trick", NULL);
	ok(!policy_ancestor_owner_ok("/srv", 1000, 1000, "/"), "home / grants nothing", NULL);
	ok(!policy_ancestor_owner_ok("/usr", 1000, 0, NULL), "root-only rule", NULL);

	ok(policy_docroot_stat_ok(S_IFDIR | 0755, 1000, 1000), "good docroot", NULL);
	ok(policy_docroot_stat_ok(S_IFDIR | 0711, 1000, 1000), "private docroot", NULL);
	ok(!policy_docroot_stat_ok(S_IFDIR | 0775, 1000, 1000), "group-writable", NULL);
	ok(!policy_docroot_stat_ok(S_IFDIR | 0757, 1000, 1000), "world-writable", NULL);
	ok(!policy_docroot_stat_ok(S_IFDIR | 0755, 0, 1000), "root-owned", NULL);
	ok(!policy_docroot_stat_ok(S_IFREG | 0755, 1000, 1000), "not a directory", NULL);
}

static void files(void)
{
	ok(policy_file_problem(S_IFREG | 0755, 0, true) == NULL, "good interpreter", NULL);
	ok(policy_file_problem(S_IFREG | 0644, 0, false) == NULL, "good php.ini", NULL);
	ok(policy_file_problem(S_IFREG | 0644, 0, true) != NULL, "not executable", NULL);
	ok(policy_file_problem(S_IFREG | 0755, 1000, true) != NULL, "not root's", NULL);
	ok(policy_file_problem(S_IFREG | 0775, 0, true) != NULL, "group-writable", NULL);
	ok(policy_file_problem(S_IFREG | 04755, 0, true) != NULL, "setuid", NULL);
	ok(policy_file_problem(S_IFREG | 02755, 0, true) != NULL, "setgid", NULL);
	ok(policy_file_problem(S_IFDIR | 0755, 0, true) != NULL, "directory", NULL);
	ok(policy_file_problem(S_IFLNK | 0777, 0, true) != NULL, "symlink", NULL);
}

static void env(void)
{
	static const char *keep[] = { "TZ=Europe/Paris", "TZ=UTC", "TZ=:Europe/Paris",
				      "TZ=EST5EDT,M3.2.0,M11.1.0", "PHP_FCGI_CHILDREN=4",
				      "PHP_FCGI_CHILDREN=0", "PHP_FCGI_MAX_REQUESTS=500",
				      "FCGI_WEB_SERVER_ADDRS=10.0.0.1,::1" };
	static const char *drop[] = { "LD_PRELOAD=/x.so", "LD_LIBRARY_PATH=/tmp", "PHPRC=/tmp",
				      "PHP_INI_SCAN_DIR=/tmp", "HTTP_PROXY=http://evil",
				      "http_proxy=x", "BASH_ENV=/tmp/x", "PATH=/tmp", "HOME=/",
				      "IFS=x", "TZ=/etc/shadow", "TZ=:/etc/shadow",
				      "TZ=../../etc/x", "TZ=", "TZ=a b", "PHP_FCGI_CHILDREN=99999",
				      "PHP_FCGI_CHILDREN=-1", "PHP_FCGI_CHILDREN= 4",
				      "PHP_FCGI_CHILDREN=", "PHP_FCGI_MAX_REQUESTS=1000001",
				      "PHP_FCGI_CHILDRENX=4", "TZX=UTC", "LISTEN_FDS=1", "=x", "",
				      "FCGI_WEB_SERVER_ADDRS=", "FCGI_WEB_SERVER_ADDRS=1.2.3.4;id",
				      "FCGI_WEB_SERVER_ADDRS=a b" };

	for (size_t i = 0; i < sizeof(keep) / sizeof(*keep); i++)
		ok(policy_env_keep(keep[i]), "kept", keep[i]);
	for (size_t i = 0; i < sizeof(drop) / sizeof(*drop); i++)
		ok(!policy_env_keep(drop[i]), "dropped", drop[i]);
}

static void cgi(void)
{
	static const char *keep[] = { "HTTP_HOST=x", "HTTP_COOKIE=a=b", "SSL_CLIENT_S_DN=x",
				      "QUERY_STRING=a=1", "SCRIPT_FILENAME=/var/www/a/x.php",
				      "REQUEST_METHOD=GET", "REDIRECT_STATUS=200", "HTTPS=on" };
	static const char *drop[] = { "HTTP_PROXY=http://evil", "HTTP_=x", "HTTP_X=() { :; }; id",
				      "LD_PRELOAD=/x", "PHPRC=/tmp", "PATH=/tmp", "QUERY_STRINGX=1",
				      "QUERY_STRIN=1", "SSL_=x", "BASH_ENV=/x", "TZ=UTC", "x", "" };
	static const char *cmds[] = { "php-wrapper", "x.cgi", "a b", "..a" };
	static const char *badcmds[] = { "", ".", "..", "../x", "a/b", "/bin/sh", "a\nb" };

	for (size_t i = 0; i < sizeof(keep) / sizeof(*keep); i++)
		ok(policy_cgi_env_keep(keep[i]), "CGI variable kept", keep[i]);
	for (size_t i = 0; i < sizeof(drop) / sizeof(*drop); i++)
		ok(!policy_cgi_env_keep(drop[i]), "CGI variable dropped", drop[i]);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		ok(policy_valid_command(cmds[i]), "command", cmds[i]);
	for (size_t i = 0; i < sizeof(badcmds) / sizeof(*badcmds); i++)
		ok(!policy_valid_command(badcmds[i]), "bad command refused", badcmds[i]);

	ok(policy_cgi_problem(true, S_IFDIR | 0755, 1000, 1000, 1000, 1000) == NULL, "good CGI dir", NULL);
	ok(policy_cgi_problem(true, S_IFDIR | 0755, 1000, 1001, 1000, 1000) != NULL, "CGI dir of another group", NULL);
	ok(policy_cgi_problem(true, S_IFDIR | 0775, 1000, 1000, 1000, 1000) != NULL, "group-writable CGI dir", NULL);
	ok(policy_cgi_problem(false, S_IFREG | 0755, 1000, 1000, 1000, 1000) == NULL, "good command", NULL);
	ok(policy_cgi_problem(false, S_IFREG | 0755, 0, 1000, 1000, 1000) != NULL, "root's command", NULL);
	ok(policy_cgi_problem(false, S_IFREG | 04755, 1000, 1000, 1000, 1000) != NULL, "setuid command", NULL);
	ok(policy_cgi_problem(false, S_IFREG | 0644, 1000, 1000, 1000, 1000) != NULL, "not executable", NULL);
	ok(policy_cgi_problem(false, S_IFREG | 0757, 1000, 1000, 1000, 1000) != NULL, "world-writable command", NULL);
	ok(policy_cgi_problem(false, S_IFDIR | 0755, 1000, 1000, 1000, 1000) != NULL, "directory as command", NULL);
}

static void mounts(void)
{
	static const char *fuse_user =
		"93 70 0:42 / /var/www/x rw,nosuid,nodev,relatime - fuse /tmp/src "
		"rw,user_id=999,group_id=995,default_permissions,allow_other\n";
	/* what the kernel shows: paths escaped (\040), optional tags before " - " */
	static const char *bad[] = { "", "\n", "x 1 0:1 / / rw - ext4 /dev/sda rw\n",
				     "1 1 0:1 / / rw ext4 /dev/sda rw\n", "1 1 0:1 / / rw - \n",
				     "1 1 0:1 / / rw - fuse\n", "1 1 0:1 / / rw - fuse src\n",
				     "1 1 0:1 / / rw - fuse src rw,user_id=\n",
				     "1 1 0:1 / / rw - fuse src rw,user_id=x\n",
				     "1 1 0:1 / / rw - fuse src rw,user_id=4294967296\n",
				     "1 1 0:1 / / rw - fuse src rw,user_id=0,user_id=5\n",
				     "1 1 0:1 / / rw - fuse src rw,user_id=5x,\n",
				     "99999999999999999999 1 0:1 / / rw - fuse src rw\n",
				     "1 1 0:1 / / rw - fuse.abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz src rw\n" };
	unsigned long long id = 0;
	long long uid = 0;
	char type[64];

	ok(policy_mountinfo_parse(fuse_user, &id, type, sizeof(type), &uid) && id == 93 &&
	   strcmp(type, "fuse") == 0 && uid == 999, "mountinfo: a user's FUSE mount", NULL);
	ok(policy_mountinfo_parse("25 1 0:5 / /a\\040-\\040b rw shared:1 master:2 - fuse.sshfs "
				  "me@h:/x\\040y rw,user_id=0,group_id=0\n", &id, type,
				  sizeof(type), &uid) && id == 25 && strcmp(type, "fuse.sshfs") == 0 &&
	   uid == 0, "mountinfo: tags, escaped spaces, subtype, root's user_id", NULL);
	ok(policy_mountinfo_parse("26 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw", &id, type,
				  sizeof(type), &uid) && id == 26 && strcmp(type, "ext4") == 0 &&
	   uid == -1, "mountinfo: no user_id, no newline", NULL);
	ok(policy_mountinfo_parse("27 1 0:9 / /n rw - nfs4  rw,vers=4.2,user_id=7\n", &id, type,
				  sizeof(type), &uid) && uid == 7 && strcmp(type, "nfs4") == 0,
	   "mountinfo: empty source", NULL);
	ok(!policy_mountinfo_parse(fuse_user, &id, type, 4, &uid), "mountinfo: type too long for the buffer", NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(!policy_mountinfo_parse(bad[i], &id, type, sizeof(type), &uid),
		   "mountinfo: malformed line refused", bad[i]);

	ok(!policy_mount_trusted("fuse", 999), "FUSE mounted by a user", NULL);
	ok(!policy_mount_trusted("fuseblk", 1000), "fuseblk mounted by a user", NULL);
	ok(!policy_mount_trusted("fuse.bindfs", 33), "fuse.* mounted by a user", NULL);
	ok(!policy_mount_trusted("fuse", -1), "FUSE without user_id", NULL);
	ok(policy_mount_trusted("fuse", 0) && policy_mount_trusted("fuse.sshfs", 0) &&
	   policy_mount_trusted("fuseblk", 0), "FUSE mounted by root", NULL);
	ok(policy_mount_trusted("nfs4", 1000) && policy_mount_trusted("ceph", -1) &&
	   policy_mount_trusted("ext4", -1) && policy_mount_trusted("virtiofs", -1) &&
	   policy_mount_trusted("fusectl", -1), "other file systems", NULL);
}

int main(void)
{
	ids();
	names();
	versions();
	paths();
	targets();
	docroots();
	files();
	env();
	cgi();
	mounts();
	printf("1..%d\n", n);
	return failed != 0;
}
