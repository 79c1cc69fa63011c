// SPDX-License-Identifier: BSD-2-Clause
/* report.c: collects verdicts and prints them grouped by MUST and SHOULD, as text or JSON. */
#include "report.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *vname[] = {"PASS", "FAIL", "N/A"};

struct result *report_add(struct report *rep, const char *name, const char *reqs, bool must)
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
	return r;
}

void result_fail(struct result *r, const char *fmt, ...)
{
	size_t used = strlen(r->detail);
	if (used && used + 2 < sizeof(r->detail)) {
		strcat(r->detail, "; ");
		used += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	if (used < sizeof(r->detail))
		vsnprintf(r->detail + used, sizeof(r->detail) - used, fmt, ap);
	va_end(ap);
	r->verdict = V_FAIL;
}

bool report_ok(const struct report *rep)
{
	for (int i = 0; i < rep->n; i++)
		if (rep->r[i].must && rep->r[i].verdict == V_FAIL)
			return false;
	return true;
}

static void counts(const struct report *rep, bool must, int c[3])
{
	c[0] = c[1] = c[2] = 0;
	for (int i = 0; i < rep->n; i++)
		if (rep->r[i].must == must)
			c[rep->r[i].verdict]++;
}

void report_text(const struct report *rep, FILE *f)
{
	fprintf(f, "rtr-conform %s\n", rep->mode);
	if (rep->note[0])
		fprintf(f, "note: %s\n", rep->note);
	for (int g = 0; g < 2; g++) {
		bool must = g == 0;
		int c[3];
		counts(rep, must, c);
		fprintf(f, "\n%s (%d pass, %d fail, %d n/a)\n", must ? "MUST" : "SHOULD", c[0],
			c[1], c[2]);
		for (int i = 0; i < rep->n; i++) {
			const struct result *r = &rep->r[i];
			if (r->must != must)
				continue;
			fprintf(f, "  %-4s %-40s [%s]\n", vname[r->verdict], r->name, r->reqs);
			if (r->verdict != V_PASS && r->detail[0])
				fprintf(f, "       %s\n", r->detail);
		}
	}
	fprintf(f, "\nverdict: %s\n",
		report_ok(rep) ? "conforms (every MUST passed)"
			       : "does not conform (a MUST failed)");
}

int report_json(const struct report *rep, FILE *f)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "mode", json_object_new_string(rep->mode));
	json_object_object_add(root, "conforms", json_object_new_boolean(report_ok(rep)));
	if (rep->note[0])
		json_object_object_add(root, "note", json_object_new_string(rep->note));
	for (int g = 0; g < 2; g++) {
		bool must = g == 0;
		json_object *arr = json_object_new_array();
		for (int i = 0; i < rep->n; i++) {
			const struct result *r = &rep->r[i];
			if (r->must != must)
				continue;
			json_object *o = json_object_new_object();
			json_object_object_add(o, "case", json_object_new_string(r->name));
			json_object_object_add(o, "verdict",
					       json_object_new_string(vname[r->verdict]));
			json_object *reqs = json_object_new_array();
			char buf[128];
			snprintf(buf, sizeof(buf), "%s", r->reqs);
			for (char *save = NULL, *t = strtok_r(buf, " ", &save); t;
			     t = strtok_r(NULL, " ", &save))
				json_object_array_add(reqs, json_object_new_string(t));
			json_object_object_add(o, "requirements", reqs);
			if (r->verdict != V_PASS)
				json_object_object_add(o, "detail",
						       json_object_new_string(r->detail));
			json_object_array_add(arr, o);
		}
		json_object_object_add(root, must ? "must" : "should", arr);
	}
	int c[3], s[3];
	counts(rep, true, c);
	counts(rep, false, s);
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "must_pass", json_object_new_int(c[0]));
	json_object_object_add(sum, "must_fail", json_object_new_int(c[1]));
	json_object_object_add(sum, "must_na", json_object_new_int(c[2]));
	json_object_object_add(sum, "should_pass", json_object_new_int(s[0]));
	json_object_object_add(sum, "should_fail", json_object_new_int(s[1]));
	json_object_object_add(sum, "should_na", json_object_new_int(s[2]));
	json_object_object_add(root, "summary", sum);
	int rc = fprintf(f, "%s\n",
			 json_object_to_json_string_ext(
				 root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return rc < 0 ? -1 : 0;
}

void report_free(struct report *rep)
{
	free(rep->r);
	rep->r = NULL;
	rep->n = rep->cap = 0;
}
