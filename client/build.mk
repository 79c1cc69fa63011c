# client/build.mk: rtr-client (release), its engine unit tests (sanitizer tree) and its man page.

CLIENT_ENGINE_SRCS := client/engine.c client/eng_forward.c client/eng_reverse.c
CLIENT_SRCS := $(CLIENT_ENGINE_SRCS) $(filter-out $(CLIENT_ENGINE_SRCS),$(sort $(wildcard client/*.c)))
CLIENT_BIN := $(B)/bin/rtr-client

$(B)/rel/client/%.o $(B)/san/client/%.o $(B)/san/tests/client/%.o: CPPFLAGS += -Iclient \
	-DRTR_ENDPOINTS_PATH='"$(PREFIX)/share/rtr/ENDPOINTS"'
$(B)/san/tests/client/%.o: CPPFLAGS += -Itests/client

$(CLIENT_BIN): $(call rel_objs,$(CLIENT_SRCS)) $(PROTO_REL_LIB)
	@mkdir -p $(@D)
	$(CC) $(call rel_objs,$(CLIENT_SRCS)) $(PROTO_REL_LIB) -ljson-c -o $@

# The shipped list of public servers (rtr-client --list-endpoints).
.PHONY: install-client-data
install: install-client-data
install-client-data:
	install -D -m 0644 client/ENDPOINTS $(DESTDIR)$(PREFIX)/share/rtr/ENDPOINTS

# The same program under ASan/UBSan: the live tests drive this one.
CLIENT_SAN_BIN := $(B)/san/bin/rtr-client
$(CLIENT_SAN_BIN): $(call san_objs,$(CLIENT_SRCS)) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $(call san_objs,$(CLIENT_SRCS)) $(PROTO_SAN_LIB) -ljson-c -o $@

# Engine and output tests: scripted packets, no sockets, one binary per tests/client/test_*.c.
CLIENT_OUTPUT_SRCS := client/out_text.c client/out_json.c client/out_dot.c client/names.c
CLIENT_TEST_HELPERS := $(call san_objs,tests/client/pkt.c tests/client/sim.c $(CLIENT_ENGINE_SRCS) \
	$(CLIENT_OUTPUT_SRCS))
CLIENT_TEST_BINS := $(patsubst tests/client/%.c,$(B)/san/tests/client/%,$(sort $(wildcard tests/client/test_*.c)))

$(CLIENT_TEST_BINS): $(B)/san/tests/client/%: $(B)/san/tests/client/%.o $(CLIENT_TEST_HELPERS) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $< $(CLIENT_TEST_HELPERS) $(PROTO_SAN_LIB) -lcmocka -ljson-c -o $@

ALL_TARGETS += $(CLIENT_BIN)
TEST_TARGETS += $(CLIENT_TEST_BINS) $(CLIENT_SAN_BIN)
INSTALL_BIN += $(CLIENT_BIN)
INSTALL_MAN1 += client/rtr-client.1
