/* safe_text.c - text from outside the program made safe to show on a
 * terminal (common/printable.h), cut or padded to terminal columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli.h"
#include "../common/printable.h"

int cli_text_width(const char *s)
{
	int w = 0;
	mbstate_t ps;
	memset(&ps, 0, sizeof(ps));
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&ps, 0, sizeof(ps));
			s++;
			w++;
			continue;
		}
		int cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += n ? n : 1;
	}
	return w;
}

/* The copies cli_safe hands out, reused in turn. */
#define SAFE_RING 16
static char *safe_ring[SAFE_RING];
static size_t safe_next;

static const char *safe_copy(const char *s, unsigned flags)
{
	char *d = xb_printable_dup(s ? s : "", flags);
	if (d == NULL)
		return "?";
	/* Lines of a note after its first are indented: none of them can
	 * pose as a line of the program's own. */
	size_t breaks = 0;
	for (const char *p = d; (p = strchr(p, '\n')) != NULL; p++)
		breaks++;
	if (breaks > 0) {
		char *w = malloc(strlen(d) + breaks * 4 + 1), *o = w;
		if (w == NULL) {
			free(d);
			return "?";
		}
		for (const char *p = d; *p; p++) {
			*o++ = *p;
			if (*p == '\n') {
				memcpy(o, "    ", 4);
				o += 4;
			}
		}
		*o = '\0';
		free(d);
		d = w;
	}
	free(safe_ring[safe_next]);
	safe_ring[safe_next] = d;
	safe_next = (safe_next + 1) % SAFE_RING;
	return d;
}

const char *cli_safe(const char *s)
{
	return safe_copy(s, 0);
}

const char *cli_safe_lines(const char *s)
{
	return safe_copy(s, XB_PRINT_LINES);
}

const char *cli_safe_cut(const char *s, int cols)
{
	const char *safe = cli_safe(s);
	if (cli_text_width(safe) <= cols)
		return safe;
	/* The slot cli_safe just filled is cut in place, on a character. */
	char *d = safe_ring[(safe_next + SAFE_RING - 1) % SAFE_RING];
	mbstate_t ps;
	memset(&ps, 0, sizeof(ps));
	int w = 0;
	size_t at = 0, len = strlen(d);
	while (at < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, d + at, len - at, &ps);
		int cw = 1;
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof(ps));
			n = 1;
		} else if (wcwidth(wc) >= 0) {
			cw = wcwidth(wc);
		}
		if (w + cw > cols - 1)
			break;
		w += cw;
		at += n;
	}
	/* "…" takes three bytes where at least one was cut. */
	char *out = realloc(d, at + 4);
	if (out == NULL)
		return "?";
	memcpy(out + at, "\xE2\x80\xA6", 4);
	safe_ring[(safe_next + SAFE_RING - 1) % SAFE_RING] = out;
	return out;
}

void cli_safe_release(void)
{
	for (size_t i = 0; i < SAFE_RING; i++) {
		free(safe_ring[i]);
		safe_ring[i] = NULL;
	}
	safe_next = 0;
}

void cli_print_padded(const char *s, int width)
{
	s = cli_safe(s);
	fputs(s, stdout);
	for (int w = cli_text_width(s); w < width; w++)
		putchar(' ');
}
