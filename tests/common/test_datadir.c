// SPDX-License-Identifier: BSD-2-Clause
/* test_datadir.c: common/datadir.c: RTR_DATADIR wins alone, the binary's ../share/rtr comes next,
 * the path reported when nothing is found. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "datadir.h"

static char dir[] = "/tmp/rtr-datadir-XXXXXX";

static int setup(void **st)
{
	(void)st;
	if (!mkdtemp(dir))
		return -1;
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/topologies", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/topologies/x.topo", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fputs("topology x\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/topologies/x.topo", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/topologies", dir);
	rmdir(p);
	rmdir(dir);
	return 0;
}

static void t_override_found(void **st)
{
	(void)st;
	char path[PATH_MAX], want[PATH_MAX];
	setenv("RTR_DATADIR", dir, 1);
	assert_int_equal(rtr_datadir_find("topologies/x.topo", path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/topologies/x.topo", dir);
	assert_string_equal(path, want);
}

/* An override without the file is not silently replaced by another copy: the message names it. */
static void t_override_missing(void **st)
{
	(void)st;
	char path[PATH_MAX], want[PATH_MAX];
	setenv("RTR_DATADIR", dir, 1);
	assert_int_equal(rtr_datadir_find("ENDPOINTS", path, sizeof(path)), -1);
	snprintf(want, sizeof(want), "%s/ENDPOINTS", dir);
	assert_string_equal(path, want);
}

/* Without an override the first place is ../share/rtr next to this program, canonical. */
static void t_next_to_binary(void **st)
{
	(void)st;
	char path[PATH_MAX], exe[PATH_MAX], want[PATH_MAX + 32];
	unsetenv("RTR_DATADIR");
	setenv("RTR_DATADIR", "", 1); /* empty counts as unset */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	*strrchr(exe, '/') = '\0';
	/* build/san/tests/common/test_datadir: ../share/rtr is build/san/tests/share/rtr. */
	snprintf(want, sizeof(want), "%s/share/rtr/topologies", exe);
	char mk[3 * PATH_MAX];
	snprintf(mk, sizeof(mk), "mkdir -p '%s' && cp '%s/topologies/x.topo' '%s/'", want, dir,
		 want);
	assert_int_equal(system(mk), 0);
	assert_int_equal(rtr_datadir_find("topologies/x.topo", path, sizeof(path)), 0);
	snprintf(mk, sizeof(mk), "%s/x.topo", want);
	assert_string_equal(path, mk);
	unlink(mk);
	rmdir(want);
	*strrchr(want, '/') = '\0';
	rmdir(want);
	*strrchr(want, '/') = '\0';
	rmdir(want);
}

static void t_too_long(void **st)
{
	(void)st;
	char path[16];
	setenv("RTR_DATADIR", dir, 1);
	assert_int_equal(rtr_datadir_find("topologies/x.topo", path, sizeof(path)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_override_found),
		cmocka_unit_test(t_override_missing),
		cmocka_unit_test(t_next_to_binary),
		cmocka_unit_test(t_too_long),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
