/* child.c - the synthetic child: who the child is, where the family
 * lives, where the parents are, who looks after the child, school,
 * health, assistance, what puts the child at risk, and who cares.
 *
 * The parts below run in the order synth_child calls them, each drawing
 * from the generator in turn: moving a draw from one part to another
 * changes every ledger made after it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

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

static const char *const risk_notes[] = {
	"监护人年迈多病，监护能力弱", "家中有河道、水塘，夏季注意防溺水",
	"父母长期联系不上", "住房为危房，已申请改造", "曾有离家出走经历",
};

static const char *const grade_names[] = {
	"一年级", "二年级", "三年级", "四年级", "五年级", "六年级",
	"七年级", "八年级", "九年级", "高一",
};

/* What the parts of one child share while it is made. */
struct child_draft {
	struct builder b;
	long today, birth;
	const struct village *v;
	const char *ethnicity;
	const char *fsur, *msur; /* the father's and the mother's surnames */
	int male;
	int order; /* the ID number's order code; -1 when none is left */
	char father[64], mother[64];
	const char *fstat, *mstat; /* away, home, deceased */
	const char *fcap, *mcap;   /* a parent at home: able to care or not */
	int parent_home_capable;
	const char *health, *mood;
	int alone; /* no guardian */
	char risk[256]; /* the risk note, sentence after sentence */
};

static void risk_add(struct child_draft *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Adds a sentence to the child's risk note. */
static void risk_add(struct child_draft *d, const char *fmt, ...)
{
	size_t rl = strlen(d->risk);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->risk + rl, sizeof(d->risk) - rl, fmt, ap);
	va_end(ap);
}

/* --- who the child is ------------------------------------------------------ */

/* Ethnicity, the parents' surnames and the child's sex. */
static void child_origin(struct synth *s, struct child_draft *d)
{
	static const char *const ethnic[] = { "汉族", "满族", "朝鲜族", "蒙古族",
					      "回族" };
	static const unsigned ew[] = { 880, 60, 45, 10, 5 };
	d->ethnicity = PICK_CODE(s, ethnic, ew);
	int korean = strcmp(d->ethnicity, "朝鲜族") == 0;
	d->fsur = korean ? synth_korean_surname(s) : synth_surname(s);
	d->msur = korean ? synth_korean_surname(s) : synth_surname(s);
	d->male = chance(s, 530);
}

/* Born 0 to 15 full years ago: from 16 years before today (less a day)
 * to yesterday, on a day with an ID number left for the child's sex. */
static void child_birth(struct synth *s, struct child_draft *d)
{
	int ty, tm, td;
	synth_civil_from_days(d->today, &ty, &tm, &td);
	long oldest;
	if (tm == 2 && td == 29)
		oldest = form_days_from_civil(ty - 16, 3, 1);
	else
		oldest = form_days_from_civil(ty - 16, tm, td) + 1;
	d->birth = 0;
	d->order = -1;
	for (int tries = 0; tries < 50 && d->order < 0; tries++) {
		d->birth = oldest + (long)below(s, (unsigned)(d->today - oldest));
		d->order = synth_child_order(s, d->birth, d->male);
	}
}

/* The name, and the ID number or, for the few without household
 * registration, the birth date and sex. */
static void child_identity(struct synth *s, struct child_draft *d)
{
	struct builder *b = &d->b;
	child_origin(s, d);
	child_birth(s, d);
	char name[64];
	synth_person_name(s, chance(s, 950) ? d->fsur : d->msur, d->male, name,
			  sizeof(name));
	builder_put(b, FK_name, name);
	char date[11];
	synth_date(d->birth, date);
	if (d->order < 0 || chance(s, 20)) {
		builder_put(b, FK_no_hukou, "yes");
		builder_put(b, FK_birth_date, date);
		builder_put(b, FK_sex, d->male ? "M" : "F");
	} else {
		char id[19];
		synth_id_number(s->region, d->birth, (unsigned)d->order, id);
		builder_put(b, FK_id_number, id);
		/* the clerk types them now and then; they must agree */
		if (chance(s, 300)) {
			builder_put(b, FK_birth_date, date);
			builder_put(b, FK_sex, d->male ? "M" : "F");
		}
	}
	builder_put(b, FK_ethnicity, d->ethnicity);
}

static void child_address(struct synth *s, struct child_draft *d)
{
	builder_put(&d->b, FK_village_code, d->v->code);
	builder_put(&d->b, FK_village, d->v->name);
	const char *group = synth_village_group(s, d->v);
	builder_put(&d->b, FK_group, group);
	builder_putf(&d->b, FK_address, "%s%s%d号", d->v->name, group,
		     between(s, 1, 120));
}

/* --- the parents ------------------------------------------------------------ */

/* One parent away, the other dead, or at home and unable to look after
 * the child. */
static void one_parent_unable(struct synth *s, struct child_draft *d)
{
	int father_home = chance(s, 400);
	const char **stat = father_home ? &d->fstat : &d->mstat;
	const char **cap = father_home ? &d->fcap : &d->mcap;
	const char *who = father_home ? "父亲" : "母亲";
	if (chance(s, 150)) {
		*stat = "deceased";
		risk_add(d, "%s已故。", who);
	} else {
		*stat = "home";
		*cap = "none";
		risk_add(d, "%s%s。", who,
			 pick(s, incapable_reasons, COUNT(incapable_reasons)));
	}
}

/* Both away (80%), one away and the other unable (15%), or not left
 * behind at all (5%: the warnings must show). */
static void parents_situation(struct synth *s, struct child_draft *d)
{
	unsigned kind = below(s, 1000);
	d->fstat = d->mstat = "away";
	d->fcap = d->mcap = NULL;
	d->parent_home_capable = 0;
	if (kind < 800)
		return;
	if (kind < 950) {
		one_parent_unable(s, d);
		return;
	}
	if (kind < 985) {
		/* one at home and able to look after the child */
		if (chance(s, 500)) {
			d->fstat = "home";
			d->fcap = "good";
		} else {
			d->mstat = "home";
			d->mcap = "good";
		}
	} else {
		d->fstat = d->mstat = "home";
		d->fcap = d->mcap = "good";
	}
	d->parent_home_capable = 1;
}

/* "father_name" and the like into key[40]: p and what are short words. */
static void parent_key(char key[40], const char *p, const char *what)
{
	size_t a = strlen(p), w = strlen(what);
	memcpy(key, p, a);
	key[a] = '_';
	memcpy(key + a + 1, what, w + 1);
}

/* Most parents' ID numbers: born 20 to 40 years before the child, most
 * of them in the county. */
static void parent_id_number(struct synth *s, struct child_draft *d,
			     const char *p, int male)
{
	char key[40];
	long birth = d->birth - between(s, 20 * 365, 40 * 365);
	const char *region = chance(s, 850) ? s->region : synth_other_region(s);
	char id[19];
	synth_id_number(region, birth, below(s, 500) * 2 + (male ? 1 : 0), id);
	parent_key(key, p, FK_id_number);
	builder_put(&d->b, key, id);
}

/* Where a parent away works, since when, and how often the child hears
 * from them. */
static void parent_away(struct synth *s, struct child_draft *d, const char *p)
{
	char key[40];
	parent_key(key, p, "work_place");
	builder_put(&d->b, key, pick_weighted(s, cities, COUNT(cities)));
	/* left when the child was small, and at least a month ago unless the
	 * child is younger than that */
	long lo = d->birth, hi = d->today - 30;
	if (hi < lo)
		hi = d->today;
	long since = lo + (long)below(s, (unsigned)(hi - lo + 1));
	/* most left within the last few years */
	if (hi - since > 6 * 365 && chance(s, 600))
		since = hi - (long)below(s, 6 * 365);
	char date[11];
	synth_date(since, date);
	parent_key(key, p, "away_since");
	builder_put(&d->b, key, date);
	static const char *const contact[] = { "weekly", "monthly", "quarterly",
					       "yearly", "rarely" };
	static const unsigned cw[] = { 450, 330, 110, 60, 50 };
	parent_key(key, p, "contact");
	builder_put(&d->b, key, PICK_CODE(s, contact, cw));
}

/* One parent's fields. p: "father" or "mother"; status: away, home,
 * deceased; capable: NULL unless at home. */
static void parent_fields(struct synth *s, struct child_draft *d,
			  const char *p, const char *name, int male,
			  const char *status, const char *capable)
{
	char key[40], buf[16];
	parent_key(key, p, FK_name);
	builder_put(&d->b, key, name);
	parent_key(key, p, FK_status);
	builder_put(&d->b, key, status);
	if (strcmp(status, "deceased") == 0)
		return;
	if (chance(s, 700))
		parent_id_number(s, d, p, male);
	int away = strcmp(status, "away") == 0;
	if (away || chance(s, 500)) {
		synth_mobile(s, buf);
		parent_key(key, p, FK_phone);
		builder_put(&d->b, key, buf);
	}
	if (away)
		parent_away(s, d, p);
	if (capable != NULL) {
		parent_key(key, p, "capable");
		builder_put(&d->b, key, capable);
	}
}

static void child_parents(struct synth *s, struct child_draft *d)
{
	synth_person_name(s, d->fsur, 1, d->father, sizeof(d->father));
	synth_person_name(s, d->msur, 0, d->mother, sizeof(d->mother));
	parents_situation(s, d);
	parent_fields(s, d, "father", d->father, 1, d->fstat, d->fcap);
	parent_fields(s, d, "mother", d->mother, 0, d->mstat, d->mcap);
}

/* --- the guardian ----------------------------------------------------------- */

/* A parent at home and able: the guardian. */
static void guardian_parent(struct synth *s, struct child_draft *d)
{
	char buf[16];
	builder_put(&d->b, FK_guardian_relation, "parent");
	int fh = strcmp(d->fstat, "home") == 0;
	builder_put(&d->b, FK_guardian_name, fh ? d->father : d->mother);
	snprintf(buf, sizeof(buf), "%d",
		 (int)((d->today - d->birth) / 365) + between(s, 22, 38));
	builder_put(&d->b, FK_guardian_age, buf);
	synth_mobile(s, buf);
	builder_put(&d->b, FK_guardian_phone, buf);
	builder_put(&d->b, FK_guardian_capacity, "good");
}

/* The name of a guardian other than a parent into gname; returns the
 * guardian's age. */
static int guardian_person(struct synth *s, const struct child_draft *d,
			   const char *relation, char *gname, size_t len)
{
	int gage;
	if (strcmp(relation, "grandparent") == 0) {
		/* paternal grandparents more often than maternal */
		int paternal = chance(s, 700), gmale = chance(s, 450);
		const char *gs = gmale ? (paternal ? d->fsur : d->msur)
				       : synth_surname(s);
		synth_person_name(s, gs, gmale, gname, len);
		gage = between(s, 55, 80);
		if (gage < (d->today - d->birth) / 365 + 40)
			gage = (int)((d->today - d->birth) / 365) + 40;
		if (gage > 85)
			gage = 85;
	} else if (strcmp(relation, "sibling") == 0) {
		int gmale = chance(s, 500);
		synth_person_name(s, d->fsur, gmale, gname, len);
		gage = between(s, 18, 22);
	} else {
		int gmale = chance(s, 500);
		synth_person_name(s, strcmp(relation, "relative") == 0 && gmale
					     ? d->fsur : synth_surname(s),
				  gmale, gname, len);
		gage = between(s, 30, 62);
	}
	return gage;
}

/* A grandparent (most), another relative, an elder sibling or someone
 * entrusted: who, how to reach them and how well they can care. */
static void guardian_other(struct synth *s, struct child_draft *d)
{
	static const char *const rel[] = { "grandparent", "relative",
					   "sibling", "entrusted" };
	static const unsigned rw[] = { 900, 60, 15, 25 };
	const char *relation = PICK_CODE(s, rel, rw);
	char gname[64], buf[16];
	int gage = guardian_person(s, d, relation, gname, sizeof(gname));
	builder_put(&d->b, FK_guardian_relation, relation);
	builder_put(&d->b, FK_guardian_name, gname);
	snprintf(buf, sizeof(buf), "%d", gage);
	builder_put(&d->b, FK_guardian_age, buf);
	if (chance(s, 850)) {
		if (chance(s, 250)) {
			char ll[16];
			synth_landline(s, ll);
			builder_put(&d->b, FK_guardian_phone, ll);
		} else {
			synth_mobile(s, buf);
			builder_put(&d->b, FK_guardian_phone, buf);
		}
	}
	int weak = gage >= 72 ? chance(s, 600) : chance(s, 200);
	builder_put(&d->b, FK_guardian_capacity, weak ? "weak" : "good");
	if (weak && chance(s, 500))
		risk_add(d, "%s", "监护人年迈多病，监护能力弱。");
}

static void child_guardian(struct synth *s, struct child_draft *d)
{
	if (d->parent_home_capable) {
		guardian_parent(s, d);
	} else if (chance(s, 15)) {
		builder_put(&d->b, FK_guardian_relation, "none");
		risk_add(d, "无人监护，独自生活。");
		d->alone = 1;
	} else {
		guardian_other(s, d);
	}
}

/* --- school, health, assistance ---------------------------------------------- */

/* The child's age on the most recent 1 September on or before today:
 * school years start then, and a child who is 6 on that day enters the
 * first grade. */
static int school_age(long birth, long today)
{
	int ty, tm, td, by, bm, bd;
	synth_civil_from_days(today, &ty, &tm, &td);
	synth_civil_from_days(birth, &by, &bm, &bd);
	int year = tm >= 9 ? ty : ty - 1;
	int age = year - by;
	if (bm > 9 || (bm == 9 && bd > 1))
		age--;
	return age;
}

static void child_school(struct synth *s, struct child_draft *d)
{
	struct builder *b = &d->b;
	int sa = school_age(d->birth, d->today);
	int grade = sa - 5; /* 1 = first grade */
	if (grade < 1) {
		builder_put(b, FK_enrolment, "preschool");
		if (sa >= 3 && chance(s, 650)) {
			builder_putf(b, FK_school, "%s中心幼儿园", s->town_name);
			builder_put(b, FK_grade, sa == 3 ? "小班" : sa == 4 ? "中班" : "大班");
		}
		return;
	}
	if (grade > 10)
		grade = 10;
	if (chance(s, 5)) { /* never went to school */
		builder_put(b, FK_enrolment, "never_enrolled");
		return;
	}
	if (grade <= 6) {
		if (grade <= 3 && chance(s, 250))
			builder_putf(b, FK_school, "%s小学", d->v->name);
		else
			builder_putf(b, FK_school, "%s中心小学", s->town_name);
	} else if (grade <= 9) {
		builder_putf(b, FK_school, "%s中学", s->town_name);
	} else {
		builder_put(b, FK_school, "县第一高级中学");
	}
	if (grade >= 7 && chance(s, 60)) { /* left school */
		builder_put(b, FK_enrolment, "dropped_out");
		return;
	}
	builder_put(b, FK_enrolment, "in_school");
	builder_put(b, FK_grade, grade_names[grade - 1]);
	unsigned boarding = grade >= 10 ? 900 : grade >= 7 ? 450 : 80;
	builder_put(b, FK_boarding, chance(s, boarding) ? "yes" : "no");
}

static void child_health(struct synth *s, struct child_draft *d)
{
	static const char *const health[] = { "healthy", "ill", "disabled",
					      "ill_disabled" };
	static const unsigned hw[] = { 910, 50, 30, 10 };
	d->health = PICK_CODE(s, health, hw);
	builder_put(&d->b, FK_health, d->health);
	if (strcmp(d->health, "disabled") == 0 ||
	    strcmp(d->health, "ill_disabled") == 0)
		builder_put(&d->b, FK_disability,
			    pick(s, disabilities, COUNT(disabilities)));
	static const char *const mood[] = { "good", "fair", "concern" };
	static const unsigned mw[] = { 700, 250, 50 };
	d->mood = PICK_CODE(s, mood, mw);
	builder_put(&d->b, FK_mood, d->mood);
}

static void child_assistance(struct synth *s, struct child_draft *d)
{
	struct builder *b = &d->b;
	static const char *const assist[] = { "none", "dibao", "temporary",
					      "tekun", "other" };
	static const unsigned aw[] = { 720, 170, 50, 20, 40 };
	const char *a = PICK_CODE(s, assist, aw);
	if (strcmp(d->health, "disabled") == 0 && chance(s, 600))
		a = "disability";
	builder_put(b, FK_assistance, a);
	if (strcmp(a, "dibao") == 0)
		builder_putf(b, FK_assistance_note, "农村低保，每月%d元",
			     between(s, 20, 45) * 10);
	else if (strcmp(a, "temporary") == 0)
		builder_putf(b, FK_assistance_note, "临时救助%d元",
			     between(s, 5, 30) * 100);
	else if (strcmp(a, "tekun") == 0)
		builder_put(b, FK_assistance_note, "特困人员供养");
	else if (strcmp(a, "disability") == 0)
		builder_put(b, FK_assistance_note, "残疾儿童康复救助");
	else if (strcmp(a, "other") == 0)
		builder_put(b, FK_assistance_note, "春蕾计划助学金");
}

/* --- risk and care ---------------------------------------------------------- */

/* The risk note: what the parents and the guardian left in it, an
 * illness, and now and then another concern. */
static void child_risk_note(struct synth *s, struct child_draft *d)
{
	if (strcmp(d->health, "ill") == 0 || strcmp(d->health, "ill_disabled") == 0)
		risk_add(d, "患%s。", pick(s, illnesses, COUNT(illnesses)));
	if (strcmp(d->mood, "concern") == 0 || chance(s, 40))
		risk_add(d, "%s。", pick(s, risk_notes, COUNT(risk_notes)));
	if (d->risk[0] != '\0')
		builder_put(&d->b, FK_risk_note, d->risk);
}

/* The responsible member of the village, a caring volunteer now and
 * then, and when the next visit is due. A child living alone or whose
 * mood worries is a key case (重点对象): from what was drawn, no draw of
 * its own. */
static void child_care(struct synth *s, struct child_draft *d)
{
	builder_put(&d->b, FK_member_name, d->v->member);
	builder_put(&d->b, FK_member_phone, d->v->member_phone);
	if (d->alone || strcmp(d->mood, "concern") == 0) {
		builder_put(&d->b, FK_key_case, "yes");
		builder_put(&d->b, FK_key_case_reason,
			    d->alone ? "无人监护，独自生活" : "心理状况需关注");
	}
	if (chance(s, 350)) {
		char vol[64], phone[12];
		synth_any_name(s, 300, vol, sizeof(vol));
		builder_put(&d->b, FK_volunteer_name, vol);
		synth_mobile(s, phone);
		builder_put(&d->b, FK_volunteer_phone, phone);
	}
	char date[11];
	synth_date(d->today + between(s, -40, 60), date);
	builder_put(&d->b, FK_next_visit_due, date);
}

struct store_record *synth_child(struct synth *s, const char *today_s)
{
	struct child_draft d;
	builder_start(&d.b, STORE_CHILD);
	if (d.b.rec == NULL)
		return NULL;
	d.today = synth_day_of(today_s);
	d.v = &s->villages[below(s, (unsigned)s->nvillages)];
	d.risk[0] = '\0';
	d.alone = 0;
	child_identity(s, &d);
	child_address(s, &d);
	child_parents(s, &d);
	child_guardian(s, &d);
	child_school(s, &d);
	child_health(s, &d);
	child_assistance(s, &d);
	child_risk_note(s, &d);
	child_care(s, &d);
	/* registered before its first visit (visit.c: up to 360 days ago) */
	char reg[11];
	synth_date(d.birth > d.today - 370 ? d.birth : d.today - 370, reg);
	builder_put(&d.b, FK_registered, reg);
	return builder_finish(&d.b);
}
