# SPDX-License-Identifier: BSD-2-Clause
# client/build.mk: rtr-client (release), its engine unit tests (sanitizer tree) and its man page.

CLIENT_ENGINE_SRCS := client/tracer_core.c client/tracer_fwd.c client/tracer_rev.c client/engine.c client/mda.c client/mda_stop.c client/mda_match.c
CLIENT_SRCS := $(CLIENT_ENGINE_SRCS) $(filter-out $(CLIENT_ENGINE_SRCS),$(sort $(wildcard client/*.c))) $(COMMON_SRCS)
CLIENT_BIN := $(B)/bin/rtr-client

$(B)/rel/client/%.o $(B)/san/client/%.o $(B)/san/tests/client/%.o: CPPFLAGS += -Iclient
$(B)/san/tests/client/%.o: CPPFLAGS += -Itests/client
# The forward first hop is read from the FIB through libnl-route-3 (client/fib_hop.c).
CLIENT_NL_CFLAGS := $(shell pkg-config --cflags libnl-route-3.0 2>/dev/null || echo -I/usr/include/libnl3)
CLIENT_NL_LIBS := $(shell pkg-config --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3)
$(B)/rel/client/fib_hop.o $(B)/san/client/fib_hop.o $(B)/san/tests/mda/fib_hop_check.o: CPPFLAGS += $(CLIENT_NL_CFLAGS)

$(CLIENT_BIN): $(call rel_objs,$(CLIENT_SRCS)) $(PROTO_REL_LIB)
	@mkdir -p $(@D)
	$(CC) $(call rel_objs,$(CLIENT_SRCS)) $(PROTO_REL_LIB) -ljson-c $(CLIENT_NL_LIBS) -lm -o $@

# The shipped list of public servers (rtr-client --list-endpoints), found next to the binary
# (common/datadir.h): copied beside both build trees' bin directories, installed under PREFIX.
$(B)/share/rtr/ENDPOINTS $(B)/san/share/rtr/ENDPOINTS: client/ENDPOINTS
	install -D -m 0644 $< $@
$(CLIENT_BIN): | $(B)/share/rtr/ENDPOINTS
.PHONY: install-client-data
install: install-client-data
install-client-data:
	install -D -m 0644 client/ENDPOINTS $(DESTDIR)$(PREFIX)/share/rtr/ENDPOINTS

# The same program under ASan/UBSan: the live tests drive this one.
CLIENT_SAN_BIN := $(B)/san/bin/rtr-client
$(CLIENT_SAN_BIN): $(call san_objs,$(CLIENT_SRCS)) $(PROTO_SAN_LIB) | $(B)/san/share/rtr/ENDPOINTS
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $(call san_objs,$(CLIENT_SRCS)) $(PROTO_SAN_LIB) -ljson-c $(CLIENT_NL_LIBS) -lm -o $@

# Engine and output tests: scripted packets, no sockets, one binary per tests/client/test_*.c.
CLIENT_OUTPUT_SRCS := client/out_text.c client/out_json.c client/out_dot.c client/out_mda.c client/names.c
CLIENT_TEST_HELPERS := $(call san_objs,tests/client/pkt.c tests/client/sim.c $(CLIENT_ENGINE_SRCS) \
	$(CLIENT_OUTPUT_SRCS))
CLIENT_TEST_BINS := $(patsubst tests/client/%.c,$(B)/san/tests/client/%,$(sort $(wildcard tests/client/test_*.c)))

$(CLIENT_TEST_BINS): $(B)/san/tests/client/%: $(B)/san/tests/client/%.o $(CLIENT_TEST_HELPERS) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $< $(CLIENT_TEST_HELPERS) $(PROTO_SAN_LIB) -lcmocka -ljson-c -lm -o $@

ALL_TARGETS += $(CLIENT_BIN)
TEST_TARGETS += $(CLIENT_TEST_BINS) $(CLIENT_SAN_BIN)
INSTALL_BIN += $(CLIENT_BIN)
INSTALL_MAN1 += client/rtr-client.1

# Multipath (MDA-Lite): stopping-point and simulator tests in tests/mda, sanitizer tree and an
# optimised copy of the simulator test for the 1000-trace statistics.
$(B)/san/tests/mda/%.o $(B)/rel/tests/mda/%.o: CPPFLAGS += -Iclient -Itests/client -Itests/mda
$(B)/rel/tests/client/%.o: CPPFLAGS += -Iclient -Itests/client
MDA_ENGINE_SRCS := $(CLIENT_ENGINE_SRCS)
MDA_TEST_HELPERS := tests/client/pkt.c tests/client/sim.c tests/mda/fakeroute.c $(MDA_ENGINE_SRCS)
MDA_TEST_BINS := $(patsubst tests/mda/%.c,$(B)/san/tests/mda/%,$(sort $(wildcard tests/mda/test_*.c)))
$(MDA_TEST_BINS): $(B)/san/tests/mda/%: $(B)/san/tests/mda/%.o $(call san_objs,$(MDA_TEST_HELPERS)) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $< $(call san_objs,$(MDA_TEST_HELPERS)) $(PROTO_SAN_LIB) -lcmocka -lm -o $@
MDA_SIM_REL := $(B)/rel/tests/mda/test_mda_sim
$(MDA_SIM_REL): $(call rel_objs,tests/mda/test_mda_sim.c $(MDA_TEST_HELPERS)) $(PROTO_REL_LIB)
	@mkdir -p $(@D)
	$(CC) $(call rel_objs,tests/mda/test_mda_sim.c $(MDA_TEST_HELPERS)) $(PROTO_REL_LIB) -lcmocka -lm -o $@
TEST_TARGETS += $(MDA_TEST_BINS) $(MDA_SIM_REL)

# The FIB first-hop query, run by tests/mda/fib.sh inside a namespace it builds.
FIB_CHECK := $(B)/san/tests/mda/fib_hop_check
$(FIB_CHECK): $(call san_objs,tests/mda/fib_hop_check.c client/fib_hop.c) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $(call san_objs,tests/mda/fib_hop_check.c client/fib_hop.c) $(PROTO_SAN_LIB) $(CLIENT_NL_LIBS) -o $@
TEST_TARGETS += $(FIB_CHECK)
