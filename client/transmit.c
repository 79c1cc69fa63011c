// SPDX-License-Identifier: BSD-2-Clause
/* transmit.c: --transmit: confirmation and an HTTP(S) POST of the JSON result through libcurl. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dynlib.h"
#include "transmit.h"

bool rtr_transmit_url_ok(const char *url)
{
	return (!strncasecmp(url, "http://", 7) && url[7]) ||
	       (!strncasecmp(url, "https://", 8) && url[8]);
}

bool rtr_transmit_confirm(FILE *in, FILE *out, const char *url)
{
	fprintf(out, "rtr-client: send the result to %s? [y/N] ", url);
	fflush(out);
	char line[64];
	if (!fgets(line, sizeof(line), in))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

/* The collector's answer body is not ours to print. */
static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

int rtr_transmit(const char *url, const char *cacert, const char *body, char *err, size_t errlen)
{
	const struct rtr_curl_api *cu = rtr_curl_api(err, errlen);
	if (!cu)
		return -1;
	if (cu->global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, errlen, "cannot start libcurl");
		return -1;
	}
	int rc = -1;
	CURL *c = cu->easy_init();
	struct curl_slist *hdr = cu->slist_append(NULL, "Content-Type: application/json");
	if (!c || !hdr) {
		snprintf(err, errlen, "cannot start libcurl");
		goto out;
	}
	char cerr[CURL_ERROR_SIZE] = "";
	cu->easy_setopt(c, CURLOPT_URL, url);
	cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	cu->easy_setopt(c, CURLOPT_POSTFIELDS, body);
	cu->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	cu->easy_setopt(c, CURLOPT_USERAGENT, "rtr-client");
	cu->easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	if (cacert)
		cu->easy_setopt(c, CURLOPT_CAINFO, cacert);
	cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	CURLcode res = cu->easy_perform(c);
	long status = 0;
	cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (res != CURLE_OK)
		snprintf(err, errlen, "cannot transmit to %s: %s", url,
			 cerr[0] ? cerr : cu->easy_strerror(res));
	else if (status < 200 || status > 299)
		snprintf(err, errlen, "the collector at %s answered HTTP %ld", url, status);
	else
		rc = 0;
out:
	cu->slist_free_all(hdr);
	if (c)
		cu->easy_cleanup(c);
	cu->global_cleanup();
	return rc;
}
