/* SPDX-License-Identifier: BSD-2-Clause */
/* report.h: rtr-conform's per-case verdicts, kept apart by level, as text, JSON or JUnit XML. */
#ifndef CONFORM_REPORT_H
#define CONFORM_REPORT_H

#include <stdbool.h>
#include <stdio.h>

/*
 * INCONCLUSIVE: a precondition of the case failed (no probe seen, no request sent), so what
 * the case is about could not be judged. N/A: the case does not apply to this run.
 */
enum verdict { V_PASS = 0, V_FAIL = 1, V_NA = 2, V_INCONCLUSIVE = 3 };

/* docs/CONFORMANCE.md: what every implementation of the draft must do, or rtr's own choice. */
enum level { L_DRAFT = 0, L_PROFILE = 1 };

struct result {
	char name[64];
	const char *reqs; /* requirement ids of docs/PROTOCOL.md, blank separated */
	bool must;
	int level;
	int verdict;
	char detail[1024]; /* FAIL: expected vs seen; N/A, INCONCLUSIVE: why */
};

struct report {
	const char *mode; /* "server" or "client" */
	struct result *r;
	int n, cap;
	bool strict;	/* profile MUST cases gate the exit status too */
	char note[512]; /* run-level remark (e.g. the server never answered a presence check) */
};

struct result *report_add(struct report *rep, const char *name, const char *reqs, bool must,
			  int level);
/* Appends a reason to a result and makes it FAIL. */
void result_fail(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes a result INCONCLUSIVE with its reason, unless it already FAILed. */
void result_inconclusive(struct result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Makes a result N/A with its reason. */
void result_na(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Exit status of the run: 1 when a gating case (a draft MUST; with strict also a profile
 * MUST) failed, else 3 when a gating case was INCONCLUSIVE, else 0.
 */
int report_status(const struct report *rep);
void report_text(const struct report *rep, FILE *f);
int report_json(const struct report *rep, FILE *f);
/* JUnit XML: one testsuite per level and strength, one testcase per case. */
int report_junit(const struct report *rep, FILE *f);
void report_free(struct report *rep);

extern const char *const verdict_name[4];
extern const char *const level_name[2];

#endif
