/* SPDX-License-Identifier: BSD-2-Clause */
/* report.h: rtr-conform's per-case verdicts and their text and JSON reports. */
#ifndef CONFORM_REPORT_H
#define CONFORM_REPORT_H

#include <stdbool.h>
#include <stdio.h>

enum verdict { V_PASS = 0, V_FAIL = 1, V_NA = 2 };

struct result {
	char name[64];
	const char *reqs; /* requirement ids of docs/PROTOCOL.md, blank separated */
	bool must;
	int verdict;
	char detail[1024]; /* FAIL: expected vs seen; N/A: why */
};

struct report {
	const char *mode; /* "server" or "client" */
	struct result *r;
	int n, cap;
	char note[512]; /* run-level remark (e.g. the server never answered a presence check) */
};

struct result *report_add(struct report *rep, const char *name, const char *reqs, bool must);
/* Appends a reason to a result and makes it FAIL. */
void result_fail(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when every MUST case passed (N/A counts as not failed). */
bool report_ok(const struct report *rep);
void report_text(const struct report *rep, FILE *f);
int report_json(const struct report *rep, FILE *f);
void report_free(struct report *rep);

#endif
