// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_pcapmut.c: the record mutator of fuzz_pcap.h never writes or returns past its room. */
#include "fuzz.h"
#include "fuzz_pcap.h"

/*
 * Input: 2 bytes of seed, 2 bytes of room beyond the input (14 bits), then the input the
 * mutator gets, in a buffer of exactly input + room bytes (ASan sees any write past it).
 * Properties: the new size is at most the room given, and at least 1 when the room allows.
 * A mutator fault costs a campaign its finding: the crash comes with an empty input.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	unsigned seed = (unsigned)(data[0] | data[1] << 8);
	size_t room = (size_t)(data[2] | (data[3] & 0x3f) << 8);
	data += 4;
	size -= 4;
	size_t max = size + room;
	if (!max)
		return 0;
	uint8_t *buf = malloc(max);
	FUZZ_CHECK(buf != NULL);
	memcpy(buf, data, size);
	size_t n = fuzz_records_mutate(buf, size, max, seed);
	FUZZ_CHECK(n <= max);
	free(buf);
	return 0;
}
