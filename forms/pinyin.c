/* pinyin.c - lower-case pinyin initials of Chinese names, the search key a
 * clerk types ("zs" for 张三), from GB2312 code order instead of a table
 * of every character. */
#include <iconv.h>
#include <string.h>

#include "forms.h"

/* GB2312 level-1 hanzi (0xB0A1-0xD7F9) are sorted by pinyin: the first
 * code of each initial. No syllable starts with i, u or v. */
static const struct {
	unsigned first;
	char initial;
} level1[] = {
	{ 0xB0A1, 'a' }, { 0xB0C5, 'b' }, { 0xB2C1, 'c' }, { 0xB4EE, 'd' },
	{ 0xB6EA, 'e' }, { 0xB7A2, 'f' }, { 0xB8C1, 'g' }, { 0xB9FE, 'h' },
	{ 0xBBF7, 'j' }, { 0xBFA6, 'k' }, { 0xC0AC, 'l' }, { 0xC2E8, 'm' },
	{ 0xC4C3, 'n' }, { 0xC5B6, 'o' }, { 0xC5BE, 'p' }, { 0xC6DA, 'q' },
	{ 0xC8BB, 'r' }, { 0xC8F6, 's' }, { 0xCBFA, 't' }, { 0xCDDA, 'w' },
	{ 0xCEF4, 'x' }, { 0xD1B9, 'y' }, { 0xD4D1, 'z' },
};
#define LEVEL1_LAST 0xD7F9

/* Characters grouped by initial. */
struct group {
	char initial;
	const char *chars; /* UTF-8 */
};

/* Level-2 hanzi (0xD8A1-0xF7FE) are sorted by radical, not by sound:
 * these are ones common in names, each checked to be in level 2 and of
 * one reading. Others of level 2 are skipped. */
static const struct group level2[] = {
	{ 'a', "嫒桉" },
	{ 'b', "蓓" },
	{ 'c', "琛宸婵昶璨骢岑" },
	{ 'd', "妲" },
	{ 'f', "霏斐" },
	{ 'h', "昊晗皓颢灏泓荟晖蕙菡桦骅" },
	{ 'j', "婧瑾婕菁珏骥珈姣槿" },
	{ 'k', "珂琨铠邝蒯锴锟" },
	{ 'l', "璐郦逯蔺苓" },
	{ 'm', "淼沐珉闵" },
	{ 'n', "楠" },
	{ 'p', "濮娉" },
	{ 'q', "琪琦骞淇芊骐嫱祺铨亓" },
	{ 'r', "睿芮苒榕" },
	{ 's', "姝晟姗" },
	{ 't', "婷佟" },
	{ 'w', "炜玮雯薇琬妩邬" },
	{ 'x', "萱馨鑫暄骁璇昕潇煊娴曦栩冼" },
	{ 'y', "妍怡翊煜钰琰烨晔娅嫣妤媛弈奕懿羿昱滢莺瑛熠焱毓瑗芸樾璎晏鄢闫" },
	{ 'z', "梓钊芷璋祯铮昝" },
};

/* Surnames whose reading differs from the one GB2312 files them under
 * (单 dan/Shan, 解 jie/Xie, 仇 chou/Qiu, 查 cha/Zha, 区 qu/Ou, 翟 di/Zhai):
 * used for the first character of a name only. */
static const struct group surnames[] = {
	{ 's', "单" }, { 'x', "解" }, { 'q', "仇" },
	{ 'z', "查翟" }, { 'o', "区" },
};

#define NGROUPS(t) (sizeof(t) / sizeof((t)[0]))

/* The length of the valid UTF-8 sequence at p, 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p)
{
	size_t len;
	unsigned cp;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		cp = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* The initial of the character of n bytes at p in one of the nt groups
 * of t, or 0. UTF-8 is self-synchronising, so strstr finds only whole
 * characters. */
static char group_initial(const struct group *t, size_t nt,
			  const unsigned char *p, size_t n)
{
	char seq[5];
	memcpy(seq, p, n);
	seq[n] = '\0';
	for (size_t i = 0; i < nt; i++)
		if (strstr(t[i].chars, seq) != NULL)
			return t[i].initial;
	return 0;
}

/* The initial of one character by its GB2312 code, or 0. */
/* A converter from UTF-8 opened once per thread and kept: opening one
 * costs more than a whole record's checks, and every child's name needs
 * two (GB2312 for initials, GB18030 for the sort key). NULL-like
 * (iconv_t)-1 when the C library lacks it. */
static iconv_t converter(iconv_t *slot, int *tried, const char *to)
{
	if (!*tried) {
		*slot = iconv_open(to, "UTF-8");
		*tried = 1;
	}
	if (*slot != (iconv_t)-1)
		iconv(*slot, NULL, NULL, NULL, NULL); /* back to the start state */
	return *slot;
}

static _Thread_local iconv_t to_gb2312, to_gb18030;
static _Thread_local int tried_gb2312, tried_gb18030;

void form_thread_done(void)
{
	if (tried_gb2312 && to_gb2312 != (iconv_t)-1)
		iconv_close(to_gb2312);
	if (tried_gb18030 && to_gb18030 != (iconv_t)-1)
		iconv_close(to_gb18030);
	tried_gb2312 = tried_gb18030 = 0;
}

static char gb2312_initial(iconv_t cd, const unsigned char *p, size_t n)
{
	char in[5], gb[8];
	char *ip = in, *op = gb;
	size_t inleft = n, outleft = sizeof(gb);

	memcpy(in, p, n);
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1 ||
	    sizeof(gb) - outleft != 2)
		return 0;
	unsigned code = (unsigned char)gb[0] << 8 | (unsigned char)gb[1];
	if (code < level1[0].first || code > LEVEL1_LAST)
		return 0;
	char initial = 0;
	for (size_t i = 0; i < sizeof(level1) / sizeof(level1[0]); i++)
		if (code >= level1[i].first)
			initial = level1[i].initial;
	return initial;
}

/* Lower-case pinyin initials of s into out; XB_EINVAL when out is too
 * small (it holds what fits), XB_EFAIL when the converter is missing (it
 * holds the ASCII and table initials). */
int form_pinyin_initials(const char *s, char *out, size_t len)
{
	int rc = XB_OK;
	size_t n = 0;

	if (out == NULL || len == 0)
		return XB_EINVAL;
	out[0] = '\0';
	if (s == NULL)
		return XB_OK;

	iconv_t cd = converter(&to_gb2312, &tried_gb2312, "GB2312");
	if (cd == (iconv_t)-1)
		rc = XB_EFAIL;

	const unsigned char *start = (const unsigned char *)s;
	while (*start == ' ')
		start++;
	for (const unsigned char *p = start; *p != '\0';) {
		size_t sl = utf8_seq(p);
		char c = 0;
		if (sl == 0) {
			p++; /* a stray byte: skip it */
			continue;
		}
		if (sl == 1) {
			if (*p >= 'A' && *p <= 'Z')
				c = (char)(*p - 'A' + 'a');
			else if ((*p >= 'a' && *p <= 'z') ||
				 (*p >= '0' && *p <= '9'))
				c = (char)*p;
		} else {
			if (p == start)
				c = group_initial(surnames, NGROUPS(surnames),
						  p, sl);
			if (c == 0)
				c = group_initial(level2, NGROUPS(level2), p,
						  sl);
			if (c == 0 && cd != (iconv_t)-1)
				c = gb2312_initial(cd, p, sl);
		}
		if (c != 0) {
			if (n + 1 < len)
				out[n++] = c;
			else
				rc = XB_EINVAL;
		}
		p += sl;
	}
	out[n] = '\0';
	return rc;
}

int form_name_sort_key(const char *name, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char gb[256];
	size_t n = 0;
	out[0] = '\0';
	if (name == NULL || len < 3)
		return XB_EINVAL;
	/* GB18030 orders the common characters (GB2312 level 1) by their
	 * pinyin; raw UTF-8 if the converter is missing. */
	iconv_t cd = converter(&to_gb18030, &tried_gb18030, "GB18030");
	if (cd != (iconv_t)-1) {
		char *in = (char *)name, *o = gb;
		size_t inleft = strlen(name), outleft = sizeof(gb);
		if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
			n = sizeof(gb) - outleft;
	}
	const unsigned char *p = (const unsigned char *)(n ? gb : name);
	if (n == 0)
		n = strlen(name);
	size_t o = 0;
	for (size_t i = 0; i < n && o + 2 < len; i++) {
		out[o++] = hex[p[i] >> 4];
		out[o++] = hex[p[i] & 15];
	}
	out[o] = '\0';
	return XB_OK;
}
