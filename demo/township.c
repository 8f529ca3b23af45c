/* township.c - the township a generator makes records for: its name, its
 * landline area code, its villages with their codes, groups and
 * responsible members. All of it follows from the township code alone,
 * so generators with different seeds agree on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

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

/* The landline area code of the city the township lies under. */
static void town_area_code(struct synth *s, const char *township)
{
	static const struct { const char *prefix, *area; } areas[] = {
		{ "2201", "0431" }, { "2202", "0432" }, { "2203", "0434" },
		{ "2204", "0437" }, { "2205", "0435" }, { "2206", "0439" },
		{ "2207", "0438" }, { "2208", "0436" }, { "2224", "0433" },
	};
	snprintf(s->area_code, sizeof(s->area_code), "0432");
	for (size_t i = 0; i < COUNT(areas); i++)
		if (strncmp(township, areas[i].prefix, 4) == 0)
			snprintf(s->area_code, sizeof(s->area_code), "%s", areas[i].area);
}

/* 8 to 15 villages of different names, each with its member. */
static void town_villages(struct synth *s, const char *township)
{
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
		/* Each member is a user of the ledger, known by name: no two
		 * villages share one. */
		int taken_name;
		do {
			synth_any_name(s, 700, v->member, sizeof(v->member));
			taken_name = 0;
			for (int j = 0; j < i; j++)
				taken_name |= strcmp(s->villages[j].member, v->member) == 0;
		} while (taken_name);
		synth_mobile(s, v->member_phone);
	}
}

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
	town_area_code(s, township);
	town_villages(s, township);
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

const char *synth_village_group(struct synth *s, const struct village *v)
{
	return group_names[below(s, (unsigned)v->groups)];
}
