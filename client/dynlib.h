/* SPDX-License-Identifier: BSD-2-Clause */
/* dynlib.h: libcurl and libpcap, loaded only by runs that use --transmit or --pcap. */
#ifndef RTR_CLIENT_DYNLIB_H
#define RTR_CLIENT_DYNLIB_H

#include <curl/curl.h>
#include <pcap/pcap.h>
#include <stddef.h>

/*
 * Linking both would make every run load ~40 shared libraries (TLS, Kerberos,
 * LDAP, D-Bus...) and start several times slower than traceroute; a trace that
 * neither records nor transmits never pays for them.
 */
struct rtr_curl_api {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
};

struct rtr_pcap_api {
	__typeof__(pcap_open_dead) *open_dead;
	__typeof__(pcap_close) *close;
	__typeof__(pcap_geterr) *geterr;
	__typeof__(pcap_dump_open) *dump_open;
	__typeof__(pcap_dump) *dump;
	__typeof__(pcap_dump_flush) *dump_flush;
	__typeof__(pcap_dump_close) *dump_close;
};

/* The loaded API, or NULL with one line in err (library or symbol missing). */
const struct rtr_curl_api *rtr_curl_api(char *err, size_t errlen);
const struct rtr_pcap_api *rtr_pcap_api(char *err, size_t errlen);

#endif
