# SPDX-License-Identifier: BSD-2-Clause
# decode/build.mk: rtr-decode, the golden printer (release binary and a sanitizer build for tests).

DECODE_SRCS := decode/rtr-decode.c decode/stream.c decode/print.c decode/link.c $(COMMON_SRCS)
RTR_DECODE := $(B)/bin/rtr-decode
RTR_DECODE_SAN := $(B)/san/decode/rtr-decode

$(RTR_DECODE): $(call rel_objs,$(DECODE_SRCS)) $(PROTO_REL_LIB)
	@mkdir -p $(@D)
	$(CC) $^ -o $@ -lpcap

$(RTR_DECODE_SAN): $(call san_objs,$(DECODE_SRCS)) $(PROTO_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -o $@ -lpcap

ALL_TARGETS += $(RTR_DECODE)
TEST_TARGETS += $(RTR_DECODE_SAN)
INSTALL_BIN += $(RTR_DECODE)
INSTALL_MAN1 += decode/rtr-decode.1
