// SPDX-License-Identifier: BSD-2-Clause
/* stats.c: the server's counters as text or JSON. */
#include "stats.h"

#include <json-c/json.h>

static const char *const names[RTR_C_MAX] = {
	[RTR_C_REQUESTS] = "requests",
	[RTR_C_PROBE_UDP] = "probes_udp",
	[RTR_C_PROBE_TCP] = "probes_tcp",
	[RTR_C_PROBE_ICMP] = "probes_icmp",
	[RTR_C_RSP_OK] = "responses_state0",
	[RTR_C_RSP_TTL] = "responses_state1",
	[RTR_C_RSP_PROTOCOL] = "responses_state2",
	[RTR_C_RSP_FLOW] = "responses_state3",
	[RTR_C_RSP_EXTENSION] = "responses_state4",
	[RTR_C_RSP_PADDING] = "responses_state5",
	[RTR_C_DROP_SHORT] = "drop_short",
	[RTR_C_DROP_CHECKSUM] = "drop_checksum",
	[RTR_C_DROP_FRAGMENT] = "drop_fragment",
	[RTR_C_DROP_MALFORMED] = "drop_malformed",
	[RTR_C_DROP_DUPLICATE] = "drop_duplicate",
	[RTR_C_DROP_TABLE_FULL] = "drop_table_full",
	[RTR_C_DROP_RATE_SOURCE] = "drop_rate_source",
	[RTR_C_DROP_RATE_GLOBAL] = "drop_rate_global",
	[RTR_C_DROP_SOURCE_CAP] = "drop_source_sessions",
	[RTR_C_DROP_NO_ROUTE] = "drop_no_route",
	[RTR_C_DROP_INTERNAL] = "drop_internal",
	[RTR_C_TIMEOUTS] = "timeouts",
	[RTR_C_FORGED] = "forged_answers",
	[RTR_C_ANSWERS] = "answers",
	[RTR_C_RST_SENT] = "rst_sent",
	[RTR_C_BYTES_IN] = "bytes_in",
	[RTR_C_BYTES_OUT] = "bytes_out",
};

const char *stats_name(int idx)
{
	return idx >= 0 && idx < RTR_C_MAX ? names[idx] : NULL;
}

double stats_amplification(const struct rtr_counters *c)
{
	if (!c->c[RTR_C_BYTES_IN])
		return 0;
	return (double)c->c[RTR_C_BYTES_OUT] / (double)c->c[RTR_C_BYTES_IN];
}

void stats_print_text(FILE *f, const struct rtr_counters *c, long sessions)
{
	for (int i = 0; i < RTR_C_MAX; i++)
		fprintf(f, "%-22s %llu\n", names[i], (unsigned long long)c->c[i]);
	fprintf(f, "%-22s %.3f\n", "amplification", stats_amplification(c));
	fprintf(f, "%-22s %ld\n", "sessions_pending", sessions);
	fflush(f);
}

int stats_print_json(FILE *f, const struct rtr_counters *c, long sessions)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return -1;
	for (int i = 0; i < RTR_C_MAX; i++)
		json_object_object_add(o, names[i], json_object_new_uint64(c->c[i]));
	json_object_object_add(o, "amplification", json_object_new_double(stats_amplification(c)));
	json_object_object_add(o, "sessions_pending", json_object_new_int64(sessions));
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	fflush(f);
	json_object_put(o);
	return 0;
}
