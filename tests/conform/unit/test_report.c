// SPDX-License-Identifier: BSD-2-Clause
/* test_report.c: rtr-conform's verdict rules (levels, --strict, INCONCLUSIVE) and its reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "report.h"

/* A report's text in one buffer (open_memstream). */
static char *render(const struct report *rep, int (*fn)(const struct report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (fn)
		assert_int_equal(fn(rep, f), 0);
	else
		report_text(rep, f);
	fclose(f);
	return buf;
}

static void test_status_follows_draft_musts(void **state)
{
	(void)state;
	struct report rep = {.mode = "server"};
	report_add(&rep, "a", "REQ-1", true, L_DRAFT);
	struct result *p = report_add(&rep, "b", "PRB-6", true, L_PROFILE);
	struct result *s = report_add(&rep, "c", "EXT-4", false, L_DRAFT);
	assert_int_equal(report_status(&rep), 0);
	result_fail(p, "profile deviation");
	result_fail(s, "a SHOULD");
	assert_int_equal(report_status(&rep), 0); /* neither gates by default */
	rep.strict = true;
	assert_int_equal(report_status(&rep), 1); /* --strict: the profile MUST gates */
	rep.strict = false;
	result_inconclusive(&rep.r[0], "no probe");
	assert_int_equal(report_status(&rep), 3);
	result_fail(&rep.r[0], "wrong state");
	assert_int_equal(report_status(&rep), 1);
	report_free(&rep);
}

static void test_inconclusive_never_hides_a_failure(void **state)
{
	(void)state;
	struct report rep = {.mode = "client"};
	struct result *r = report_add(&rep, "x", "REQ-1", true, L_DRAFT);
	result_inconclusive(r, "too few requests");
	assert_int_equal(r->verdict, V_INCONCLUSIVE);
	assert_string_equal(r->detail, "too few requests");
	/* A failure replaces the "could not judge" reason; later ones append. */
	result_fail(r, "first");
	result_fail(r, "second");
	assert_int_equal(r->verdict, V_FAIL);
	assert_string_equal(r->detail, "first; second");
	result_inconclusive(r, "ignored");
	assert_int_equal(r->verdict, V_FAIL);
	assert_string_equal(r->detail, "first; second");
	result_na(r, "does not apply");
	assert_int_equal(r->verdict, V_NA);
	assert_string_equal(r->detail, "does not apply");
	report_free(&rep);
}

static void test_junit_escapes_and_counts(void **state)
{
	(void)state;
	struct report rep = {.mode = "server"};
	result_fail(report_add(&rep, "f-v4", "ANS-1 ANS-3", true, L_DRAFT), "<a & \"b\"> 'c'\x01");
	result_inconclusive(report_add(&rep, "i-v4", "SES-3", true, L_DRAFT), "no probe");
	report_add(&rep, "p-v4", "REQ-1", true, L_DRAFT);
	result_na(report_add(&rep, "n-v4", "PRB-5", false, L_PROFILE), "no {timeout}");
	char *x = render(&rep, report_junit);
	assert_non_null(strstr(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
	assert_non_null(strstr(x, "<testsuite name=\"rtr-conform server draft MUST\" tests=\"3\" "
				  "failures=\"1\" errors=\"1\" skipped=\"0\">"));
	assert_non_null(strstr(x, "<testsuite name=\"rtr-conform server profile SHOULD\" "
				  "tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\">"));
	assert_null(strstr(x, "draft SHOULD")); /* empty groups are left out */
	assert_non_null(
		strstr(x, "<testcase name=\"f-v4\" classname=\"rtr-conform.server.draft."
			  "MUST\">\n      <failure message=\"&lt;a &amp; &quot;b&quot;&gt; "
			  "&apos;c&apos; \" type=\"FAIL\">requirements: ANS-1 ANS-3</failure>"));
	assert_non_null(strstr(x, "<error message=\"no probe\" type=\"INCONCLUSIVE\">"));
	assert_non_null(strstr(x, "<testcase name=\"p-v4\" classname=\"rtr-conform.server.draft."
				  "MUST\"></testcase>"));
	assert_non_null(strstr(x, "<skipped message=\"no {timeout}\" type=\"N/A\">"));
	assert_non_null(strstr(x, "</testsuites>\n"));
	free(x);
	report_free(&rep);
}

static void test_json_carries_level_and_strength(void **state)
{
	(void)state;
	struct report rep = {.mode = "client", .strict = true};
	result_fail(report_add(&rep, "a-v6", "CLI-2", true, L_PROFILE), "reused");
	report_add(&rep, "b-v6", "REQ-1 REQ-2", true, L_DRAFT);
	char *x = render(&rep, report_json);
	json_object *root = json_tokener_parse(x);
	assert_non_null(root);
	json_object *v, *cases, *c;
	assert_true(json_object_object_get_ex(root, "status", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(root, "strict", &v) && json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(root, "cases", &cases));
	assert_int_equal(json_object_array_length(cases), 2);
	c = json_object_array_get_idx(cases, 0);
	assert_true(json_object_object_get_ex(c, "level", &v));
	assert_string_equal(json_object_get_string(v), "profile");
	assert_true(json_object_object_get_ex(c, "strength", &v));
	assert_string_equal(json_object_get_string(v), "MUST");
	assert_true(json_object_object_get_ex(c, "detail", &v));
	assert_string_equal(json_object_get_string(v), "reused");
	c = json_object_array_get_idx(cases, 1);
	assert_true(json_object_object_get_ex(c, "requirements", &v));
	assert_int_equal(json_object_array_length(v), 2);
	assert_false(json_object_object_get_ex(c, "detail", &v)); /* PASS: no detail */
	json_object_put(root);
	free(x);
	report_free(&rep);
}

static void test_text_sections_by_level(void **state)
{
	(void)state;
	struct report rep = {.mode = "server"};
	result_inconclusive(report_add(&rep, "d-v4", "ANS-1", true, L_DRAFT), "no probe");
	result_fail(report_add(&rep, "p-v4", "PRB-7", true, L_PROFILE), "window 29200");
	char *x = render(&rep, NULL);
	const char *d =
		strstr(x, "\ndraft MUST (0 pass, 0 fail, 1 inconclusive, 0 n/a)\n  INC  d-v4");
	const char *p =
		strstr(x, "\nprofile MUST (0 pass, 1 fail, 0 inconclusive, 0 n/a)\n  FAIL p-v4");
	assert_non_null(d);
	assert_non_null(p);
	assert_true(d < p);
	assert_non_null(strstr(x, "       window 29200\n"));
	assert_non_null(strstr(x, "verdict: inconclusive (no MUST failed, but some could not be "
				  "played)\n"));
	free(x);
	report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_follows_draft_musts),
		cmocka_unit_test(test_inconclusive_never_hides_a_failure),
		cmocka_unit_test(test_junit_escapes_and_counts),
		cmocka_unit_test(test_json_carries_level_and_strength),
		cmocka_unit_test(test_text_sections_by_level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
