/* visit.c - a member's visits to a saved child: on which days, and what
 * the member found and did. A child's visit schedule comes from the
 * child's own fields, so visit n of a child always falls after visit n-1
 * whatever else was drawn in between. */
#include <string.h>

#include "private.h"

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

void synth_visit_child(const struct store_record *child,
		       struct visit_child *vc)
{
	vc->case_no = synth_case_of(child);
	vc->name = store_record_get(child, FK_name);
	vc->birth_date = store_record_get(child, FK_birth_date);
	vc->member = store_record_get(child, FK_member_name);
	vc->relation = store_record_get(child, FK_guardian_relation);
	vc->capacity = store_record_get(child, FK_guardian_capacity);
	vc->enrolment = store_record_get(child, FK_enrolment);
	vc->contact = store_record_get(child, FK_mother_contact);
	if (vc->contact == NULL)
		vc->contact = store_record_get(child, FK_father_contact);
}

/* The day of a child's n-th visit and the gap to the next contact due:
 * from the child's own fields, so a later visit never falls before an
 * earlier one. The planned visits run from up to a year ago to the last
 * one, recent for most children and more than three months ago for about
 * one in five (whose next visit is then overdue). */
static void visit_day(const struct synth *s, const struct visit_child *vc,
		      int n, long today, long *day, int *gap)
{
	uint64_t h = hash_str(s->seed, vc->case_no);
	h = hash_str(h, vc->name);
	const char *b = vc->birth_date;
	long birth = b ? synth_day_of(b) : today - 365;
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

/* What the member wrote down about trouble found, and the help given. */
static void visit_problems(struct synth *s, struct builder *b, int trouble,
			   int hazard)
{
	if (trouble) {
		if (hazard)
			builder_put(b, FK_problems,
				    chance(s, 500) ? "家中电线老化，存在用电隐患"
						   : "房前有水塘，无护栏");
		else
			builder_put(b, FK_problems, pick(s, problems, COUNT(problems)));
		builder_put(b, FK_help_given, pick(s, helps, COUNT(helps)));
	} else if (chance(s, 200)) {
		builder_put(b, FK_help_given, pick(s, helps, COUNT(helps)));
	}
}

/* How the child was found: living, guardianship, safety, schooling,
 * health, mood, contact with the parents, and any trouble. */
static void visit_findings(struct synth *s, struct builder *b,
			   const struct visit_child *vc)
{
	static const char *const cond[] = { "good", "fair", "poor" };
	static const unsigned lw[] = { 700, 270, 30 };
	const char *living = PICK_CODE(s, cond, lw);
	builder_put(b, FK_living, living);
	const char *rel = vc->relation, *cap = vc->capacity;
	if (rel != NULL && strcmp(rel, "none") == 0)
		builder_put(b, FK_guardianship, "none");
	else
		builder_put(b, FK_guardianship,
			    (cap != NULL && strcmp(cap, "weak") == 0 && chance(s, 600)) ||
					    chance(s, 80)
				    ? "weak"
				    : "good");
	int hazard = chance(s, 50);
	builder_put(b, FK_safety, hazard ? "hazard" : "safe");
	const char *en = vc->enrolment;
	if (en != NULL)
		builder_put(b, FK_schooling, en);
	static const unsigned hw[] = { 850, 130, 20 };
	builder_put(b, FK_health, PICK_CODE(s, cond, hw));
	static const char *const mood[] = { "good", "fair", "concern" };
	static const unsigned mw[] = { 680, 270, 50 };
	const char *md = PICK_CODE(s, mood, mw);
	builder_put(b, FK_mood, md);
	const char *contact = vc->contact;
	if (contact != NULL)
		builder_put(b, FK_parent_contact, contact);
	int trouble = hazard || strcmp(living, "poor") == 0 ||
		      strcmp(md, "concern") == 0 || chance(s, 150);
	visit_problems(s, b, trouble, hazard);
}

struct store_record *synth_visit_of(struct synth *s,
				    const struct visit_child *vc, int n,
				    const char *today_s)
{
	struct builder b;
	builder_start(&b, STORE_VISIT);
	if (b.rec == NULL)
		return NULL;
	long today = synth_day_of(today_s), day;
	int gap;
	char date[11];
	visit_day(s, vc, n, today, &day, &gap);
	builder_put(&b, FK_case_no, vc->case_no);
	synth_date(day, date);
	builder_put(&b, FK_date, date);
	const char *member = vc->member;
	char who[64];
	if (member == NULL) {
		synth_person_name(s, synth_surname(s), 1, who, sizeof(who));
		member = who;
	}
	builder_put(&b, FK_visitor, member);
	static const char *const kinds[] = { "home", "phone", "school",
					     "verification" };
	static const unsigned kw[] = { 600, 250, 100, 50 };
	builder_put(&b, FK_kind, PICK_CODE(s, kinds, kw));
	visit_findings(s, &b, vc);
	synth_date(day + gap, date);
	builder_put(&b, FK_next_due, date);
	return builder_finish(&b);
}

struct store_record *synth_visit(struct synth *s,
				 const struct store_record *child, int n,
				 const char *today_s)
{
	struct visit_child vc;
	synth_visit_child(child, &vc);
	return synth_visit_of(s, &vc, n, today_s);
}
