// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_addr.c: libFuzzer harness for rtr_addr_parse and rtr_addr_format (text <-> address). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Formatting a then parsing the text gives a back; short buffers give "" or the whole text. */
static void check_format(const struct rtr_addr *a)
{
	char text[RTR_ADDR_STRLEN], small[RTR_ADDR_STRLEN];
	struct rtr_addr back;

	FUZZ_CHECK(rtr_addr_format(a, text, sizeof(text)) == text);
	size_t n = strlen(text);
	FUZZ_CHECK(n > 0 && n < sizeof(text));
	int fam = rtr_addr_parse(&back, text);
	FUZZ_CHECK(fam == rtr_addr_family(a));
	FUZZ_CHECK(rtr_addr_eq(&back, a));
	/* IPv4-mapped addresses print as a dotted quad, everything else as IPv6 text. */
	FUZZ_CHECK((strchr(text, ':') != NULL) == (fam == 6));
	for (size_t cap = 1; cap <= sizeof(small); cap++) {
		memset(small, 'x', sizeof(small));
		rtr_addr_format(a, small, cap);
		FUZZ_CHECK(small[0] == '\0' || strcmp(small, text) == 0);
		FUZZ_CHECK(cap > n || small[0] == '\0');
		for (size_t i = cap; i < sizeof(small); i++)
			FUZZ_CHECK(small[i] == 'x'); /* nothing written past cap */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtr_addr a;
	uint8_t sel;
	size_t len;
	uint8_t *m = fuzz_take(data, size, &sel, &len);

	if (!m)
		return 0;
	if (sel & 1) {
		/* Binary side: any 16 bytes are an address (IPv4 when ::ffff:0:0/96). */
		uint8_t b[16] = {0};
		memcpy(b, m, len < 16 ? len : 16);
		rtr_addr_from_v6(&a, b);
		FUZZ_CHECK(rtr_addr_family(&a) == (rtr_addr_is_v4mapped(&a) ? 4 : 6));
		check_format(&a);
	} else {
		/* Text side: the message as a C string (cut at the first NUL). */
		char *text = malloc(len + 1);
		FUZZ_CHECK(text);
		memcpy(text, m, len);
		text[len] = '\0';
		memset(&a, 0xA5, sizeof(a));
		int fam = rtr_addr_parse(&a, text);
		FUZZ_CHECK(fam == 4 || fam == 6 || fam == RTR_E_INVAL);
		if (fam == 4)
			FUZZ_CHECK(rtr_addr_is_v4mapped(&a) && !strchr(text, ':'));
		if (fam == 6)
			FUZZ_CHECK(strchr(text, ':') != NULL);
		if (fam > 0)
			check_format(&a);
		free(text);
	}
	free(m);
	return 0;
}
