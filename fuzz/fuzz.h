/* fuzz.h - what the libFuzzer harnesses share. Each fuzz_<target>.c
 * defines LLVMFuzzerTestOneInput over one way input enters the program;
 * linked with -fsanitize=fuzzer it is a fuzzer, linked with replay.c a
 * program that runs it once on each file it is given (make check).
 *
 * A harness aborts (a finding) when a call breaks its contract: a refusal
 * without a message, a message that breaks a character of text that was
 * whole, or a value accepted once and refused when given back. Crashes
 * and sanitizer reports are findings by themselves. */
#ifndef XB_FUZZ_H
#define XB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/status.h"
#include "../tests/utf8.h"

/* The date records are checked against: fixed, so a finding replays. */
#define FUZZ_TODAY "2026-11-29"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional: set-up once before the first input (a harness that needs a
 * ledger opens it here); libFuzzer and replay.c both call it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* A broken contract: says which and aborts, so libFuzzer keeps the input. */
#define FUZZ_BUG(...)                                                        \
	do {                                                                 \
		fprintf(stderr, "fuzz: " __VA_ARGS__);                       \
		fputc('\n', stderr);                                         \
		abort();                                                     \
	} while (0)

/* Whether s is whole UTF-8 characters: the unit tests' check
 * (tests/utf8.h), one for both. */
static inline int fuzz_utf8(const char *s)
{
	return tu_utf8_whole(s);
}

/* A failed call must say why, with the code it returned, and must not
 * break a character when the input was whole UTF-8 (text_in). */
#define FUZZ_REFUSAL(ret, err, what, text_in)                                \
	do {                                                                 \
		if ((err).code != (ret) || (err).msg[0] == '\0')             \
			FUZZ_BUG("%s returned %d without saying why "        \
				 "(code %d, \"%s\")",                        \
				 (what), (ret), (err).code, (err).msg);      \
		if ((text_in) &&                                             \
		    (!fuzz_utf8((err).msg) || !fuzz_utf8((err).field)))      \
			FUZZ_BUG("%s broke a character in its message: "     \
				 "\"%s\" (field \"%s\")",                      \
				 (what), (err).msg, (err).field);            \
	} while (0)

/* A copy of the input with a NUL after it (the functions take strings);
 * NULL only when memory ran out. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s != NULL) {
		for (size_t i = 0; i < size; i++)
			s[i] = (char)data[i];
		s[size] = '\0';
	}
	return s;
}

#endif
