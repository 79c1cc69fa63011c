/* SPDX-License-Identifier: BSD-2-Clause */
/* diag.h: one-line diagnostics on stderr for the user-space programs, format-checked. */
#ifndef RTR_DIAG_H
#define RTR_DIAG_H

/*
 * Every line reads "PROGRAM: MESSAGE\n". The printf attribute lets the compiler check each
 * call's arguments against its format (-Wformat=2 -Werror), so a message takes exactly the
 * arguments it prints: no padding with "" for unused %s.
 */
#define RTR_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))

/* Sets the PROGRAM prefix (a string that lives as long as the program); default "rtr". */
void rtr_diag_prog(const char *name);

/* Prints one diagnostic line. */
void rtr_warn(const char *fmt, ...) RTR_PRINTF(1, 2);

/* Prints one diagnostic line and returns code: `return rtr_err(2, "...", ...);`. */
int rtr_err(int code, const char *fmt, ...) RTR_PRINTF(2, 3);

/* Prints one diagnostic line and exits with code. */
_Noreturn void rtr_die(int code, const char *fmt, ...) RTR_PRINTF(2, 3);

#endif
