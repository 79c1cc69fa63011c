# SPDX-License-Identifier: BSD-2-Clause
# common/build.mk: user-space code the programs share (not wire code: that is proto/) and its tests.

# COMMON_SRCS (the top Makefile) is in each program's source list.

# The data directory built in, the last place common/datadir.c looks.
$(B)/rel/common/datadir.o $(B)/san/common/datadir.o: CPPFLAGS += \
	-DRTR_DATADIR_DEFAULT='"$(PREFIX)/share/rtr"'

# One cmocka binary per tests/common/test_*.c; run by tests/suites/10-unit.sh.
COMMON_TEST_BINS := $(patsubst tests/common/%.c,$(B)/san/tests/common/%,$(sort $(wildcard tests/common/test_*.c)))
$(COMMON_TEST_BINS): $(B)/san/tests/common/%: $(B)/san/tests/common/%.o $(call san_objs,$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_SAN) $^ -lcmocka -o $@

TEST_TARGETS += $(COMMON_TEST_BINS)
