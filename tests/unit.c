/* Unit tests of the pure policy decisions (policy.c), TAP output.
 * Built against a fixed policy: DOCROOT=/var/www, UID_MIN=GID_MIN=1000. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
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
	/* The php-cgi found through Debian's alternatives names its version: its php.ini's. */
	static const struct { const char *name, *version; } cgi[] = {
		{ "php-cgi8.2", "8.2" }, { "php-cgi8.4", "8.4" }, { "php-cgi10.12", "10.12" },
		{ "php-cgi", NULL }, { "php-cgi8", NULL }, { "php-cgi8.2.1", NULL },
		{ "php-cgi8.2-x", NULL }, { "php8.2", NULL }, { "php-fpm8.2", NULL },
		{ "xphp-cgi8.2", NULL }, { "php-cgi../8.2", NULL }, { "", NULL },
	};
	for (size_t i = 0; i < sizeof(cgi) / sizeof(*cgi); i++) {
		const char *v = policy_cgi_version(cgi[i].name, "php-cgi");
		ok(cgi[i].version != NULL ? v != NULL && strcmp(v, cgi[i].version) == 0 : v == NULL,
		   cgi[i].version != NULL ? "php-cgi's version from its name" :
		   "no version from a name that is not php-cgi and one", cgi[i].name);
	}
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

/* policy_limit_parse: every value a root-owned limit file may hold, and what must be refused. */
static void limits(void)
{
	static const struct { int i; const char *s; unsigned long long v; } good[] = {
		{ LIM_NPROC, "64", 64 }, { LIM_NPROC, "64\n", 64 }, { LIM_NPROC, "1", 1 },
		{ LIM_NPROC, "4194304", 1ULL << 22 }, { LIM_NPROC, "4194304\n", 1ULL << 22 },
		{ LIM_NPROC, "unlimited", RLIM_INFINITY }, { LIM_NPROC, "unlimited\n", RLIM_INFINITY },
		{ LIM_NPROC, "0064", 64 }, { LIM_NPROC, "0000000000000000064", 64 }, /* 19 digits */
		{ LIM_DATA, "1", 1 }, { LIM_DATA, "256M", 256ULL << 20 }, { LIM_DATA, "1G\n", 1ULL << 30 },
		{ LIM_DATA, "1K", 1024 }, { LIM_DATA, "3T", 3ULL << 40 }, { LIM_DATA, "1024T", 1ULL << 50 },
		{ LIM_DATA, "1048576G", 1ULL << 50 }, { LIM_DATA, "1073741824M", 1ULL << 50 },
		{ LIM_DATA, "1099511627776K", 1ULL << 50 }, { LIM_DATA, "1125899906842624", 1ULL << 50 },
		{ LIM_DATA, "unlimited", RLIM_INFINITY }, { LIM_DATA, "unlimited\n", RLIM_INFINITY },
		{ LIM_NOFILE, "1", 1 }, { LIM_NOFILE, "1024\n", 1024 }, { LIM_NOFILE, "1048576", 1ULL << 20 },
		{ LIM_FSIZE, "1", 1 }, { LIM_FSIZE, "64M\n", 64ULL << 20 }, { LIM_FSIZE, "1024T", 1ULL << 50 },
		{ LIM_FSIZE, "1125899906842624\n", 1ULL << 50 }, { LIM_FSIZE, "unlimited", RLIM_INFINITY },
		{ LIM_FSIZE, "unlimited\n", RLIM_INFINITY },
		{ LIM_NICE, "0", 0 }, { LIM_NICE, "0\n", 0 }, { LIM_NICE, "10", 10 }, { LIM_NICE, "19", 19 },
		{ LIM_NICE, "19\n", 19 },
		{ LIM_OOM, "0", 0 }, { LIM_OOM, "500\n", 500 }, { LIM_OOM, "1000", 1000 },
		{ LIM_OOM, "1000\n", 1000 },
		{ LIM_PM, "ondemand", 0 }, { LIM_PM, "ondemand\n", 0 }, { LIM_PM, "dynamic", 1 },
		{ LIM_PM, "static\n", 2 }, { LIM_PM + 1, "1", 1 }, { LIM_PM + 1, "4096\n", 4096 },
		{ LIM_PM + 2, "2", 2 }, { LIM_PM + 3, "1\n", 1 }, { LIM_PM + 4, "4096", 4096 },
		{ LIM_PM + 5, "1", 1 }, { LIM_PM + 5, "86400", 86400 }, { LIM_PM + 6, "0", 0 },
		{ LIM_PM + 6, "2147483647\n", 2147483647 }, { LIM_PM + 7, "0\n", 0 },
		{ LIM_PM + 7, "86400", 86400 },
	};
	/* refused for every limit (each would be in range as "1") */
	static const char *bad[] = {
		"", "\n", "-1", "+1", " 1", "1 ", "\t1", "1\t", "1\n\n", "1\r\n", "\n1", "1\n1", "6 4",
		"0x1", "1.0", "1e3", "1,000", "one", "00000000000000000001" /* 20 digits */,
		"99999999999999999999", "18446744073709551616" /* 2^64, wraps to 0 */,
		"18446744073709551617" /* 2^64 + 1, wraps to 1 */, "9999999999999999999",
		"UNLIMITED", "Unlimited", "unlimited ", " unlimited", "unlimitedx", "unlimite",
		"unlimited\n\n", "unlimited\r\n", "infinity", "-unlimited",
		"1P", "1E", "1KB", "1KK", "1KiB", "1k", "1m", "1g", "1t", "K", "M\n", "1 K", "1\nK",
		"1K\n\n", "1K ", "K1",
	};
	static const struct { int i; const char *s; } refused[] = {
		{ LIM_NPROC, "0" }, { LIM_NPROC, "0\n" }, { LIM_NPROC, "000" }, { LIM_DATA, "0" },
		{ LIM_DATA, "0K" }, { LIM_DATA, "0T\n" }, { LIM_NOFILE, "0" }, { LIM_FSIZE, "0" },
		{ LIM_FSIZE, "0G" },
		{ LIM_NPROC, "4194305" }, { LIM_NPROC, "4194305\n" }, { LIM_NOFILE, "1048577" },
		{ LIM_DATA, "1125899906842625" }, { LIM_DATA, "1025T" }, { LIM_DATA, "1048577G" },
		{ LIM_DATA, "1073741825M" }, { LIM_DATA, "1099511627777K" }, { LIM_DATA, "1048577T" },
		{ LIM_DATA, "16777216T" } /* 2^64: wraps to 0 */, { LIM_DATA, "16777217T" } /* wraps to 1T */,
		{ LIM_DATA, "9999999999999999999T" }, { LIM_DATA, "18014398509481985K" } /* 2^54+1: wraps to 1K */,
		{ LIM_FSIZE, "1125899906842625" }, { LIM_FSIZE, "1025T\n" }, { LIM_FSIZE, "1048577G" },
		{ LIM_NICE, "20" }, { LIM_NICE, "64" }, { LIM_NICE, "19\n\n" }, { LIM_OOM, "1001" },
		{ LIM_OOM, "1001\n" }, { LIM_OOM, "4294967296" },
		{ LIM_NOFILE, "unlimited" }, { LIM_NOFILE, "unlimited\n" }, { LIM_NICE, "unlimited" },
		{ LIM_OOM, "unlimited" }, { LIM_OOM, "unlimited\n" },
		{ LIM_NPROC, "1K" }, { LIM_NPROC, "1M" }, { LIM_NOFILE, "1K" }, { LIM_NOFILE, "1K\n" },
		{ LIM_NICE, "1K" }, { LIM_OOM, "1K" }, { LIM_OOM, "1G" },
		{ LIM_PM, "Ondemand" }, { LIM_PM, "ondemand " }, { LIM_PM, "ondemand\n\n" },
		{ LIM_PM, "on-demand" }, { LIM_PM, "ondemandx" }, { LIM_PM, "0" }, { LIM_PM, "static\r\n" },
		{ LIM_PM, "dynamic;" }, { LIM_PM + 1, "0" }, { LIM_PM + 1, "4097" }, { LIM_PM + 2, "0" },
		{ LIM_PM + 3, "0\n" }, { LIM_PM + 4, "4097\n" }, { LIM_PM + 5, "0" },
		{ LIM_PM + 5, "86401" }, { LIM_PM + 5, "10s" }, { LIM_PM + 6, "2147483648" }, { LIM_PM + 6, "2147483649" },
		{ LIM_PM + 6, "unlimited" }, { LIM_PM + 7, "86401" }, { LIM_PM + 7, "1m" },
		{ LIM_PM + 1, "1K" }, { LIM_PM + 7, "unlimited" },
	};
	static const char *names[] = { "nproc", "data", "nofile", "fsize", "nice", "oom_score_adj",
		"pm", "pm.max_children", "pm.start_servers", "pm.min_spare_servers",
		"pm.max_spare_servers", "pm.process_idle_timeout", "pm.max_requests",
		"request_terminate_timeout" };
	char what[96];

	ok(LIMITS_N == 14 && LIM_NPROC == 0 && LIM_DATA == 1 && LIM_NOFILE == 2 && LIM_FSIZE == 3 &&
	   LIM_NICE == 4 && LIM_OOM == 5 && LIM_PM == 6, "limits: fourteen, in the documented order",
	   NULL);
	ok(strcmp(policy_pm_names[0], "ondemand") == 0 && strcmp(policy_pm_names[1], "dynamic") == 0 &&
	   strcmp(policy_pm_names[2], "static") == 0, "limits: pm's words", NULL);
	for (int i = 0; i < LIMITS_N; i++)
		ok(policy_limit_names[i] != NULL && strcmp(policy_limit_names[i], names[i]) == 0,
		   "limits: name", names[i]);
	for (size_t k = 0; k < sizeof(good) / sizeof(*good); k++) {
		unsigned long long v = 12345;

		snprintf(what, sizeof(what), "limit %s accepted with its value", names[good[k].i]);
		ok(policy_limit_parse(good[k].i, good[k].s, &v) && v == good[k].v, what, good[k].s);
	}
	for (int i = 0; i < LIMITS_N; i++)
		for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++) {
			unsigned long long v;

			snprintf(what, sizeof(what), "limit %s refused", names[i]);
			ok(!policy_limit_parse(i, bad[k], &v), what, bad[k]);
		}
	for (size_t k = 0; k < sizeof(refused) / sizeof(*refused); k++) {
		unsigned long long v;

		snprintf(what, sizeof(what), "limit %s refused", names[refused[k].i]);
		ok(!policy_limit_parse(refused[k].i, refused[k].s, &v), what, refused[k].s);
	}
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
	limits();
	printf("1..%d\n", n);
	return failed != 0;
}
