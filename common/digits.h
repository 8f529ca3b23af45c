/* digits.h - numbers written into buffers without printf. A load writes
 * hundreds of thousands of ids, dates and counter keys, and printf's
 * formatting machinery costs about a thousand instructions a call. */
#ifndef XB_DIGITS_H
#define XB_DIGITS_H

/* Writes v in decimal, zero-padded to width digits (more when v needs
 * them), and returns the end; the caller leaves room for 20 digits or
 * width, whichever is more, and terminates the string. */
static inline char *xb_digits(char *out, unsigned long long v, int width)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	while (n > 0)
		*out++ = tmp[--n];
	return out;
}

#endif
