/* client.c: rtr-conform client mode (a scripted responder on the target node). */
#include <stdio.h>

#include "conform.h"
#include "lab.h"
#include "report.h"

int client_mode(struct conform *c, struct lab *lab, const char *cmd, struct report *rep);

int client_mode(struct conform *c, struct lab *lab, const char *cmd, struct report *rep)
{
	(void)c;
	(void)lab;
	(void)cmd;
	(void)rep;
	fprintf(stderr, "rtr-conform: client mode is not implemented yet\n");
	return -1;
}
