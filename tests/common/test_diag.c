// SPDX-License-Identifier: BSD-2-Clause
/* test_diag.c: common/diag.c: the exact line each call prints, the code it returns or exits with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"

/* Runs fn with stderr sent to a temporary file; returns what it wrote (static buffer). */
static const char *captured(void (*fn)(void))
{
	static char buf[4096];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	fn();
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static int err_code;

static void call_warn(void)
{
	rtr_warn("cannot read %s: %s", "x.pcap", "No such file");
}
static void call_err(void)
{
	err_code = rtr_err(2, "-n wants 1-%u", 16777216u);
}
static void call_plain(void)
{
	rtr_warn("out of memory");
}
static void call_long(void)
{
	char big[3000];

	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rtr_warn("log | %s |", big);
}

static void test_default_prefix(void **state)
{
	(void)state;
	assert_string_equal(captured(call_plain), "rtr: out of memory\n");
}

static void test_warn_line(void **state)
{
	(void)state;
	rtr_diag_prog("rtr-test");
	assert_string_equal(captured(call_warn), "rtr-test: cannot read x.pcap: No such file\n");
}

static void test_err_returns_code(void **state)
{
	(void)state;
	rtr_diag_prog("rtr-test");
	err_code = -1;
	assert_string_equal(captured(call_err), "rtr-test: -n wants 1-16777216\n");
	assert_int_equal(err_code, 2);
}

/* A long message (a verifier log) is printed whole, on one line. */
static void test_long_line_whole(void **state)
{
	const char *out;

	(void)state;
	rtr_diag_prog("rtr-test");
	out = captured(call_long);
	assert_int_equal(strlen(out), strlen("rtr-test: log |  |\n") + 2999);
	assert_non_null(strstr(out, "v |\n"));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1); /* one line */
}

/* rtr_die exits with its code after the line; checked in a child. */
static void test_die_exits(void **state)
{
	int fds[2], status;
	char buf[256] = {0};
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		rtr_diag_prog("rtr-child");
		rtr_die(3, "no interface named '%s'", "nope0");
	}
	close(fds[1]);
	/* Until EOF: the line may come in several writes (stderr is unbuffered). */
	for (size_t got = 0; got < sizeof(buf) - 1;) {
		ssize_t n = read(fds[0], buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	assert_string_equal(buf, "rtr-child: no interface named 'nope0'\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_prefix),	 cmocka_unit_test(test_warn_line),
		cmocka_unit_test(test_err_returns_code), cmocka_unit_test(test_long_line_whole),
		cmocka_unit_test(test_die_exits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
