/* synth.c - realistic synthetic ledgers of a rural township in Jilin
 * Province: children with Chinese names in the township's villages, parents
 * working away in named cities, grandparents as guardians, home visits over
 * the past year and mandatory reports at every stage of their handling.
 *
 * Everything comes from one deterministic generator (splitmix64) seeded by
 * the caller: the same seed gives the same ledger. What belongs to the
 * township itself (its villages, their codes and responsible members) comes
 * from the township code alone, so generators with different seeds agree
 * on it. A child's visit schedule comes from the child's own fields, so
 * visit n of a child always falls after visit n-1 whatever else was drawn
 * in between. Every value is one the schema accepts (form_check_record). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "../forms/ledger.h"
#include "../common/clock.h"
#include "../common/digits.h"
#include "../common/i18n.h"

/* --- the generator --------------------------------------------------------- */

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t next64(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

/* A hash of a string, for what must follow from a record's own fields. */
static uint64_t hash_str(uint64_t h, const char *s)
{
	h ^= 0xcbf29ce484222325ULL;
	for (; s != NULL && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return mix64(h);
}

/* --- calendar ---------------------------------------------------------------- */


static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* The day number of a YYYY-MM-DD date; today's when it is not one. */
static long day_of(const char *date)
{
	int y, m, d;
	char now[11];
	if (date == NULL || form_parse_date(date, &y, &m, &d) != 0) {
		xb_today(now, sizeof(now));
		form_parse_date(now, &y, &m, &d);
	}
	return form_days_from_civil(y, m, d);
}

static void date_str(long day, char out[11])
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	char *p = xb_digits(out, (unsigned)y, 4);
	*p++ = '-';
	p = xb_digits(p, (unsigned)m, 2);
	*p++ = '-';
	*xb_digits(p, (unsigned)d, 2) = '\0';
}

static void datetime_str(long day, int minute, char out[32])
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02d %02d:%02d", y, m, d,
		 (minute / 60) % 24, minute % 60);
}

/* --- the word lists -------------------------------------------------------- */

struct weighted {
	const char *s;
	unsigned w;
};

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

static const char *const township_names[] = {
	"双河镇", "朝阳镇", "太平镇", "岔路河镇", "万昌镇", "口前镇",
	"西阳镇", "一拉溪镇", "金家乡", "黄榆乡", "双顶山镇", "大屯镇",
	"新立镇", "兴隆镇", "红石镇", "三家子乡", "桦树镇", "烟筒山镇",
	"明城镇", "呼兰镇", "驿马镇", "黄泥河镇", "官地镇", "八道河子镇",
};

static const char *const village_names[] = {
	"前进村", "红旗村", "太平村", "新立村", "永安村", "长胜村",
	"东升村", "胜利村", "和平村", "民主村", "团结村", "新民村",
	"向阳村", "光明村", "永丰村", "双山村", "三合村", "四合村",
	"五星村", "兴隆村", "富民村", "裕民村", "东风村", "新华村",
	"福安村", "保安村", "荣华村", "新兴村", "平安村", "长安村",
	"永胜村", "宝山村", "北山村", "南岗村", "西岭村", "腰屯村",
	"榆树村", "柳河村", "杨木村", "靠山村", "大岭村", "小河村",
	"二道沟村", "三道岗村", "孤家子村", "河南村", "河北村", "前屯村",
};

static const char *const group_names[] = {
	"一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组",
};

/* Where the parents of Jilin's rural children work. */
static const struct weighted cities[] = {
	{ "长春市", 240 }, { "吉林市", 70 }, { "北京市", 110 },
	{ "天津市", 60 },  { "大连市", 80 }, { "沈阳市", 60 },
	{ "青岛市", 50 },  { "上海市", 55 }, { "苏州市", 45 },
	{ "深圳市", 45 },  { "广州市", 35 }, { "杭州市", 35 },
	{ "哈尔滨市", 25 }, { "烟台市", 20 }, { "宁波市", 15 },
	{ "韩国首尔", 25 }, { "延吉市", 15 }, { "通化市", 10 },
};

static const char *const disabilities[] = {
	"肢体残疾三级", "肢体残疾四级", "智力残疾二级", "智力残疾三级",
	"听力残疾三级", "视力残疾四级", "言语残疾四级", "多重残疾二级",
};

static const char *const illnesses[] = {
	"先天性心脏病，需定期复查", "哮喘", "癫痫，规律服药",
	"慢性肾炎", "白血病，治疗中", "营养不良",
};

static const char *const incapable_reasons[] = {
	"患精神疾病，无监护能力", "重度残疾，长期卧床", "长期患病，生活不能自理",
	"智力残疾，无监护能力", "服刑中",
};

static const char *const problems[] = {
	"祖父母年迈，辅导作业困难", "房屋年久失修，冬季取暖不足",
	"孩子情绪低落，与父母联系少", "放学后常独自在家", "沉迷手机游戏",
	"上学路途较远，冬季路滑", "监护人身体不好，照料吃力",
	"学习成绩下降", "家中无人做饭，饮食不规律", "与同学有矛盾",
};

static const char *const helps[] = {
	"联系班主任加强关注", "协调发放冬季取暖煤", "帮助孩子与父母视频通话",
	"申请临时救助", "开展亲情陪伴活动", "送去学习用品和冬衣",
	"提醒监护人注意用电用火安全", "安排爱心家长每周探望",
	"联系乡镇卫生院上门体检", "讲解防溺水知识",
};

static const char *const risk_notes[] = {
	"监护人年迈多病，监护能力弱", "家中有河道、水塘，夏季注意防溺水",
	"父母长期联系不上", "住房为危房，已申请改造", "曾有离家出走经历",
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

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- the generator's state ----------------------------------------------- */

#define SEQ_RING 8192 /* > 16 years of days: the ring never wraps onto
			 itself inside the children's birth range */

struct village {
	char code[13];
	const char *name;
	int groups;
	char member[32];
	char member_phone[12];
};

/* What moves as records are made: saved at the start of a batch and put
 * back when the batch runs again after a lost deadlock, so the rerun
 * makes the same records. */
struct synth_state {
	uint64_t rng;
	/* children already given an ID number per (birth day, sex) */
	uint16_t seq[SEQ_RING][2];
};

struct synth {
	uint64_t seed;
	char township[10];
	char region[7]; /* the ID numbers' region: the county */
	const char *town_name; /* 双河镇 */
	char town_short[32];   /* 双河: for the police station */
	char area_code[5];     /* landline area code of the city */
	int nvillages;
	struct village villages[16];
	int visits_planned; /* how many visits synth_fill gives each child */
	struct synth_state st;
};

static uint64_t rnd(struct synth *s)
{
	return next64(&s->st.rng);
}

/* 0 <= n < bound */
static unsigned below(struct synth *s, unsigned bound)
{
	return bound ? (unsigned)(rnd(s) % bound) : 0;
}

/* lo <= n <= hi */
static int between(struct synth *s, int lo, int hi)
{
	return lo + (int)below(s, (unsigned)(hi - lo + 1));
}

/* 1 with a probability of per_mille / 1000. */
static int chance(struct synth *s, unsigned per_mille)
{
	return below(s, 1000) < per_mille;
}

static const char *pick(struct synth *s, const char *const *list, size_t n)
{
	return list[below(s, (unsigned)n)];
}

static const char *pick_weighted(struct synth *s, const struct weighted *list,
				 size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += list[i].w;
	unsigned r = below(s, total);
	for (size_t i = 0; i < n; i++) {
		if (r < list[i].w)
			return list[i].s;
		r -= list[i].w;
	}
	return list[n - 1].s;
}

/* A choice code by weights given in the order of the codes. */
static const char *pick_code(struct synth *s, const char *const *codes,
			     const unsigned *weights, size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += weights[i];
	unsigned r = below(s, total);
	for (size_t i = 0; i < n; i++) {
		if (r < weights[i])
			return codes[i];
		r -= weights[i];
	}
	return codes[n - 1];
}

#define PICK_CODE(s, codes, weights) \
	pick_code(s, codes, weights, COUNT(codes))

static void mobile(struct synth *s, char out[12])
{
	/* drawn in the order the earlier printf call drew them (GCC
	 * evaluates arguments right to left): the same seed, the same data */
	unsigned rest = below(s, 100000000);
	const char *prefix = pick(s, mobile_prefixes, COUNT(mobile_prefixes));
	memcpy(out, prefix, 3); /* every prefix is three digits */
	*xb_digits(out + 3, rest, 8) = '\0';
}

static void landline(struct synth *s, char out[16])
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

static void person_name(struct synth *s, const char *surname, int male,
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

static const char *surname(struct synth *s)
{
	return pick_weighted(s, surnames, COUNT(surnames));
}

/* An 18-character ID number: region, birth date, order code (its last
 * digit odd for a man), check character. */
static void id_number(const char *region, long birth, unsigned order3,
		      char out[19])
{
	int y, m, d;
	civil_from_days(birth, &y, &m, &d);
	memcpy(out, region, 6);
	char *p = xb_digits(out + 6, (unsigned)y, 4);
	p = xb_digits(p, (unsigned)m, 2);
	p = xb_digits(p, (unsigned)d, 2);
	xb_digits(p, order3 % 1000, 3);
	out[17] = form_mod11_2(out, 17);
	out[18] = '\0';
}

/* The order code of the next child born on `birth` of a sex, unique in
 * this generator; -1 when that day's 500 are used. */
static int child_order(struct synth *s, long birth, int male)
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

/* --- the township -------------------------------------------------------- */

struct synth *synth_new(uint64_t seed, const char *township)
{
	if (township == NULL || strlen(township) != 9)
		return NULL;
	for (int i = 0; i < 9; i++)
		if (township[i] < '0' || township[i] > '9')
			return NULL;
	struct synth *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->seed = seed;
	s->visits_planned = 4;
	memcpy(s->township, township, 9);
	memcpy(s->region, township, 6);
	/* The township's own things follow from its code alone. */
	uint64_t t = hash_str(0x7853796e7468ULL, township);
	s->st.rng = t;
	s->town_name = pick(s, township_names, COUNT(township_names));
	size_t tl = strlen(s->town_name);
	/* drop the last character, 镇 or 乡 (3 bytes in UTF-8) */
	snprintf(s->town_short, sizeof(s->town_short), "%.*s", (int)(tl - 3),
		 s->town_name);
	static const struct { const char *prefix, *area; } areas[] = {
		{ "2201", "0431" }, { "2202", "0432" }, { "2203", "0434" },
		{ "2204", "0437" }, { "2205", "0435" }, { "2206", "0439" },
		{ "2207", "0438" }, { "2208", "0436" }, { "2224", "0433" },
	};
	snprintf(s->area_code, sizeof(s->area_code), "0432");
	for (size_t i = 0; i < COUNT(areas); i++)
		if (strncmp(township, areas[i].prefix, 4) == 0)
			snprintf(s->area_code, sizeof(s->area_code), "%s", areas[i].area);

	s->nvillages = between(s, 8, 15);
	int taken[COUNT(village_names)] = { 0 };
	for (int i = 0; i < s->nvillages; i++) {
		struct village *v = &s->villages[i];
		unsigned k;
		do
			k = below(s, COUNT(village_names));
		while (taken[k]);
		taken[k] = 1;
		v->name = village_names[k];
		/* 2xx: villagers' committees (1xx would be residents'). */
		snprintf(v->code, sizeof(v->code), "%.9s%03u", township,
			 (unsigned)(201 + i) % 1000u);
		v->groups = between(s, 4, 8);
		person_name(s, surname(s), chance(s, 700), v->member,
			    sizeof(v->member));
		mobile(s, v->member_phone);
	}
	/* The records themselves follow from the seed. */
	s->st.rng = mix64(seed ^ 0x5eed5eed5eed5eedULL);
	return s;
}

void synth_free(struct synth **s)
{
	if (s == NULL)
		return;
	free(*s);
	*s = NULL;
}

/* --- children ------------------------------------------------------------ */

/* A record's fields gathered on the stack and handed to the record at
 * the end in one block (store_record_fill): a record set field by field
 * cost two allocator calls a field, and synthetic records are made by
 * the hundred thousand. A failure (too many fields or bytes) is kept for
 * the end. */
enum { BUILDER_FIELDS = 96, BUILDER_BYTES = 8192 };

struct builder {
	struct store_record *rec;
	int failed;
	size_t n, used;
	struct store_field field[BUILDER_FIELDS]; /* strings in buf */
	char buf[BUILDER_BYTES];
};

static char *keep(struct builder *b, const char *s)
{
	size_t n = strlen(s) + 1;
	if (BUILDER_BYTES - b->used < n) {
		b->failed = 1;
		return NULL;
	}
	char *p = memcpy(b->buf + b->used, s, n);
	b->used += n;
	return p;
}

/* Sets a field; NULL or "" removes it, as store_record_set does. */
static void put(struct builder *b, const char *key, const char *value)
{
	size_t i = 0;
	while (i < b->n && (b->field[i].key[0] != key[0] || strcmp(b->field[i].key, key) != 0))
		i++;
	if (value == NULL || *value == '\0') {
		if (i < b->n) {
			b->n--;
			memmove(&b->field[i], &b->field[i + 1], (b->n - i) * sizeof(b->field[0]));
		}
		return;
	}
	char *v = keep(b, value);
	if (v == NULL)
		return;
	if (i < b->n) {
		b->field[i].value = v;
		return;
	}
	char *k = keep(b, key);
	if (k == NULL || b->n == BUILDER_FIELDS) {
		b->failed = 1;
		return;
	}
	b->field[b->n++] = (struct store_field){ k, v };
}

/* A builder for a new record of kind; finish() hands it over. */
static void builder_start(struct builder *b, enum store_kind kind)
{
	b->rec = store_record_new(kind);
	b->failed = b->rec == NULL;
	b->n = b->used = 0;
}

static void putf(struct builder *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void putf(struct builder *b, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(b, key, buf);
}

static struct store_record *finish(struct builder *b)
{
	if (!b->failed &&
	    store_record_fill(b->rec, b->field, b->n) != XB_OK)
		b->failed = 1;
	if (b->failed)
		store_record_free(&b->rec);
	return b->rec;
}

/* The most recent 1 September on or before today: school years start
 * then, and a child who is 6 on that day enters the first grade. */
static int school_age(long birth, long today)
{
	int ty, tm, td, by, bm, bd;
	civil_from_days(today, &ty, &tm, &td);
	civil_from_days(birth, &by, &bm, &bd);
	int year = tm >= 9 ? ty : ty - 1;
	int age = year - by;
	if (bm > 9 || (bm == 9 && bd > 1))
		age--;
	return age;
}

static const char *const grade_names[] = {
	"一年级", "二年级", "三年级", "四年级", "五年级", "六年级",
	"七年级", "八年级", "九年级", "高一",
};

static void school_fields(struct synth *s, struct builder *b, long birth,
			  long today, const struct village *v)
{
	int sa = school_age(birth, today);
	int grade = sa - 5; /* 1 = first grade */
	if (grade < 1) {
		put(b, "enrolment", "preschool");
		if (sa >= 3 && chance(s, 650)) {
			putf(b, "school", "%s中心幼儿园", s->town_name);
			put(b, "grade", sa == 3 ? "小班" : sa == 4 ? "中班" : "大班");
		}
		return;
	}
	if (grade > 10)
		grade = 10;
	if (chance(s, 5)) { /* never went to school */
		put(b, "enrolment", "never_enrolled");
		return;
	}
	if (grade <= 6) {
		if (grade <= 3 && chance(s, 250))
			putf(b, "school", "%s小学", v->name);
		else
			putf(b, "school", "%s中心小学", s->town_name);
	} else if (grade <= 9) {
		putf(b, "school", "%s中学", s->town_name);
	} else {
		put(b, "school", "县第一高级中学");
	}
	if (grade >= 7 && chance(s, 60)) { /* left school */
		put(b, "enrolment", "dropped_out");
		return;
	}
	put(b, "enrolment", "in_school");
	put(b, "grade", grade_names[grade - 1]);
	unsigned boarding = grade >= 10 ? 900 : grade >= 7 ? 450 : 80;
	put(b, "boarding", chance(s, boarding) ? "yes" : "no");
}

/* One parent's fields. status: away, home, deceased. */
/* "father_name" and the like into key[40]: p and what are short words. */
static void parent_key(char key[40], const char *p, const char *what)
{
	size_t a = strlen(p), w = strlen(what);
	memcpy(key, p, a);
	key[a] = '_';
	memcpy(key + a + 1, what, w + 1);
}

static void parent_fields(struct synth *s, struct builder *b, const char *p,
			  const char *name, int male, long child_birth,
			  long today, const char *status, const char *capable)
{
	char key[40], buf[64];
	parent_key(key, p, "name");
	put(b, key, name);
	parent_key(key, p, "status");
	put(b, key, status);
	if (strcmp(status, "deceased") == 0)
		return;
	if (chance(s, 700)) {
		/* born 20 to 40 years before the child */
		long birth = child_birth - between(s, 20 * 365, 40 * 365);
		const char *region = chance(s, 850)
					     ? s->region
					     : pick(s, jilin_regions, COUNT(jilin_regions));
		char id[19];
		id_number(region, birth, below(s, 500) * 2 + (male ? 1 : 0), id);
		parent_key(key, p, "id_number");
		put(b, key, id);
	}
	int away = strcmp(status, "away") == 0;
	if (away || chance(s, 500)) {
		mobile(s, buf);
		parent_key(key, p, "phone");
		put(b, key, buf);
	}
	if (away) {
		parent_key(key, p, "work_place");
		put(b, key, pick_weighted(s, cities, COUNT(cities)));
		/* left when the child was small, and at least a month ago
		 * unless the child is younger than that */
		long lo = child_birth, hi = today - 30;
		if (hi < lo)
			hi = today;
		long since = lo + (long)below(s, (unsigned)(hi - lo + 1));
		/* most left within the last few years */
		if (hi - since > 6 * 365 && chance(s, 600))
			since = hi - (long)below(s, 6 * 365);
		char date[11];
		date_str(since, date);
		parent_key(key, p, "away_since");
		put(b, key, date);
		static const char *const contact[] = { "weekly", "monthly",
						       "quarterly", "yearly",
						       "rarely" };
		static const unsigned cw[] = { 450, 330, 110, 60, 50 };
		parent_key(key, p, "contact");
		put(b, key, PICK_CODE(s, contact, cw));
	}
	if (capable != NULL) {
		parent_key(key, p, "capable");
		put(b, key, capable);
	}
}

struct store_record *synth_child(struct synth *s, const char *today_s)
{
	struct builder b;
	builder_start(&b, STORE_CHILD);
	if (b.rec == NULL)
		return NULL;
	long today = day_of(today_s);
	const struct village *v = &s->villages[below(s, (unsigned)s->nvillages)];
	char buf[128], risk[256] = "";

	/* ethnicity and the family name */
	static const char *const ethnic[] = { "汉族", "满族", "朝鲜族", "蒙古族",
					      "回族" };
	static const unsigned ew[] = { 880, 60, 45, 10, 5 };
	const char *eth = PICK_CODE(s, ethnic, ew);
	int korean = strcmp(eth, "朝鲜族") == 0;
	const char *fsur = korean ? pick_weighted(s, korean_surnames,
						  COUNT(korean_surnames))
				  : surname(s);
	const char *msur = korean ? pick_weighted(s, korean_surnames,
						  COUNT(korean_surnames))
				  : surname(s);
	int male = chance(s, 530);

	/* born 0 to 15 full years ago: from 16 years before today (less a
	 * day) to yesterday */
	int ty, tm, td;
	civil_from_days(today, &ty, &tm, &td);
	long oldest;
	if (tm == 2 && td == 29)
		oldest = form_days_from_civil(ty - 16, 3, 1);
	else
		oldest = form_days_from_civil(ty - 16, tm, td) + 1;
	long birth = 0;
	int order = -1;
	for (int tries = 0; tries < 50 && order < 0; tries++) {
		birth = oldest + (long)below(s, (unsigned)(today - oldest));
		order = child_order(s, birth, male);
	}

	/* name */
	char name[64];
	person_name(s, chance(s, 950) ? fsur : msur, male, name, sizeof(name));
	put(&b, "name", name);

	/* ID number, or none for the few without household registration */
	char date[11];
	date_str(birth, date);
	if (order < 0 || chance(s, 20)) {
		put(&b, "no_hukou", "yes");
		put(&b, "birth_date", date);
		put(&b, "sex", male ? "M" : "F");
	} else {
		char id[19];
		id_number(s->region, birth, (unsigned)order, id);
		put(&b, "id_number", id);
		/* the clerk types them now and then; they must agree */
		if (chance(s, 300)) {
			put(&b, "birth_date", date);
			put(&b, "sex", male ? "M" : "F");
		}
	}
	put(&b, "ethnicity", eth);

	/* where */
	put(&b, "village_code", v->code);
	put(&b, "village", v->name);
	const char *group = group_names[below(s, (unsigned)v->groups)];
	put(&b, "group", group);
	putf(&b, "address", "%s%s%d号", v->name, group, between(s, 1, 120));

	/* parents: both away (80%), one away and the other incapable (15%),
	 * or not left behind at all (5%: the warnings must show) */
	char father[64], mother[64];
	person_name(s, fsur, 1, father, sizeof(father));
	person_name(s, msur, 0, mother, sizeof(mother));
	unsigned kind = below(s, 1000);
	const char *fstat = "away", *mstat = "away";
	const char *fcap = NULL, *mcap = NULL;
	int parent_home_capable = 0;
	if (kind < 800) {
		/* both away */
	} else if (kind < 950) {
		int father_home = chance(s, 400);
		const char **stat = father_home ? &fstat : &mstat;
		const char **cap = father_home ? &fcap : &mcap;
		if (chance(s, 150)) {
			*stat = "deceased";
			snprintf(risk, sizeof(risk), "%s已故。",
				 father_home ? "父亲" : "母亲");
		} else {
			*stat = "home";
			*cap = "none";
			snprintf(risk, sizeof(risk), "%s%s。",
				 father_home ? "父亲" : "母亲",
				 pick(s, incapable_reasons, COUNT(incapable_reasons)));
		}
	} else if (kind < 985) {
		/* one at home and able to look after the child */
		if (chance(s, 500)) {
			fstat = "home";
			fcap = "good";
		} else {
			mstat = "home";
			mcap = "good";
		}
		parent_home_capable = 1;
	} else {
		fstat = mstat = "home";
		fcap = mcap = "good";
		parent_home_capable = 1;
	}
	parent_fields(s, &b, "father", father, 1, birth, today, fstat, fcap);
	parent_fields(s, &b, "mother", mother, 0, birth, today, mstat, mcap);

	/* guardian */
	if (parent_home_capable) {
		put(&b, "guardian_relation", "parent");
		int fh = strcmp(fstat, "home") == 0;
		put(&b, "guardian_name", fh ? father : mother);
		snprintf(buf, sizeof(buf), "%d",
			 (int)((today - birth) / 365) + between(s, 22, 38));
		put(&b, "guardian_age", buf);
		mobile(s, buf);
		put(&b, "guardian_phone", buf);
		put(&b, "guardian_capacity", "good");
	} else if (chance(s, 15)) {
		put(&b, "guardian_relation", "none");
		size_t rl = strlen(risk);
		snprintf(risk + rl, sizeof(risk) - rl, "无人监护，独自生活。");
	} else {
		static const char *const rel[] = { "grandparent", "relative",
						   "sibling", "entrusted" };
		static const unsigned rw[] = { 900, 60, 15, 25 };
		const char *relation = PICK_CODE(s, rel, rw);
		char gname[64];
		int gage;
		if (strcmp(relation, "grandparent") == 0) {
			/* paternal grandparents more often than maternal */
			int paternal = chance(s, 700), gmale = chance(s, 450);
			const char *gs = gmale ? (paternal ? fsur : msur) : surname(s);
			person_name(s, gs, gmale, gname, sizeof(gname));
			gage = between(s, 55, 80);
			if (gage < (today - birth) / 365 + 40)
				gage = (int)((today - birth) / 365) + 40;
			if (gage > 85)
				gage = 85;
		} else if (strcmp(relation, "sibling") == 0) {
			int gmale = chance(s, 500);
			person_name(s, fsur, gmale, gname, sizeof(gname));
			gage = between(s, 18, 22);
		} else {
			int gmale = chance(s, 500);
			person_name(s, strcmp(relation, "relative") == 0 && gmale
					       ? fsur : surname(s),
				    gmale, gname, sizeof(gname));
			gage = between(s, 30, 62);
		}
		put(&b, "guardian_relation", relation);
		put(&b, "guardian_name", gname);
		snprintf(buf, sizeof(buf), "%d", gage);
		put(&b, "guardian_age", buf);
		if (chance(s, 850)) {
			if (chance(s, 250)) {
				char ll[16];
				landline(s, ll);
				put(&b, "guardian_phone", ll);
			} else {
				mobile(s, buf);
				put(&b, "guardian_phone", buf);
			}
		}
		int weak = gage >= 72 ? chance(s, 600) : chance(s, 200);
		put(&b, "guardian_capacity", weak ? "weak" : "good");
		if (weak && chance(s, 500)) {
			size_t rl = strlen(risk);
			snprintf(risk + rl, sizeof(risk) - rl, "%s",
				 "监护人年迈多病，监护能力弱。");
		}
	}

	/* school and health */
	school_fields(s, &b, birth, today, v);
	static const char *const health[] = { "healthy", "ill", "disabled",
					      "ill_disabled" };
	static const unsigned hw[] = { 910, 50, 30, 10 };
	const char *h = PICK_CODE(s, health, hw);
	put(&b, "health", h);
	if (strcmp(h, "disabled") == 0 || strcmp(h, "ill_disabled") == 0)
		put(&b, "disability", pick(s, disabilities, COUNT(disabilities)));
	static const char *const mood[] = { "good", "fair", "concern" };
	static const unsigned mw[] = { 700, 250, 50 };
	const char *md = PICK_CODE(s, mood, mw);
	put(&b, "mood", md);

	/* assistance */
	static const char *const assist[] = { "none", "dibao", "temporary",
					      "tekun", "other" };
	static const unsigned aw[] = { 720, 170, 50, 20, 40 };
	const char *a = PICK_CODE(s, assist, aw);
	if (strcmp(h, "disabled") == 0 && chance(s, 600))
		a = "disability";
	put(&b, "assistance", a);
	if (strcmp(a, "dibao") == 0)
		putf(&b, "assistance_note", "农村低保，每月%d元", between(s, 20, 45) * 10);
	else if (strcmp(a, "temporary") == 0)
		putf(&b, "assistance_note", "临时救助%d元", between(s, 5, 30) * 100);
	else if (strcmp(a, "tekun") == 0)
		put(&b, "assistance_note", "特困人员供养");
	else if (strcmp(a, "disability") == 0)
		put(&b, "assistance_note", "残疾儿童康复救助");
	else if (strcmp(a, "other") == 0)
		put(&b, "assistance_note", "春蕾计划助学金");
	if (strcmp(h, "ill") == 0 || strcmp(h, "ill_disabled") == 0) {
		size_t rl = strlen(risk);
		snprintf(risk + rl, sizeof(risk) - rl, "患%s。",
			 pick(s, illnesses, COUNT(illnesses)));
	}
	if (strcmp(md, "concern") == 0 || chance(s, 40)) {
		size_t rl = strlen(risk);
		snprintf(risk + rl, sizeof(risk) - rl, "%s。",
			 pick(s, risk_notes, COUNT(risk_notes)));
	}
	if (risk[0] != '\0')
		put(&b, "risk_note", risk);

	/* the responsible member of the village, a caring volunteer now and
	 * then, and when the next visit is due */
	put(&b, "member_name", v->member);
	put(&b, "member_phone", v->member_phone);
	if (chance(s, 350)) {
		char vol[64];
		person_name(s, surname(s), chance(s, 300), vol, sizeof(vol));
		put(&b, "volunteer_name", vol);
		mobile(s, buf);
		put(&b, "volunteer_phone", buf);
	}
	date_str(today + between(s, -40, 60), date);
	put(&b, "next_visit_due", date);
	return finish(&b);
}

/* --- visits ------------------------------------------------------------- */

static const char *case_of(const struct store_record *child)
{
	const char *c = store_record_get(child, "case_no");
	return c ? c : child->id;
}

/* The day of a child's n-th visit and the gap to the next contact due:
 * from the child's own fields, so a later visit never falls before an
 * earlier one. The planned visits run from up to a year ago to the last
 * one, recent for most children and more than three months ago for about
 * one in five (whose next visit is then overdue). */
/* The fields of a child its visits are made from, looked up once for
 * all of them. */
struct visit_child {
	const char *case_no, *name, *birth_date, *member, *relation, *capacity,
		*enrolment, *contact;
};

static void visit_child_of(const struct store_record *child, struct visit_child *vc)
{
	vc->case_no = case_of(child);
	vc->name = store_record_get(child, "name");
	vc->birth_date = store_record_get(child, "birth_date");
	vc->member = store_record_get(child, "member_name");
	vc->relation = store_record_get(child, "guardian_relation");
	vc->capacity = store_record_get(child, "guardian_capacity");
	vc->enrolment = store_record_get(child, "enrolment");
	vc->contact = store_record_get(child, "mother_contact");
	if (vc->contact == NULL)
		vc->contact = store_record_get(child, "father_contact");
}

static void visit_day(const struct synth *s, const struct visit_child *vc,
		      int n, long today, long *day, int *gap)
{
	uint64_t h = hash_str(s->seed, vc->case_no);
	h = hash_str(h, vc->name);
	const char *b = vc->birth_date;
	long birth = b ? day_of(b) : today - 365;
	if (birth > today)
		birth = today;
	long first = today - 300 - (long)(h % 60);
	uint64_t h2 = mix64(h + 1);
	long back = (h2 % 1000) < 200 ? 95 + (long)(mix64(h2) % 100)
				      : (long)(mix64(h2) % 26);
	long last = today - back;
	if (first < birth)
		first = birth;
	if (last < first)
		last = first;
	int planned = s->visits_planned > 0 ? s->visits_planned : 1;
	long d;
	if (n >= planned - 1) {
		/* the last planned visit, and any beyond it a week apart */
		d = last + (long)(n - (planned - 1)) * 7;
		if (d > today)
			d = today;
	} else {
		long spacing = (last - first) / (planned - 1);
		long jitter = spacing / 3 > 0 ? (long)(mix64(h + 2 + (uint64_t)n) %
						       (uint64_t)(spacing / 3))
					      : 0;
		d = first + spacing * n + jitter;
	}
	*day = d;
	*gap = 30 + (int)(mix64(h + 100 + (uint64_t)n) % 61);
}

static struct store_record *make_visit(struct synth *s,
				      const struct visit_child *vc, int n,
				      const char *today_s)
{
	struct builder b;
	builder_start(&b, STORE_VISIT);
	if (b.rec == NULL)
		return NULL;
	long today = day_of(today_s), day;
	int gap;
	char date[11];
	visit_day(s, vc, n, today, &day, &gap);
	put(&b, "case_no", vc->case_no);
	date_str(day, date);
	put(&b, "date", date);
	const char *member = vc->member;
	char who[64];
	if (member == NULL) {
		person_name(s, surname(s), 1, who, sizeof(who));
		member = who;
	}
	put(&b, "visitor", member);
	static const char *const kinds[] = { "home", "phone", "school",
					     "verification" };
	static const unsigned kw[] = { 600, 250, 100, 50 };
	put(&b, "kind", PICK_CODE(s, kinds, kw));

	static const char *const cond[] = { "good", "fair", "poor" };
	static const unsigned lw[] = { 700, 270, 30 };
	const char *living = PICK_CODE(s, cond, lw);
	put(&b, "living", living);
	const char *rel = vc->relation, *cap = vc->capacity;
	if (rel != NULL && strcmp(rel, "none") == 0)
		put(&b, "guardianship", "none");
	else
		put(&b, "guardianship",
		    (cap != NULL && strcmp(cap, "weak") == 0 && chance(s, 600)) ||
				    chance(s, 80)
			    ? "weak"
			    : "good");
	int hazard = chance(s, 50);
	put(&b, "safety", hazard ? "hazard" : "safe");
	const char *en = vc->enrolment;
	if (en != NULL)
		put(&b, "schooling", en);
	static const unsigned hw[] = { 850, 130, 20 };
	put(&b, "health", PICK_CODE(s, cond, hw));
	static const char *const mood[] = { "good", "fair", "concern" };
	static const unsigned mw[] = { 680, 270, 50 };
	const char *md = PICK_CODE(s, mood, mw);
	put(&b, "mood", md);
	const char *contact = vc->contact;
	if (contact != NULL)
		put(&b, "parent_contact", contact);
	int trouble = hazard || strcmp(living, "poor") == 0 ||
		      strcmp(md, "concern") == 0 || chance(s, 150);
	if (trouble) {
		if (hazard)
			put(&b, "problems", chance(s, 500) ? "家中电线老化，存在用电隐患"
							   : "房前有水塘，无护栏");
		else
			put(&b, "problems", pick(s, problems, COUNT(problems)));
		put(&b, "help_given", pick(s, helps, COUNT(helps)));
	} else if (chance(s, 200)) {
		put(&b, "help_given", pick(s, helps, COUNT(helps)));
	}
	date_str(day + gap, date);
	put(&b, "next_due", date);
	return finish(&b);
}

struct store_record *synth_visit(struct synth *s,
				 const struct store_record *child, int n,
				 const char *today_s)
{
	struct visit_child vc;
	visit_child_of(child, &vc);
	return make_visit(s, &vc, n, today_s);
}

/* --- reports ------------------------------------------------------------ */

struct category {
	const char *code;
	unsigned weight;
	const char *reporter_kind; /* the body that usually finds it */
	const char *const text[3];
};

static const struct category categories[] = {
	{ "accidental_injury", 240, "medical",
	  { "放学途中摔伤，左臂骨折，送乡镇卫生院救治。",
	    "在家中被开水烫伤，监护人不在身边。",
	    "在河边玩耍时落水，被村民救起，送医观察。" } },
	{ "unsupervised", 150, "village",
	  { "祖母住院，孩子独自在家已三天。",
	    "监护人外出打工，孩子无人照看，由邻居临时照顾。",
	    "监护人去世，孩子无人监护。" } },
	{ "out_of_school", 120, "school",
	  { "连续两周未到校，电话联系不上监护人。",
	    "开学未报到，家长称孩子不愿上学。",
	    "辍学在家，随亲属外出打零工。" } },
	{ "parents_unreachable", 120, "village",
	  { "父母外出务工后半年无音讯，电话停机。",
	    "孩子生病需家长签字，父母均联系不上。",
	    "父母离婚后均不再联系，监护人年迈。" } },
	{ "domestic_violence", 80, "school",
	  { "班主任发现孩子身上多处淤青，孩子称被继父打伤。",
	    "邻居反映孩子常被监护人打骂。",
	    "孩子到校时面部有伤，称被醉酒的亲属殴打。" } },
	{ "unlawful_harm", 80, "school",
	  { "孩子被校外人员勒索财物并殴打。",
	    "孩子向老师反映受到成年人不当接触。",
	    "孩子被他人诱骗离家，后被找回。" } },
	{ "missing", 50, "family",
	  { "孩子放学后未回家，家人寻找无果。",
	    "孩子与监护人争吵后离家出走。",
	    "孩子外出玩耍后失联超过12小时。" } },
	{ "abuse_abandonment", 50, "public",
	  { "孩子被留在亲属家后父母不再过问，亦不支付抚养费。",
	    "监护人长期不给孩子饭吃，孩子在村里乞食。",
	    "冬季孩子衣着单薄，住处无取暖，监护人拒不照料。" } },
	{ "other", 110, "village",
	  { "孩子情绪异常，多次表示不想活了。",
	    "孩子长期沉迷网络，夜不归宿。",
	    "孩子家中房屋倒塌，暂无住处。" } },
};

static const struct category *pick_category(struct synth *s)
{
	unsigned total = 0;
	for (size_t i = 0; i < COUNT(categories); i++)
		total += categories[i].weight;
	unsigned r = below(s, total);
	for (size_t i = 0; i < COUNT(categories); i++) {
		if (r < categories[i].weight)
			return &categories[i];
		r -= categories[i].weight;
	}
	return &categories[0];
}

static int police_receipt_no(struct synth *s, long day, char *out, size_t len)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return snprintf(out, len, "吉公(%.3s)受案字〔%d〕%05u号", s->town_short, y,
			below(s, 100000));
}

struct store_record *synth_report(struct synth *s,
				  const struct store_record *child,
				  const char *today_s)
{
	struct builder b;
	builder_start(&b, STORE_REPORT);
	if (b.rec == NULL)
		return NULL;
	long today = day_of(today_s);
	const struct category *c = pick_category(s);
	put(&b, "case_no", case_of(child));
	put(&b, "category", c->code);

	/* found 2 to 200 days ago, not before the child was born */
	const char *bd = store_record_get(child, "birth_date");
	long birth = bd ? day_of(bd) : today - 365;
	long found = today - between(s, 2, 200);
	if (found < birth)
		found = birth;
	int minute = between(s, 7 * 60, 20 * 60);
	char when[32];
	datetime_str(found, minute, when);
	put(&b, "found_at", when);

	/* who found it: the usual body for the category, or another now
	 * and then */
	static const char *const kinds[] = { "school", "medical", "village",
					     "township", "police", "family",
					     "public" };
	const char *rk = chance(s, 750) ? c->reporter_kind
					: pick(s, kinds, COUNT(kinds));
	put(&b, "reporter_kind", rk);
	char person[64];
	person_name(s, surname(s), chance(s, 500), person, sizeof(person));
	const char *school = store_record_get(child, "school");
	const char *village = store_record_get(child, "village");
	if (strcmp(rk, "school") == 0) {
		put(&b, "reporter", school ? school : "县第一高级中学");
		putf(&b, "found_by", "班主任%s", person);
	} else if (strcmp(rk, "medical") == 0) {
		putf(&b, "reporter", "%s卫生院", s->town_name);
		putf(&b, "found_by", "医生%s", person);
	} else if (strcmp(rk, "village") == 0) {
		putf(&b, "reporter", "%s村民委员会", village ? village : "");
		const char *member = store_record_get(child, "member_name");
		put(&b, "found_by", member ? member : person);
	} else if (strcmp(rk, "township") == 0) {
		putf(&b, "reporter", "%s人民政府", s->town_name);
		putf(&b, "found_by", "民政助理%s", person);
	} else if (strcmp(rk, "police") == 0) {
		putf(&b, "reporter", "%s派出所", s->town_short);
		putf(&b, "found_by", "民警%s", person);
	} else if (strcmp(rk, "family") == 0) {
		const char *g = store_record_get(child, "guardian_name");
		put(&b, "found_by", g ? g : person);
	} else {
		putf(&b, "found_by", "村民%s", person);
	}
	put(&b, "description", c->text[below(s, 3)]);

	/* four in five told the police the same day */
	if (chance(s, 800)) {
		int later = minute + between(s, 10, 240);
		if (later > 23 * 60 + 59)
			later = 23 * 60 + 59;
		datetime_str(found, later, when);
		put(&b, "reported_at", when);
		putf(&b, "police_station", "%s派出所", s->town_short);
		char receipt[64];
		police_receipt_no(s, found, receipt, sizeof(receipt));
		put(&b, "receipt_no", receipt);
	}
	return finish(&b);
}

/* The steps after "reported", in order, up to and including target (an
 * index into form_stage_choices()). Guardianship intervention only for
 * the categories that call for it. */
static int next_steps(const struct store_record *report, int target,
		      const char *steps[8])
{
	const struct form_choice *stages = form_stage_choices();
	const char *cat = store_record_get(report, "category");
	int serious = cat != NULL && (strcmp(cat, "domestic_violence") == 0 ||
				      strcmp(cat, "abuse_abandonment") == 0 ||
				      strcmp(cat, "unsupervised") == 0 ||
				      strcmp(cat, "unlawful_harm") == 0);
	int n = 0;
	for (int i = 2; i <= target && stages[i].code != NULL; i++) {
		if (strcmp(stages[i].code, "intervention") == 0 && !serious &&
		    i != target)
			continue;
		steps[n++] = stages[i].code;
	}
	return n;
}

/* A step of a report's handling on a day. */
static struct store_record *synth_step(struct synth *s,
				       const struct store_record *report,
				       const char *step, long day, int minute)
{
	struct builder b;
	builder_start(&b, STORE_STEP);
	if (b.rec == NULL)
		return NULL;
	char when[32], person[64];
	datetime_str(day, minute, when);
	put(&b, "report_id", report->id);
	put(&b, "step", step);
	put(&b, "date", when);
	person_name(s, surname(s), chance(s, 600), person, sizeof(person));
	if (strcmp(step, "police_response") == 0) {
		putf(&b, "by", "%s派出所民警%s", s->town_short, person);
		put(&b, "note", "民警到场核实情况，做好笔录，孩子已安置。");
	} else if (strcmp(step, "township_notified") == 0) {
		putf(&b, "by", "%s派出所", s->town_short);
		putf(&b, "note", "已通报%s人民政府民政办。", s->town_name);
	} else if (strcmp(step, "assessment") == 0) {
		putf(&b, "by", "%s民政办 %s", s->town_name, person);
		put(&b, "note", "会同村委会入户调查，评估监护状况和安全风险。");
	} else if (strcmp(step, "services") == 0) {
		putf(&b, "by", "%s儿童督导员%s", s->town_name, person);
		put(&b, "note", chance(s, 500) ? "落实临时救助，联系学校心理老师定期疏导。"
					       : "安排爱心家长结对帮扶，协助办理医疗救助。");
	} else if (strcmp(step, "intervention") == 0) {
		putf(&b, "by", "%s民政办", s->town_name);
		put(&b, "note", "约谈监护人，责令履行监护责任；必要时由民政部门临时监护。");
	} else {
		putf(&b, "by", "%s民政办 %s", s->town_name, person);
		put(&b, "note", "问题已解决，转入日常关爱。");
	}
	return finish(&b);
}

/* --- filling a ledger ------------------------------------------------------ */

struct fill {
	struct synth *s;
	struct synth_state saved; /* the state at the start of the batch */
	size_t count;              /* children in this batch */
	int visits;
	const char *user;
	char today[11];
};

/* Files a report about a child and walks it through its stages. */
static int add_report(struct store *st, struct store_txn *txn, struct fill *f,
		      const struct store_record *child, struct xb_error *err)
{
	struct synth *s = f->s;
	struct store_record *r = synth_report(s, child, f->today);
	if (r == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int ret = ledger_report_add(st, txn, r, f->user, err);
	if (ret != XB_OK || store_record_get(r, "reported_at") == NULL) {
		store_record_free(&r);
		return ret;
	}
	/* stage reached: reported (1) to closed (7), evenly */
	int target = between(s, 1, 7);
	const char *steps[8];
	int n = next_steps(r, target, steps);
	/* the steps follow the report to the police, spread from then to
	 * today, an hour or so apart when they fall on one day */
	const char *ra = store_record_get(r, "reported_at");
	char rday[11];
	snprintf(rday, sizeof(rday), "%.10s", ra);
	long start = day_of(rday), today = day_of(f->today);
	long span = today > start ? today - start : 0;
	long prev_day = start;
	int prev_min = strlen(ra) == 16 ? atoi(ra + 11) * 60 + atoi(ra + 14)
					: 8 * 60;
	for (int i = 0; i < n && ret == XB_OK; i++) {
		long day = start + span * (i + 1) / (n + 1);
		int m;
		if (day == prev_day) {
			m = prev_min + between(s, 20, 90);
			if (m > 23 * 60 + 59)
				m = 23 * 60 + 59;
		} else {
			m = between(s, 8 * 60, 17 * 60);
		}
		prev_day = day;
		prev_min = m;
		struct store_record *step = synth_step(s, r, steps[i], day, m);
		if (step == NULL)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else
			ret = ledger_report_step(st, txn, step, f->user, err);
		store_record_free(&step);
	}
	store_record_free(&r);
	return ret;
}

/* One batch in one transaction; run again by store_run after a lost
 * deadlock, from the same generator state so it makes the same ledger. */
static int fill_batch(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	struct fill *f = arg;
	struct synth *s = f->s;
	s->st = f->saved;
	int ret = XB_OK;
	for (size_t i = 0; i < f->count && ret == XB_OK; i++) {
		struct store_record *c = NULL;
		struct xb_error e;
		/* an ID number already in the ledger (from another run):
		 * nothing was written yet, so another child takes its place */
		for (int tries = 0; tries < 100; tries++) {
			xb_error_clear(&e);
			store_record_free(&c);
			c = synth_child(s, f->today);
			if (c == NULL) {
				ret = xb_fail(&e, XB_EFAIL, _("Out of memory."));
				break;
			}
			ret = ledger_child_add(st, txn, c, f->user, &e);
			if (ret != XB_EEXIST || strcmp(e.field, "id_number") != 0)
				break;
		}
		if (ret != XB_OK && err != NULL)
			*err = e;
		/* A member's visits to the child, logged together. */
		struct store_record *vs[64];
		int nv = 0;
		struct visit_child vc;
		if (ret == XB_OK)
			visit_child_of(c, &vc);
		for (int n = 0; n < f->visits && n < 64 && ret == XB_OK; n++) {
			vs[nv] = make_visit(s, &vc, n, f->today);
			if (vs[nv] == NULL)
				ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			else
				nv++;
		}
		if (ret == XB_OK)
			ret = ledger_visits_add(st, txn, vs, (size_t)nv, f->user, err);
		for (int n = 0; n < nv; n++)
			store_record_free(&vs[n]);
		if (ret == XB_OK && chance(s, 50))
			ret = add_report(st, txn, f, c, err);
		store_record_free(&c);
	}
	return ret;
}

int synth_fill(struct store *st, size_t nchildren, int visits, size_t batch,
	       uint64_t seed, const char *user, synth_progress_fn progress,
	       void *arg, struct xb_error *err)
{
	char town[13];
	int ret = ledger_office(st, town, err);
	if (ret)
		return ret;
	if (strlen(town) != 9)
		return xb_fail(err, XB_EINVAL,
			       _("This is the county's ledger (%s); synthetic "
				 "children are made in a township's ledger."),
			       town);
	if (visits < 0)
		visits = 0;
	if (batch == 0)
		batch = 1;
	struct synth *s = synth_new(seed, town);
	if (s == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	s->visits_planned = visits;
	struct fill f = { .s = s, .visits = visits,
			  .user = user ? user : "synth" };
	xb_today(f.today, sizeof(f.today));
	size_t done = 0;
	while (done < nchildren) {
		f.count = nchildren - done < batch ? nchildren - done : batch;
		f.saved = s->st;
		ret = store_run(st, fill_batch, &f, err);
		if (ret != XB_OK)
			break;
		done += f.count;
		if (progress != NULL && progress(done, nchildren, arg) != 0)
			break; /* the caller stops here; what is written stays */
	}
	synth_free(&s);
	return ret;
}
