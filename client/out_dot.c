// SPDX-License-Identifier: BSD-2-Clause
/* out_dot.c: the run as a graphviz digraph (one node per responder, one edge chain per direction;
 * multipath runs through out_mda.c), and SVG/PNG through graphviz's dot program. */
#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"

#define DOT_MAX_NODES 16 /* responders of one hop kept for edges */

/* Writes s with every character that could end a DOT string replaced. */
static void dot_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 ? '_' : *s, f);
}

static void node(FILE *f, const struct rtr_run *r, const struct rtr_addr *a, const char *role)
{
	char s[RTR_ADDR_STRLEN];
	rtr_addr_format(a, s, sizeof(s));
	const char *name = rtr_name_of(a, !r->opts->no_resolve);
	fprintf(f, "\t\"%s\" [label=\"%s", s, s);
	if (name) {
		fputs("\\n", f);
		dot_text(f, name);
	}
	if (role)
		fprintf(f, "\\n(%s)", role);
	fputs("\"];\n", f);
}

static void chain(FILE *f, const struct rtr_run *r, const struct rtr_tracer *e,
		  const struct rtr_addr *start, const char *color, const char *tag)
{
	char prev[DOT_MAX_NODES][RTR_ADDR_STRLEN + 16];
	unsigned nprev = 1;
	rtr_addr_format(start, prev[0], sizeof(prev[0]));
	for (unsigned t = e->cfg.first_ttl; t <= e->last_ttl && t >= 1; t++) {
		const struct rtr_eng_hop *h = rtr_out_sp_hop(e, t);
		char cur[DOT_MAX_NODES][RTR_ADDR_STRLEN + 16];
		unsigned ncur = 0;
		for (unsigned i = 0; i < h->nsent && ncur < DOT_MAX_NODES; i++) {
			const struct rtr_eng_probe *p = &h->probe[i];
			if (p->status != RTR_PS_ANSWERED || p->kernel_echo || p->state)
				continue;
			char s[RTR_ADDR_STRLEN];
			rtr_addr_format(&p->from, s, sizeof(s));
			bool seen = false;
			for (unsigned j = 0; j < ncur; j++)
				seen |= !strcmp(cur[j], s);
			if (seen)
				continue;
			/* We and the target are declared once, with their roles, by rtr_out_dot. */
			if (!rtr_addr_eq(&p->from, &r->src) && !rtr_addr_eq(&p->from, &r->dst))
				node(f, r, &p->from, NULL);
			snprintf(cur[ncur++], sizeof(cur[0]), "%s", s);
		}
		if (!ncur) {
			snprintf(cur[0], sizeof(cur[0]), "%s-%u-*", tag, t);
			fprintf(f, "\t\"%s\" [label=\"*\", shape=plaintext];\n", cur[0]);
			ncur = 1;
		}
		for (unsigned a = 0; a < nprev; a++)
			for (unsigned b = 0; b < ncur; b++)
				fprintf(f, "\t\"%s\" -> \"%s\" [color=%s, label=\"%s %u\"];\n",
					prev[a], cur[b], color, tag, t);
		memcpy(prev, cur, sizeof(cur));
		nprev = ncur;
	}
}

int rtr_out_dot(FILE *f, const struct rtr_run *r)
{
	if ((r->fwd && rtr_mda_of(r->fwd)) || (r->rev && rtr_mda_of(r->rev)))
		return rtr_out_mda_dot(f, r);
	fputs("digraph rtr {\n\tnode [shape=box];\n", f);
	node(f, r, &r->src, "client");
	node(f, r, &r->dst, "target");
	if (r->fwd)
		chain(f, r, r->fwd, &r->src, "blue", "forward");
	if (r->rev)
		chain(f, r, r->rev, &r->dst, "red", "reverse");
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}

int rtr_out_graphviz(FILE *f, const struct rtr_run *r, const char *type)
{
	int pipefd[2];
	if (fflush(f) || pipe(pipefd))
		return -1;
	char arg[16];
	snprintf(arg, sizeof(arg), "-T%s", type);
	char *argv[] = {"dot", arg, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fileno(f), STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	pid_t pid;
	extern char **environ;
	int rc = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[0]);
	if (rc) {
		close(pipefd[1]);
		errno = rc;
		return -1;
	}
	FILE *to = fdopen(pipefd[1], "w");
	int wrc = to ? rtr_out_dot(to, r) : -1;
	if (to)
		fclose(to);
	else
		close(pipefd[1]);
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return wrc;
}
