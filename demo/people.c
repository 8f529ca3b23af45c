/* people.c - the people of the region: surnames weighted for Jilin and
 * its Korean families, given names of children born since 2008 and of
 * their elders, mobile and landline numbers, and ID numbers unique in
 * one generator. The lists are data, kept long and in one place. */
#include <stdio.h>
#include <string.h>

#include "private.h"
#include "../common/digits.h"

/* The hundred commonest surnames, weighted for the north-east (王, 李,
 * 张, 刘, 于, 孙, 姜 and 崔 more common than in the south). */
static const struct weighted surnames[] = {
	{ "王", 760 }, { "李", 740 }, { "张", 700 }, { "刘", 580 },
	{ "陈", 300 }, { "杨", 300 }, { "赵", 320 }, { "黄", 120 },
	{ "周", 170 }, { "吴", 160 }, { "徐", 150 }, { "孙", 240 },
	{ "马", 170 }, { "朱", 110 }, { "胡", 100 }, { "郭", 130 },
	{ "何", 70 },  { "高", 160 }, { "林", 70 },  { "罗", 50 },
	{ "郑", 80 },  { "梁", 90 },  { "谢", 40 },  { "宋", 120 },
	{ "唐", 50 },  { "许", 60 },  { "韩", 120 }, { "冯", 70 },
	{ "邓", 30 },  { "曹", 70 },  { "彭", 30 },  { "曾", 15 },
	{ "肖", 40 },  { "田", 80 },  { "董", 90 },  { "袁", 40 },
	{ "潘", 40 },  { "于", 200 }, { "蒋", 30 },  { "蔡", 25 },
	{ "余", 15 },  { "杜", 60 },  { "叶", 15 },  { "程", 40 },
	{ "苏", 50 },  { "魏", 60 },  { "吕", 60 },  { "丁", 50 },
	{ "任", 60 },  { "沈", 40 },  { "姚", 40 },  { "卢", 40 },
	{ "姜", 120 }, { "崔", 100 }, { "钟", 15 },  { "谭", 25 },
	{ "陆", 25 },  { "汪", 15 },  { "范", 50 },  { "金", 80 },
	{ "石", 50 },  { "廖", 10 },  { "贾", 50 },  { "夏", 25 },
	{ "韦", 10 },  { "付", 50 },  { "方", 25 },  { "白", 50 },
	{ "邹", 25 },  { "孟", 60 },  { "熊", 15 },  { "秦", 40 },
	{ "邱", 20 },  { "江", 20 },  { "尹", 40 },  { "薛", 30 },
	{ "闫", 40 },  { "段", 30 },  { "雷", 20 },  { "侯", 50 },
	{ "龙", 15 },  { "史", 40 },  { "陶", 20 },  { "黎", 10 },
	{ "贺", 30 },  { "顾", 20 },  { "毛", 20 },  { "郝", 40 },
	{ "龚", 10 },  { "邵", 30 },  { "万", 20 },  { "钱", 20 },
	{ "严", 20 },  { "武", 40 },  { "戴", 20 },  { "莫", 10 },
	{ "孔", 30 },  { "常", 40 },  { "齐", 40 },  { "汤", 20 },
};

/* Surnames of the Korean (朝鲜族) families of Jilin. */
static const struct weighted korean_surnames[] = {
	{ "金", 30 }, { "李", 20 }, { "朴", 20 }, { "崔", 10 },
	{ "郑", 6 },  { "姜", 5 },  { "张", 4 },  { "赵", 3 }, { "全", 2 },
};

/* Characters of given names: GB2312 level 1, with some level-2 ones
 * common in names of children born since 2008 (昊, 梓, 睿, 萱, 琪...). */
static const char *const boy_chars[] = {
	"伟", "刚", "勇", "毅", "俊", "峰", "强", "军", "平",
	"东", "文", "辉", "力", "明", "永", "健", "志", "兴",
	"良", "海", "山", "波", "宁", "福", "生", "龙", "全",
	"国", "胜", "学", "祥", "才", "新", "利", "飞", "彬",
	"顺", "子", "杰", "涛", "成", "康", "星", "光", "天",
	"达", "安", "岩", "中", "林", "坚", "博", "诚", "振",
	"思", "豪", "承", "乐", "松", "庆", "磊", "民", "哲",
	"江", "超", "浩", "亮", "宏", "鸣", "鹏", "斌", "栋",
	"启", "翔", "旭", "泽", "晨", "辰", "宇", "轩", "航",
	"铭", "嘉", "然", "一", "凯", "锦", "阳", "瑞", "佳",
	"硕", "恒", "奇", "家", "建", "德", "昊", "皓", "睿",
	"梓", "锴", "煜", "骁", "晟", "翊", "鑫", "炜", "烨",
	"钊", "琛", "楠",
};

static const char *const girl_chars[] = {
	"秀", "娟", "英", "华", "慧", "巧", "美", "娜", "静",
	"淑", "惠", "雅", "玉", "萍", "红", "玲", "芬", "芳",
	"燕", "春", "兰", "凤", "洁", "梅", "琳", "云", "雪",
	"荣", "爱", "霞", "香", "月", "艳", "瑞", "佳", "嘉",
	"琼", "珍", "莉", "桂", "晶", "秋", "珊", "青", "婉",
	"颖", "露", "瑶", "怡", "丹", "蓉", "君", "琴", "梦",
	"欣", "悦", "冰", "爽", "晓", "欢", "可", "丽", "阳",
	"宝", "雨", "紫", "诗", "涵", "思", "语", "一", "若",
	"依", "心", "梓", "萱", "馨", "琪", "婷", "妍", "钰",
	"雯", "薇", "璐", "瑾", "晗", "芮", "婧", "菡", "媛",
	"嫣", "芸", "昕", "曦", "妤",
};

/* Mobile prefixes in use (China Mobile, Unicom, Telecom). */
static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138",
	"139", "150", "151", "152", "153", "155", "156", "157", "158",
	"159", "166", "176", "177", "178", "180", "181", "182", "183",
	"184", "185", "186", "187", "188", "189", "191", "198", "199",
};

/* Other Jilin regions a parent may be registered in. */
static const char *const jilin_regions[] = {
	"220102", "220104", "220112", "220122", "220182", "220183",
	"220202", "220204", "220211", "220221", "220281", "220282",
	"220283", "220284", "220302", "220322", "220382", "220402",
	"220422", "220502", "220521", "220581", "220602", "220621",
	"220702", "220721", "220802", "220822", "222401", "222403",
};

void synth_mobile(struct synth *s, char out[12])
{
	/* drawn in the order the earlier printf call drew them (GCC
	 * evaluates arguments right to left): the same seed, the same data */
	unsigned rest = below(s, 100000000);
	const char *prefix = pick(s, mobile_prefixes, COUNT(mobile_prefixes));
	memcpy(out, prefix, 3); /* every prefix is three digits */
	*xb_digits(out + 3, rest, 8) = '\0';
}

void synth_landline(struct synth *s, char out[16])
{
	snprintf(out, 16, "%s-6%07u", s->area_code, below(s, 10000000));
}

/* A given name: one character or, more often, two. */
static void given_name(struct synth *s, int male, char *out, size_t len)
{
	const char *const *chars = male ? boy_chars : girl_chars;
	size_t n = male ? COUNT(boy_chars) : COUNT(girl_chars);
	const char *a = pick(s, chars, n);
	if (chance(s, 180)) {
		snprintf(out, len, "%s", a);
		return;
	}
	const char *b = pick(s, chars, n);
	if (strcmp(a, b) == 0 && chance(s, 800)) /* 欣欣 is fine, now and then */
		b = pick(s, chars, n);
	snprintf(out, len, "%s%s", a, b);
}

void synth_person_name(struct synth *s, const char *surname, int male,
		       char *out, size_t len)
{
	char given[16];
	given_name(s, male, given, sizeof(given));
	size_t a = strlen(surname), g = strlen(given);
	if (a + g >= len) {
		snprintf(out, len, "%s%s", surname, given);
		return;
	}
	memcpy(out, surname, a);
	memcpy(out + a, given, g + 1);
}

void synth_any_name(struct synth *s, unsigned male_per_mille, char *out,
		    size_t len)
{
	/* the sex before the surname: the order GCC drew them in when both
	 * were arguments of one call (right to left) */
	int male = chance(s, male_per_mille);
	synth_person_name(s, synth_surname(s), male, out, len);
}

const char *synth_surname(struct synth *s)
{
	return pick_weighted(s, surnames, COUNT(surnames));
}

const char *synth_korean_surname(struct synth *s)
{
	return pick_weighted(s, korean_surnames, COUNT(korean_surnames));
}

const char *synth_other_region(struct synth *s)
{
	return pick(s, jilin_regions, COUNT(jilin_regions));
}

void synth_id_number(const char *region, long birth, unsigned order3,
		     char out[19])
{
	int y, m, d;
	synth_civil_from_days(birth, &y, &m, &d);
	memcpy(out, region, 6);
	char *p = xb_digits(out + 6, (unsigned)y, 4);
	p = xb_digits(p, (unsigned)m, 2);
	p = xb_digits(p, (unsigned)d, 2);
	xb_digits(p, order3 % 1000, 3);
	out[17] = form_mod11_2(out, 17);
	out[18] = '\0';
}

int synth_child_order(struct synth *s, long birth, int male)
{
	uint16_t *used = &s->st.seq[(unsigned long)birth % SEQ_RING][male];
	if (*used >= 500)
		return -1;
	/* Where a day's numbers start depends on the seed, so generators
	 * with different seeds rarely hand out the same number. */
	unsigned start = (unsigned)(mix64(s->seed ^ (uint64_t)birth * 2654435761u) % 500);
	unsigned n = (start + *used * 7u) % 500; /* 7 is prime to 500 */
	(*used)++;
	return (int)(n * 2 + (male ? 1 : 0));
}
