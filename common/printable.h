/* printable.h - one rule for text that may reach a terminal: what input
 * refuses and what output replaces. A key's user ID, a bundle's fields, a
 * file name or the ledger's changed_by can carry CR/LF, escape sequences
 * (a title, a cleared screen, black on black), bidi overrides that reorder
 * what is shown, or characters that show nothing. The CLI and the TUI pass
 * every such value through xb_printable before it is shown; library
 * modules use it to put outside text into their messages.
 *
 * UTF-8 is decoded here, whatever the locale. */
#ifndef XB_PRINTABLE_H
#define XB_PRINTABLE_H

#include <stddef.h>

/* What a character is, for display. */
enum xb_char_class {
	XB_CH_OK = 0,
	XB_CH_CONTROL,   /* C0 (with TAB, CR, LF), DEL, C1, U+2028/U+2029 */
	XB_CH_BIDI,      /* U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C */
	XB_CH_INVISIBLE, /* zero-width: U+200B-U+200D, U+2060-U+2064, U+FEFF,
			    U+180E, U+00AD, U+FFF9-U+FFFB, tags U+E0000-E007F */
	XB_CH_BAD_UTF8,  /* a byte that is not part of valid UTF-8 */
};

/* Decodes the character at s into *cp: its length in bytes (1-4), 0 at
 * the end of the string, -1 when the byte at s does not begin valid UTF-8
 * (stray, overlong, surrogate, beyond U+10FFFF, truncated): skip one byte. */
int xb_utf8_next(const char *s, unsigned *cp);

/* The class of code point cp. */
enum xb_char_class xb_char_class(unsigned cp);

/* The first character of s that may not be shown raw: its class (XB_CH_OK
 * when none) and, when bad is not NULL, its code point (the byte for
 * XB_CH_BAD_UTF8). With XB_PRINT_LINES, LF and TAB pass. */
#define XB_PRINT_LINES 1u
enum xb_char_class xb_text_check(const char *s, unsigned flags, unsigned *bad);

/* A display-safe copy of s (NULL is ""): every character xb_text_check
 * names, and every invalid byte, becomes U+FFFD. Written into buf (len
 * bytes, always NUL-terminated, cut on a character boundary); returns
 * buf. */
char *xb_printable(const char *s, unsigned flags, char *buf, size_t len);

/* The same in a malloc'd string the caller frees; NULL when out of
 * memory. */
char *xb_printable_dup(const char *s, unsigned flags);

#endif
