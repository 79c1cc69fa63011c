// SPDX-License-Identifier: BSD-2-Clause
/* dynlib.c: dlopen of libcurl and libpcap on first use, every symbol checked. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "dynlib.h"

/* Opens the first of names that loads; NULL with err naming them all. */
static void *open_any(const char *const *names, char *err, size_t errlen)
{
	for (const char *const *n = names; *n; n++) {
		void *h = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
		if (h)
			return h;
	}
	snprintf(err, errlen, "cannot load %s: %s (install it)", names[0], dlerror());
	return NULL;
}

/* Resolves every symbol of a table of (name, slot) pairs. */
struct sym {
	const char *name;
	void **slot;
};

static int resolve(void *h, const struct sym *syms, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);
		if (!p) {
			snprintf(err, errlen, "the loaded library lacks %s", syms[i].name);
			return -1;
		}
		/* POSIX: function pointers and void * convert through dlsym. */
		memcpy(syms[i].slot, &p, sizeof(p));
	}
	return 0;
}

const struct rtr_curl_api *rtr_curl_api(char *err, size_t errlen)
{
	static struct rtr_curl_api api;
	static void *h;
	if (h)
		return &api;
	static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", NULL};
	void *lib = open_any(names, err, errlen);
	if (!lib)
		return NULL;
	const struct sym syms[] = {
		{"curl_global_init", (void **)&api.global_init},
		{"curl_global_cleanup", (void **)&api.global_cleanup},
		{"curl_easy_init", (void **)&api.easy_init},
		{"curl_easy_setopt", (void **)&api.easy_setopt},
		{"curl_easy_perform", (void **)&api.easy_perform},
		{"curl_easy_getinfo", (void **)&api.easy_getinfo},
		{"curl_easy_cleanup", (void **)&api.easy_cleanup},
		{"curl_easy_strerror", (void **)&api.easy_strerror},
		{"curl_slist_append", (void **)&api.slist_append},
		{"curl_slist_free_all", (void **)&api.slist_free_all},
	};
	if (resolve(lib, syms, sizeof(syms) / sizeof(syms[0]), err, errlen)) {
		dlclose(lib);
		return NULL;
	}
	h = lib;
	return &api;
}

const struct rtr_pcap_api *rtr_pcap_api(char *err, size_t errlen)
{
	static struct rtr_pcap_api api;
	static void *h;
	if (h)
		return &api;
	static const char *const names[] = {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so", NULL};
	void *lib = open_any(names, err, errlen);
	if (!lib)
		return NULL;
	const struct sym syms[] = {
		{"pcap_open_dead", (void **)&api.open_dead},
		{"pcap_close", (void **)&api.close},
		{"pcap_geterr", (void **)&api.geterr},
		{"pcap_dump_open", (void **)&api.dump_open},
		{"pcap_dump", (void **)&api.dump},
		{"pcap_dump_flush", (void **)&api.dump_flush},
		{"pcap_dump_close", (void **)&api.dump_close},
	};
	if (resolve(lib, syms, sizeof(syms) / sizeof(syms[0]), err, errlen)) {
		dlclose(lib);
		return NULL;
	}
	h = lib;
	return &api;
}
