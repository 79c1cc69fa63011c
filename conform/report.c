// SPDX-License-Identifier: BSD-2-Clause
/* report.c: collects verdicts and prints them by level (draft, profile) as text, JSON or JUnit. */
#include "report.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const verdict_name[4] = {"PASS", "FAIL", "N/A", "INCONCLUSIVE"};
const char *const level_name[2] = {"draft", "profile"};

struct result *report_add(struct report *rep, const char *name, const char *reqs, bool must,
			  int level)
{
	if (rep->n == rep->cap) {
		int cap = rep->cap ? rep->cap * 2 : 64;
		struct result *r = realloc(rep->r, (size_t)cap * sizeof(*r));
		if (!r)
			abort();
		rep->r = r;
		rep->cap = cap;
	}
	struct result *r = &rep->r[rep->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->reqs = reqs;
	r->must = must;
	r->level = level;
	return r;
}

static void add_reason(struct result *r, const char *fmt, va_list ap)
{
	size_t used = strlen(r->detail);
	if (used && used + 2 < sizeof(r->detail)) {
		strcat(r->detail, "; ");
		used += 2;
	}
	if (used < sizeof(r->detail))
		vsnprintf(r->detail + used, sizeof(r->detail) - used, fmt, ap);
}

void result_fail(struct result *r, const char *fmt, ...)
{
	if (r->verdict != V_FAIL)
		r->detail[0] = 0; /* an earlier "could not judge" reason no longer applies */
	va_list ap;
	va_start(ap, fmt);
	add_reason(r, fmt, ap);
	va_end(ap);
	r->verdict = V_FAIL;
}

void result_inconclusive(struct result *r, const char *fmt, ...)
{
	if (r->verdict == V_FAIL)
		return;
	va_list ap;
	va_start(ap, fmt);
	add_reason(r, fmt, ap);
	va_end(ap);
	r->verdict = V_INCONCLUSIVE;
}

void result_na(struct result *r, const char *fmt, ...)
{
	r->detail[0] = 0;
	va_list ap;
	va_start(ap, fmt);
	add_reason(r, fmt, ap);
	va_end(ap);
	r->verdict = V_NA;
}

static bool gates(const struct report *rep, const struct result *r)
{
	return r->must && (r->level == L_DRAFT || rep->strict);
}

int report_status(const struct report *rep)
{
	int st = 0;
	for (int i = 0; i < rep->n; i++) {
		if (!gates(rep, &rep->r[i]))
			continue;
		if (rep->r[i].verdict == V_FAIL)
			return 1;
		if (rep->r[i].verdict == V_INCONCLUSIVE)
			st = 3;
	}
	return st;
}

/* Groups in report order: draft MUST, draft SHOULD, profile MUST, profile SHOULD. */
static bool in_group(const struct result *r, int g)
{
	return r->level == g / 2 && r->must == (g % 2 == 0);
}

static void counts(const struct report *rep, int g, int c[4])
{
	c[0] = c[1] = c[2] = c[3] = 0;
	for (int i = 0; i < rep->n; i++)
		if (in_group(&rep->r[i], g))
			c[rep->r[i].verdict]++;
}

static const char *group_name(int g)
{
	static const char *const n[4] = {"draft MUST", "draft SHOULD", "profile MUST",
					 "profile SHOULD"};
	return n[g];
}

static const char *status_text(const struct report *rep)
{
	switch (report_status(rep)) {
	case 0:
		return rep->strict ? "conforms (every draft and profile MUST passed)"
				   : "conforms to the draft (every draft MUST passed)";
	case 3:
		return "inconclusive (no MUST failed, but some could not be played)";
	}
	return rep->strict ? "does not conform (a draft or profile MUST failed)"
			   : "does not conform (a draft MUST failed)";
}

void report_text(const struct report *rep, FILE *f)
{
	fprintf(f, "rtr-conform %s%s\n", rep->mode, rep->strict ? " (strict)" : "");
	if (rep->note[0])
		fprintf(f, "note: %s\n", rep->note);
	for (int g = 0; g < 4; g++) {
		int c[4];
		counts(rep, g, c);
		if (c[0] + c[1] + c[2] + c[3] == 0)
			continue;
		fprintf(f, "\n%s (%d pass, %d fail, %d inconclusive, %d n/a)\n", group_name(g),
			c[0], c[1], c[3], c[2]);
		for (int i = 0; i < rep->n; i++) {
			const struct result *r = &rep->r[i];
			if (!in_group(r, g))
				continue;
			fprintf(f, "  %-4s %-40s [%s]\n",
				r->verdict == V_INCONCLUSIVE ? "INC" : verdict_name[r->verdict],
				r->name, r->reqs);
			if (r->verdict != V_PASS && r->detail[0])
				fprintf(f, "       %s\n", r->detail);
		}
	}
	fprintf(f, "\nverdict: %s\n", status_text(rep));
}

static json_object *reqs_array(const char *reqs)
{
	json_object *a = json_object_new_array();
	char buf[160];
	snprintf(buf, sizeof(buf), "%s", reqs);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		json_object_array_add(a, json_object_new_string(t));
	return a;
}

int report_json(const struct report *rep, FILE *f)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "mode", json_object_new_string(rep->mode));
	json_object_object_add(root, "strict", json_object_new_boolean(rep->strict));
	json_object_object_add(root, "conforms", json_object_new_boolean(report_status(rep) == 0));
	json_object_object_add(root, "status", json_object_new_int(report_status(rep)));
	if (rep->note[0])
		json_object_object_add(root, "note", json_object_new_string(rep->note));
	json_object *arr = json_object_new_array();
	for (int i = 0; i < rep->n; i++) {
		const struct result *r = &rep->r[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "case", json_object_new_string(r->name));
		json_object_object_add(o, "level", json_object_new_string(level_name[r->level]));
		json_object_object_add(o, "strength",
				       json_object_new_string(r->must ? "MUST" : "SHOULD"));
		json_object_object_add(o, "verdict",
				       json_object_new_string(verdict_name[r->verdict]));
		json_object_object_add(o, "requirements", reqs_array(r->reqs));
		if (r->verdict != V_PASS)
			json_object_object_add(o, "detail", json_object_new_string(r->detail));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "cases", arr);
	json_object *sum = json_object_new_object();
	for (int g = 0; g < 4; g++) {
		int c[4];
		counts(rep, g, c);
		json_object *s = json_object_new_object();
		for (int v = 0; v < 4; v++)
			json_object_object_add(s, verdict_name[v], json_object_new_int(c[v]));
		json_object_object_add(sum, group_name(g), s);
	}
	json_object_object_add(root, "summary", sum);
	int rc = fprintf(f, "%s\n",
			 json_object_to_json_string_ext(
				 root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return rc < 0 ? -1 : 0;
}

/* Text as XML attribute or element content: the five special characters and no controls. */
static void xml_put(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '&')
			fputs("&amp;", f);
		else if (ch == '<')
			fputs("&lt;", f);
		else if (ch == '>')
			fputs("&gt;", f);
		else if (ch == '"')
			fputs("&quot;", f);
		else if (ch == '\'')
			fputs("&apos;", f);
		else if (ch < 0x20 && ch != '\n' && ch != '\t')
			fputc(' ', f);
		else
			fputc(ch, f);
	}
}

int report_junit(const struct report *rep, FILE *f)
{
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rtr-conform "
		"%s\">\n",
		rep->mode);
	for (int g = 0; g < 4; g++) {
		int c[4];
		counts(rep, g, c);
		if (c[0] + c[1] + c[2] + c[3] == 0)
			continue;
		fprintf(f,
			"  <testsuite name=\"rtr-conform %s %s\" tests=\"%d\" failures=\"%d\" "
			"errors=\"%d\" skipped=\"%d\">\n",
			rep->mode, group_name(g), c[0] + c[1] + c[2] + c[3], c[1], c[3], c[2]);
		for (int i = 0; i < rep->n; i++) {
			const struct result *r = &rep->r[i];
			if (!in_group(r, g))
				continue;
			fprintf(f, "    <testcase name=\"");
			xml_put(f, r->name);
			fprintf(f, "\" classname=\"rtr-conform.%s.%s.%s\">", rep->mode,
				level_name[r->level], r->must ? "MUST" : "SHOULD");
			/* FAIL: failure; INCONCLUSIVE: error (the case could not run); N/A:
			 * skipped. */
			static const char *const tag[4] = {NULL, "failure", "skipped", "error"};
			if (tag[r->verdict]) {
				fprintf(f, "\n      <%s message=\"", tag[r->verdict]);
				xml_put(f, r->detail);
				fprintf(f,
					"\" type=\"%s\">requirements: ", verdict_name[r->verdict]);
				xml_put(f, r->reqs);
				fprintf(f, "</%s>\n    ", tag[r->verdict]);
			}
			fprintf(f, "</testcase>\n");
		}
		fprintf(f, "  </testsuite>\n");
	}
	return fprintf(f, "</testsuites>\n") < 0 ? -1 : 0;
}

void report_free(struct report *rep)
{
	free(rep->r);
	rep->r = NULL;
	rep->n = rep->cap = 0;
}
