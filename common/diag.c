// SPDX-License-Identifier: BSD-2-Clause
/* diag.c: one-line diagnostics on stderr for the user-space programs (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *prog = "rtr";

void rtr_diag_prog(const char *name)
{
	prog = name;
}

/* No length limit (a verifier log quoted on one line is long); the lock keeps a line whole
 * against other threads of the program. */
static void vline(const char *fmt, va_list ap)
{
	flockfile(stderr);
	fputs(prog, stderr);
	fputs(": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void rtr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

int rtr_err(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
	return code;
}

void rtr_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
	exit(code);
}
