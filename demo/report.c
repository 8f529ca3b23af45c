/* report.c - mandatory reports about saved children, each of a
 * category with what usually happens in it and who usually finds it,
 * and the steps of their handling after the report to the police. */
#include <stdio.h>
#include <string.h>

#include "private.h"

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
	synth_civil_from_days(day, &y, &m, &d);
	return snprintf(out, len, "吉公(%.3s)受案字〔%d〕%05u号", s->town_short, y,
			below(s, 100000));
}

/* When it was found: 2 to 200 days ago, not before the child was born;
 * fills *found (a day) and *minute (of that day). */
static void report_found_at(struct synth *s, struct builder *b,
			    const struct store_record *child, long today,
			    long *found, int *minute)
{
	const char *bd = store_record_get(child, FK_birth_date);
	long birth = bd ? synth_day_of(bd) : today - 365;
	*found = today - between(s, 2, 200);
	if (*found < birth)
		*found = birth;
	*minute = between(s, 7 * 60, 20 * 60);
	char when[32];
	synth_datetime(*found, *minute, when);
	builder_put(b, FK_found_at, when);
}

/* Who found it: the usual body for the category, or another now and
 * then, and the person there. */
static void report_found_by(struct synth *s, struct builder *b,
			    const struct category *c,
			    const struct store_record *child)
{
	static const char *const kinds[] = { "school", "medical", "village",
					     "township", "police", "family",
					     "public" };
	const char *rk = chance(s, 750) ? c->reporter_kind
					: pick(s, kinds, COUNT(kinds));
	builder_put(b, FK_reporter_kind, rk);
	char person[64];
	synth_any_name(s, 500, person, sizeof(person));
	const char *school = store_record_get(child, FK_school);
	const char *village = store_record_get(child, FK_village);
	if (strcmp(rk, "school") == 0) {
		builder_put(b, FK_reporter, school ? school : "县第一高级中学");
		builder_putf(b, FK_found_by, "班主任%s", person);
	} else if (strcmp(rk, "medical") == 0) {
		builder_putf(b, FK_reporter, "%s卫生院", s->town_name);
		builder_putf(b, FK_found_by, "医生%s", person);
	} else if (strcmp(rk, "village") == 0) {
		builder_putf(b, FK_reporter, "%s村民委员会", village ? village : "");
		const char *member = store_record_get(child, FK_member_name);
		builder_put(b, FK_found_by, member ? member : person);
	} else if (strcmp(rk, "township") == 0) {
		builder_putf(b, FK_reporter, "%s人民政府", s->town_name);
		builder_putf(b, FK_found_by, "民政助理%s", person);
	} else if (strcmp(rk, "police") == 0) {
		builder_putf(b, FK_reporter, "%s派出所", s->town_short);
		builder_putf(b, FK_found_by, "民警%s", person);
	} else if (strcmp(rk, "family") == 0) {
		const char *g = store_record_get(child, FK_guardian_name);
		builder_put(b, FK_found_by, g ? g : person);
	} else {
		builder_putf(b, FK_found_by, "村民%s", person);
	}
}

/* Four in five told the police the same day: when, which station, the
 * receipt's number. */
static void report_to_police(struct synth *s, struct builder *b, long found,
			     int minute)
{
	if (!chance(s, 800))
		return;
	int later = minute + between(s, 10, 240);
	if (later > 23 * 60 + 59)
		later = 23 * 60 + 59;
	char when[32];
	synth_datetime(found, later, when);
	builder_put(b, FK_reported_at, when);
	builder_putf(b, FK_police_station, "%s派出所", s->town_short);
	char receipt[64];
	police_receipt_no(s, found, receipt, sizeof(receipt));
	builder_put(b, FK_receipt_no, receipt);
}

struct store_record *synth_report(struct synth *s,
				  const struct store_record *child,
				  const char *today_s)
{
	struct builder b;
	builder_start(&b, STORE_REPORT);
	if (b.rec == NULL)
		return NULL;
	long today = synth_day_of(today_s), found;
	int minute;
	const struct category *c = pick_category(s);
	builder_put(&b, FK_case_no, synth_case_of(child));
	builder_put(&b, FK_category, c->code);
	report_found_at(s, &b, child, today, &found, &minute);
	report_found_by(s, &b, c, child);
	builder_put(&b, FK_description, c->text[below(s, 3)]);
	report_to_police(s, &b, found, minute);
	return builder_finish(&b);
}

/* Guardianship intervention comes only for the categories that call for
 * it. */
int synth_next_steps(const struct store_record *report, int target,
		     const char *steps[8])
{
	const struct form_choice *stages = form_stage_choices();
	const char *cat = store_record_get(report, FK_category);
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

struct store_record *synth_step(struct synth *s,
				const struct store_record *report,
				const char *step, long day, int minute)
{
	struct builder b;
	builder_start(&b, STORE_STEP);
	if (b.rec == NULL)
		return NULL;
	char when[32], person[64];
	synth_datetime(day, minute, when);
	builder_put(&b, FK_report_id, report->id);
	builder_put(&b, FK_step, step);
	builder_put(&b, FK_date, when);
	synth_any_name(s, 600, person, sizeof(person));
	if (strcmp(step, "police_response") == 0) {
		builder_putf(&b, FK_by, "%s派出所民警%s", s->town_short, person);
		builder_put(&b, FK_note, "民警到场核实情况，做好笔录，孩子已安置。");
	} else if (strcmp(step, "township_notified") == 0) {
		builder_putf(&b, FK_by, "%s派出所", s->town_short);
		builder_putf(&b, FK_note, "已通报%s人民政府民政办。", s->town_name);
	} else if (strcmp(step, "assessment") == 0) {
		builder_putf(&b, FK_by, "%s民政办 %s", s->town_name, person);
		builder_put(&b, FK_note, "会同村委会入户调查，评估监护状况和安全风险。");
	} else if (strcmp(step, "services") == 0) {
		builder_putf(&b, FK_by, "%s儿童督导员%s", s->town_name, person);
		builder_put(&b, FK_note, chance(s, 500) ? "落实临时救助，联系学校心理老师定期疏导。"
						       : "安排爱心家长结对帮扶，协助办理医疗救助。");
	} else if (strcmp(step, "intervention") == 0) {
		builder_putf(&b, FK_by, "%s民政办", s->town_name);
		builder_put(&b, FK_note, "约谈监护人，责令履行监护责任；必要时由民政部门临时监护。");
	} else {
		builder_putf(&b, FK_by, "%s民政办 %s", s->town_name, person);
		builder_put(&b, FK_note, "问题已解决，转入日常关爱。");
	}
	return builder_finish(&b);
}
