/* tests/asan/options.c - linked into the sanitizer test builds of the
 * launcher only (mk/asan.mk); never into a release build.
 *
 * The launcher clears its environment and the tests start it with an
 * environment of their choosing, so ASAN_OPTIONS cannot reach it: the
 * sanitizers' options are compiled in here. FSX_ASAN_LOG (a -D from
 * mk/asan.mk) is the report file prefix; each report goes to PREFIX.PID,
 * where `make check-asan` finds it whichever test or caller started the
 * process, and the process exits with status 86, which no check uses.
 *
 * allocator_may_return_null=1: the launcher sets the site's RLIMIT_DATA as
 * its last step before the exec, and ASan's allocator maps memory as it
 * goes, which that limit then refuses; a refusal after it (the exec failing
 * with EAGAIN at the site's process cap) must see malloc return NULL, as the
 * launcher handles, not an ASan report in place of its own exit status.
 */
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef FSX_ASAN_LOG
#error "build with -DFSX_ASAN_LOG=\"/path/prefix\" (mk/asan.mk)"
#endif

#define COMMON "log_path=" FSX_ASAN_LOG ":exitcode=86:print_summary=1:handle_abort=1"

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__lsan_default_options(void);
int __lsan_is_turned_off(void);

const char *__asan_default_options(void)
{
	return COMMON ":detect_leaks=1:halt_on_error=1:abort_on_error=0"
	       ":strict_string_checks=1:detect_stack_use_after_return=1"
	       ":check_initialization_order=1:strict_init_order=1"
	       ":detect_invalid_pointer_pairs=0:allocator_may_return_null=1";
}

const char *__ubsan_default_options(void)
{
	return COMMON ":halt_on_error=1:print_stacktrace=1";
}

const char *__lsan_default_options(void)
{
	return COMMON;
}

/* LeakSanitizer checks at exit by stopping the process with ptrace from a
 * helper task (it makes the process dumpable for that itself). That works
 * on every path that ends before the worker's confinement: the refusals,
 * -V, --check, --audit. It cannot once seccomp denies ptrace, nor under
 * Landlock (it lists /proc/self/task, which the domain hides): there only
 * the exit after a failed execveat is left, and the leak check is skipped
 * rather than turned into a "fatal error" that changes the exit status. */
int __lsan_is_turned_off(void)
{
	int fd;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0) /* 2: filter mode (or killed: 0/-1) */
		return 1;
	fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}
