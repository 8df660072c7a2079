/* policy_cgi_env_keep: Apache compatible mode's CGI environment allowlist
 * (Apache 2.4 suexec's safe_env_lst).
 *
 * Properties: kept exactly per the reference (a name HTTP_x or SSL_x with a
 * non-empty x, or one of the CGI names, compared over the whole name), and
 * so never HTTP_PROXY (httpoxy, CVE-2016-5387), never an entry without '='
 * or with an empty name, never an exported shell function ("() {"), never
 * a name that steers a loader, shell or PHP (LD_*, PHPRC, BASH_ENV, PATH,
 * IFS...), and never TZ or the PHP_FCGI_* numbers (policy_env_keep's). */
#include "fuzz.h"

static const char *const cgi_names[] = {
	"AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "CONTEXT_DOCUMENT_ROOT",
	"CONTEXT_PREFIX", "DATE_GMT", "DATE_LOCAL", "DOCUMENT_ARGS", "DOCUMENT_NAME",
	"DOCUMENT_PATH_INFO", "DOCUMENT_ROOT", "DOCUMENT_URI", "GATEWAY_INTERFACE", "HTTPS",
	"LAST_MODIFIED", "PATH_INFO", "PATH_TRANSLATED", "QUERY_STRING",
	"QUERY_STRING_UNESCAPED", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_PORT",
	"REMOTE_USER", "REDIRECT_ERROR_NOTES", "REDIRECT_HANDLER", "REDIRECT_QUERY_STRING",
	"REDIRECT_REMOTE_USER", "REDIRECT_SCRIPT_FILENAME", "REDIRECT_STATUS", "REDIRECT_URL",
	"REQUEST_METHOD", "REQUEST_URI", "REQUEST_SCHEME", "SCRIPT_FILENAME", "SCRIPT_NAME",
	"SCRIPT_URI", "SCRIPT_URL", "SERVER_ADMIN", "SERVER_NAME", "SERVER_ADDR", "SERVER_PORT",
	"SERVER_PROTOCOL", "SERVER_SIGNATURE", "SERVER_SOFTWARE", "UNIQUE_ID", "USER_NAME",
};

/* Never, whatever the allowlist says (prefixes end in '_' or are whole names). */
static const char *const never[] = {
	"HTTP_PROXY", "LD_", "PHPRC", "PHP_INI_SCAN_DIR", "BASH_ENV", "ENV", "PATH", "IFS",
	"SHELLOPTS", "BASHOPTS", "PS4", "GCONV_PATH", "LOCALPATH", "HOSTALIASES", "RES_OPTIONS",
	"MALLOC_", "GLIBC_TUNABLES", "TZ", "PHP_FCGI_CHILDREN", "PHP_FCGI_MAX_REQUESTS",
	"PERL5LIB", "PERL5OPT", "PYTHONPATH", "PYTHONSTARTUP", "NODE_OPTIONS", "RUBYOPT",
	"BASH_FUNC_", "http_proxy", "HTTPS_PROXY",
};

static bool ref_cgi(const char *e, size_t name)
{
	if (name == 0 || strncmp(e + name, "=() {", 5) == 0)
		return false;
	if (name == 10 && memcmp(e, "HTTP_PROXY", 10) == 0)
		return false;
	if ((name > 5 && memcmp(e, "HTTP_", 5) == 0) || (name > 4 && memcmp(e, "SSL_", 4) == 0))
		return true;
	for (size_t i = 0; i < sizeof(cgi_names) / sizeof(*cgi_names); i++)
		if (strlen(cgi_names[i]) == name && memcmp(e, cgi_names[i], name) == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1];

	fuzz_split(data, size, s, 1);
	const char *e = s[0], *eq = strchr(e, '=');
	bool ok = policy_cgi_env_keep(e);

	if (eq == NULL) {
		CHECK(!ok, "no '=': never kept", e, NULL);
	} else {
		size_t name = (size_t)(eq - e);

		CHECK(ok == ref_cgi(e, name), "kept exactly per the reference", e, NULL);
		if (ok) {
			CHECK(name > 0 && strncmp(eq + 1, "() {", 4) != 0,
			      "a name, and no exported function", e, NULL);
			for (size_t i = 0; i < sizeof(never) / sizeof(*never); i++) {
				size_t k = strlen(never[i]);
				bool prefix = never[i][k - 1] == '_';

				CHECK(prefix ? strncmp(e, never[i], k) != 0
					     : !(name == k && memcmp(e, never[i], k) == 0),
				      "never a dangerous name", e, never[i]);
			}
		}
	}
	fuzz_free(s, 1);
	return 0;
}
