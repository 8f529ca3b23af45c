/* words.c - the words offices write in their spreadsheets and forms, kept
 * beside the schema: the variants of column headers (身份证号码 for the ID
 * number, 村别 for the village ...) and of choice words (奶奶 for a
 * grandparent, 外出打工 for a parent away ...), and the folding of full-
 * width forms that input methods and Excel leave in a cell.
 *
 * Matching is exact after folding: no guessing. A word is listed for one
 * field (headers) or one set of choices only; a word that could mean two
 * things (联系电话, 父亲) is left out so that the clerk is asked. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#include "forms.h"
#include "private.h"

/* --- folding --- */

/* The length of the UTF-8 sequence at p that folds, and what it folds to
 * in *to: a full-width ASCII form (U+FF01..U+FF5E) to its ASCII, the
 * ideographic space (U+3000) and the no-break space (U+00A0) to a space;
 * 0 when the sequence at p stays as it is. */
static size_t fold_at(const unsigned char *p, char *to)
{
	if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF) {
		*to = (char)(p[2] - 0x81 + 0x21); /* U+FF01..U+FF3F */
		return 3;
	}
	if (p[0] == 0xEF && p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E) {
		*to = (char)(p[2] - 0x80 + 0x60); /* U+FF40..U+FF5E */
		return 3;
	}
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
		*to = ' ';
		return 3;
	}
	if (p[0] == 0xC2 && p[1] == 0xA0) {
		*to = ' ';
		return 2;
	}
	return 0;
}

int form_fold_needed(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char to;
	for (; *p; p++)
		if (*p >= 0xC2 && fold_at(p, &to) != 0)
			return 1;
	return 0;
}

char *form_fold_width(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t len = *p >= 0xC2 ? fold_at(p, o) : 0;
		if (len == 0)
			*o = (char)*p, len = 1;
		o++;
		p += len;
	}
	*o = '\0';
	return out;
}

/* Folds s into buf (len bytes): full-width forms made plain, every space,
 * tab and line break dropped when all_spaces, else only those around;
 * ASCII letters lower-cased. 0, or -1 when it does not fit. */
static int fold_word(const char *s, int all_spaces, char *buf, size_t len)
{
	char *f = form_fold_width(s);
	if (f == NULL)
		return -1;
	size_t n = 0;
	const char *p = f;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	for (; *p; p++) {
		int space = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
		if (space && all_spaces)
			continue;
		if (n + 1 >= len) {
			free(f);
			return -1;
		}
		buf[n++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
	}
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' ||
			 buf[n - 1] == '\r' || buf[n - 1] == '\n'))
		n--;
	buf[n] = '\0';
	free(f);
	return 0;
}

/* --- headers --- */

/* Drops from the start of h (folded, no spaces) the number a column may
 * carry: "1.", "1、", "1)", "(1)", "①".."⑳". */
static const char *skip_ordinal(const char *h)
{
	const unsigned char *p = (const unsigned char *)h;
	if (p[0] == 0xE2 && p[1] == 0x91 && p[2] >= 0xA0 && p[2] <= 0xB3)
		return h + 3; /* ①..⑳ */
	if (*p == '(') {
		const unsigned char *q = p + 1;
		while (*q >= '0' && *q <= '9')
			q++;
		return q > p + 1 && *q == ')' ? (const char *)q + 1 : h;
	}
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == (const unsigned char *)h)
		return h;
	if (*p == '.' || *p == ')')
		return (const char *)p + 1;
	if (strncmp((const char *)p, "、", 3) == 0)
		return (const char *)p + 3;
	return h;
}

/* Drops what marks a column as required or optional from the end of h:
 * "*", "(必填)", "(选填)", a colon. 1 when something went. */
static int strip_mark(char *h)
{
	static const char *const marks[] = { "*", "(必填)", "(必填项)",
					     "(选填)", ":", "※" };
	size_t n = strlen(h);
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		size_t m = strlen(marks[i]);
		if (n > m && strcmp(h + n - m, marks[i]) == 0) {
			h[n - m] = '\0';
			return 1;
		}
	}
	return 0;
}

/* A header as it is compared: folded, without spaces, line breaks, the
 * column's number, or the marks of a required column. 0 or -1. */
static int header_norm(const char *in, char *buf, size_t len)
{
	char tmp[256];
	if (fold_word(in, 1, tmp, sizeof(tmp)) != 0)
		return -1;
	const char *s = skip_ordinal(tmp);
	while (*s == '*')
		s++;
	if (strlen(s) >= len)
		return -1;
	memmove(buf, s, strlen(s) + 1);
	while (strip_mark(buf))
		;
	return 0;
}

/* The header variants of one field, beyond its key and labels. */
struct header_words {
	enum store_kind kind;
	const char *key;
	const char *const *words; /* ends with NULL */
};

#define W(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define CH(key, ...) { STORE_CHILD, key, W(__VA_ARGS__) }

/* One parent's headers: the same words with 父亲 or 母亲 before them. */
#define PARENT_HEADERS(p, pzh)                                                \
	CH(p "_name", pzh "姓名", pzh "名字"),                                  \
	CH(p "_id_number", pzh "身份证号", pzh "身份证号码", pzh "身份证",       \
	   pzh "公民身份号码", pzh "证件号码", pzh "身份证件号码"),               \
	CH(p "_phone", pzh "电话", pzh "联系电话", pzh "联系方式", pzh "手机",  \
	   pzh "手机号", pzh "手机号码", pzh "电话号码"),                       \
	CH(p "_status", pzh "情况", pzh "现状", pzh "状况", pzh "外出情况",     \
	   pzh "基本情况", pzh "目前状况"),                                     \
	CH(p "_work_place", pzh "务工地", pzh "务工地点", pzh "外出务工地点",   \
	   pzh "外出务工地", pzh "务工地址", pzh "打工地点", pzh "外出地点",    \
	   pzh "务工所在地"),                                                  \
	CH(p "_away_since", pzh "外出时间", pzh "外出务工时间", pzh "外出日期", \
	   pzh "外出年月"),                                                    \
	CH(p "_contact", pzh "联系频次", pzh "联系频率", pzh "与孩子联系频次",  \
	   pzh "与儿童联系频次", pzh "与子女联系情况", pzh "联系情况"),         \
	CH(p "_capable", pzh "监护能力", pzh "是否有监护能力",                 \
	   pzh "有无监护能力情况")

/* The variants offices write, field by field in the schema's order; a
 * long table of data, one row a field. */
static const struct header_words header_table[] = {
	CH("case_no", "档案号", "档案编号", "编号", "儿童档案编号"),
	CH("name", "儿童姓名", "留守儿童姓名", "姓名", "学生姓名", "孩子姓名",
	   "儿童名字"),
	CH("id_number", "身份证号", "身份证号码", "公民身份号码", "身份证",
	   "证件号码", "儿童身份证号", "儿童身份证号码", "身份证件号码",
	   "公民身份证号码", "居民身份证号码"),
	CH("no_hukou", "是否无户籍", "未落户", "无户口", "是否无户口"),
	CH("sex", "性别", "儿童性别"),
	CH("birth_date", "出生日期", "出生年月", "出生年月日", "生日",
	   "儿童出生日期"),
	CH("ethnicity", "民族", "族别"),
	CH("village_code", "村代码", "村(居)代码", "村居代码", "区划代码",
	   "村级区划代码", "统计用区划代码", "行政区划代码", "村(社区)代码"),
	CH("village", "所在村", "村别", "村(居)", "村居", "村名", "所属村",
	   "村(社区)", "村(居)名称", "所在村(居)", "村(居)委会", "村委会",
	   "村", "社区", "所在村(社区)"),
	CH("group", "组", "村民小组", "所在组", "小组", "组别", "屯(组)",
	   "所在村民小组"),
	CH("address", "家庭住址", "住址", "家庭地址", "现住址", "居住地址",
	   "详细地址", "家庭详细住址"),
	CH("left_behind_type", "留守儿童类型", "留守类别", "留守情况"),
	CH("status", "状态", "在册情况"),
	CH("exit_reason", "退出原因", "退出台账原因"),
	CH("exit_date", "退出日期", "退出时间"),
	PARENT_HEADERS("father", "父亲"),
	PARENT_HEADERS("mother", "母亲"),
	CH("guardian_relation", "与儿童关系", "监护人关系", "与留守儿童关系",
	   "监护人与儿童关系", "监护人与留守儿童关系", "监护关系",
	   "与被监护人关系", "监护人与孩子关系", "实际监护人与儿童关系"),
	CH("guardian_name", "监护人", "监护人姓名", "实际监护人",
	   "实际监护人姓名"),
	CH("guardian_age", "监护人年龄", "实际监护人年龄"),
	CH("guardian_phone", "监护人电话", "监护人联系电话", "监护人联系方式",
	   "监护人手机", "监护人手机号", "实际监护人电话",
	   "实际监护人联系电话", "实际监护人联系方式"),
	CH("guardian_capacity", "监护人监护能力", "监护人有无监护能力",
	   "实际监护人监护能力"),
	CH("school", "就读学校", "学校", "所在学校", "学校名称", "在读学校"),
	CH("grade", "年级", "就读年级", "所在年级", "年级班级", "班级"),
	CH("boarding", "是否寄宿", "寄宿", "是否住校", "住校", "寄宿情况"),
	CH("enrolment", "就学情况", "就学状况", "在校情况", "是否在校", "就学",
	   "上学情况", "在学情况", "就读情况"),
	CH("health", "健康状况", "身体状况", "健康情况", "身体健康状况"),
	CH("disability", "残疾类别", "残疾等级", "残疾情况", "残疾类别和等级",
	   "残疾类型及等级"),
	CH("mood", "心理状况", "心理健康状况", "心理状态", "心理健康",
	   "心理情况"),
	CH("assistance", "救助情况", "享受救助", "救助类型", "享受政策情况",
	   "帮扶救助情况", "享受救助类型"),
	CH("assistance_note", "救助情况说明", "救助备注"),
	CH("risk_note", "风险隐患", "安全隐患", "存在风险", "风险点"),
	CH("member_name", "包保人", "包保责任人", "帮扶责任人", "联系人",
	   "包保干部", "责任人", "帮扶人", "包保人姓名", "包保责任人姓名",
	   "帮扶责任人姓名"),
	CH("member_phone", "包保人电话", "包保责任人电话", "帮扶责任人电话",
	   "联系人电话", "包保人联系电话", "包保人联系方式", "包保干部电话",
	   "责任人电话", "帮扶人电话", "包保责任人联系电话"),
	CH("volunteer_name", "爱心家长", "爱心家长姓名", "爱心人士"),
	CH("volunteer_phone", "爱心家长电话", "爱心家长联系电话",
	   "爱心家长联系方式"),
	CH("last_visit", "最近走访日期", "最近一次走访", "上次走访时间",
	   "最近走访时间"),
	CH("next_visit_due", "下次走访日期", "下次走访时间", "计划走访日期"),
	CH("notes", "备注", "备注说明", "其他情况"),
};

/* Whether header (normalised) names field f by its key or a label. */
static int names_field(const struct form_field *f, const char *header)
{
	const char *own[] = { f->key, f->zh, f->en };
	char buf[256];
	for (size_t i = 0; i < 3; i++)
		if (header_norm(own[i], buf, sizeof(buf)) == 0 &&
		    strcmp(buf, header) == 0)
			return 1;
	return 0;
}

const struct form_field *form_header_field(enum store_kind kind,
					   const char *header)
{
	char h[256], buf[256];
	size_t n;
	if (header == NULL || header_norm(header, h, sizeof(h)) != 0 ||
	    *h == '\0')
		return NULL;
	const struct form_field *f = form_fields(kind, &n);
	for (size_t i = 0; i < n; i++) /* the schema's own words first */
		if (names_field(&f[i], h))
			return &f[i];
	for (size_t i = 0; i < sizeof(header_table) / sizeof(header_table[0]); i++) {
		const struct header_words *w = &header_table[i];
		if (w->kind != kind)
			continue;
		for (const char *const *v = w->words; *v; v++)
			if (header_norm(*v, buf, sizeof(buf)) == 0 &&
			    strcmp(buf, h) == 0)
				return form_field_find(kind, w->key);
	}
	return NULL;
}

/* --- choice words --- */

struct choice_word {
	const char *word; /* as folded: ASCII lower-case */
	const char *code;
};

/* The words of one set of choices, and the fields that use the set. */
struct choice_words {
	enum store_kind kind;
	const char *const *keys;         /* ends with NULL */
	const struct choice_word *words; /* ends with a NULL word */
};

static const struct choice_word sex_words[] = {
	{ "男性", "M" }, { "男孩", "M" }, { "男生", "M" }, { "m", "M" },
	{ "女性", "F" }, { "女孩", "F" }, { "女生", "F" }, { "f", "F" },
	{ NULL, NULL },
};

static const struct choice_word yes_no_words[] = {
	{ "是", "yes" }, { "有", "yes" }, { "√", "yes" }, { "✓", "yes" },
	{ "✔", "yes" }, { "y", "yes" }, { "是的", "yes" },
	{ "否", "no" }, { "无", "no" }, { "没有", "no" }, { "n", "no" },
	{ "不是", "no" }, { "×", "no" }, { "✗", "no" },
	{ NULL, NULL },
};

/* Boarding is also answered by the way the child goes to school. */
static const struct choice_word boarding_words[] = {
	{ "寄宿", "yes" }, { "住校", "yes" }, { "寄宿生", "yes" },
	{ "走读", "no" }, { "不寄宿", "no" }, { "不住校", "no" },
	{ "走读生", "no" },
	{ NULL, NULL },
};

static const struct choice_word enrolment_words[] = {
	{ "在读", "in_school" }, { "上学", "in_school" },
	{ "就读", "in_school" }, { "在学", "in_school" },
	{ "在校生", "in_school" }, { "在校就读", "in_school" },
	{ "是", "in_school" }, { "正常就学", "in_school" },
	{ "辍学", "dropped_out" }, { "失学", "dropped_out" },
	{ "已辍学", "dropped_out" }, { "失学辍学", "dropped_out" },
	{ "未入学", "never_enrolled" }, { "从未入学", "never_enrolled" },
	{ "未上学", "never_enrolled" }, { "没上学", "never_enrolled" },
	{ "未入学(失学)", "never_enrolled" },
	{ "学前", "preschool" }, { "幼儿园", "preschool" },
	{ "未到入学年龄", "preschool" }, { "学龄前儿童", "preschool" },
	{ "未到学龄", "preschool" }, { "在园", "preschool" },
	{ "入园", "preschool" }, { "散居", "preschool" },
	{ NULL, NULL },
};

static const struct choice_word health_words[] = {
	{ "良好", "healthy" }, { "正常", "healthy" }, { "好", "healthy" },
	{ "健康良好", "healthy" }, { "身体健康", "healthy" },
	{ "有病", "ill" }, { "生病", "ill" }, { "疾病", "ill" },
	{ "患有疾病", "ill" }, { "大病", "ill" }, { "慢性病", "ill" },
	{ "残障", "disabled" }, { "残疾儿童", "disabled" },
	{ "残疾且患病", "ill_disabled" }, { "患病残疾", "ill_disabled" },
	{ "残疾患病", "ill_disabled" }, { "患病、残疾", "ill_disabled" },
	{ NULL, NULL },
};

static const struct choice_word mood_words[] = {
	{ "好", "good" }, { "正常", "good" }, { "健康", "good" },
	{ "较好", "good" }, { "心理健康", "good" },
	{ "较差", "concern" }, { "差", "concern" }, { "异常", "concern" },
	{ "需要关注", "concern" }, { "重点关注", "concern" },
	{ "关注", "concern" },
	{ NULL, NULL },
};

static const struct choice_word condition_words[] = {
	{ "好", "good" }, { "较好", "good" }, { "正常", "good" },
	{ "差", "poor" }, { "很差", "poor" }, { "困难", "poor" },
	{ NULL, NULL },
};

static const struct choice_word parent_status_words[] = {
	{ "外出打工", "away" }, { "外出", "away" }, { "务工", "away" },
	{ "打工", "away" }, { "在外务工", "away" }, { "外地务工", "away" },
	{ "外出就业", "away" }, { "外出经商", "away" },
	{ "外地打工", "away" }, { "在外打工", "away" },
	{ "在家务农", "home" }, { "务农", "home" }, { "在本地", "home" },
	{ "本地务工", "home" }, { "在家中", "home" }, { "居家", "home" },
	{ "去世", "deceased" }, { "已故", "deceased" }, { "已去世", "deceased" },
	{ "亡故", "deceased" }, { "病故", "deceased" }, { "过世", "deceased" },
	{ "已死亡", "deceased" },
	{ "失联", "missing" }, { "下落不明", "missing" },
	{ "不清楚", "unknown" }, { "未知", "unknown" },
	{ NULL, NULL },
};

static const struct choice_word contact_words[] = {
	{ "每星期", "weekly" }, { "一周一次", "weekly" },
	{ "每周一次", "weekly" }, { "经常", "weekly" }, { "每天", "weekly" },
	{ "每个月", "monthly" }, { "一月一次", "monthly" },
	{ "每月一次", "monthly" },
	{ "每季", "quarterly" }, { "每季度一次", "quarterly" },
	{ "一季度一次", "quarterly" },
	{ "一年一次", "yearly" }, { "每年一次", "yearly" },
	{ "很少", "rarely" }, { "很少联系", "rarely" }, { "从不", "rarely" },
	{ "从不联系", "rarely" }, { "不联系", "rarely" }, { "没有", "rarely" },
	{ "无", "rarely" }, { "无联系", "rarely" }, { "偶尔", "rarely" },
	{ NULL, NULL },
};

static const struct choice_word relation_words[] = {
	{ "奶奶", "grandparent" }, { "爷爷", "grandparent" },
	{ "祖父", "grandparent" }, { "祖母", "grandparent" },
	{ "外婆", "grandparent" }, { "外公", "grandparent" },
	{ "姥姥", "grandparent" }, { "姥爷", "grandparent" },
	{ "祖父母", "grandparent" }, { "外祖父母", "grandparent" },
	{ "外祖父", "grandparent" }, { "外祖母", "grandparent" },
	{ "爷爷奶奶", "grandparent" }, { "外公外婆", "grandparent" },
	{ "姥姥姥爷", "grandparent" }, { "祖孙", "grandparent" },
	{ "父亲", "parent" }, { "母亲", "parent" }, { "父母", "parent" },
	{ "爸爸", "parent" }, { "妈妈", "parent" }, { "父子", "parent" },
	{ "母子", "parent" }, { "父女", "parent" }, { "母女", "parent" },
	{ "哥哥", "sibling" }, { "姐姐", "sibling" }, { "兄", "sibling" },
	{ "姐", "sibling" }, { "兄长", "sibling" }, { "兄妹", "sibling" },
	{ "姐弟", "sibling" }, { "兄弟", "sibling" }, { "姐妹", "sibling" },
	{ "叔叔", "relative" }, { "伯伯", "relative" }, { "伯父", "relative" },
	{ "叔父", "relative" }, { "姑姑", "relative" }, { "姑妈", "relative" },
	{ "舅舅", "relative" }, { "姨", "relative" }, { "姨妈", "relative" },
	{ "阿姨", "relative" }, { "婶婶", "relative" }, { "舅妈", "relative" },
	{ "姑父", "relative" }, { "姨父", "relative" }, { "亲属", "relative" },
	{ "亲戚", "relative" }, { "叔侄", "relative" }, { "舅甥", "relative" },
	{ "委托", "entrusted" }, { "受委托", "entrusted" },
	{ "受托人", "entrusted" }, { "委托监护", "entrusted" },
	{ "委托监护人", "entrusted" }, { "邻居", "entrusted" },
	{ "无", "none" }, { "没有", "none" }, { "无监护人", "none" },
	{ NULL, NULL },
};

static const struct choice_word capacity_words[] = {
	{ "有", "good" }, { "是", "good" }, { "具备", "good" },
	{ "有能力", "good" }, { "能", "good" }, { "强", "good" },
	{ "较弱", "weak" }, { "弱", "weak" }, { "一般", "weak" },
	{ "无", "none" }, { "否", "none" }, { "没有", "none" },
	{ "不具备", "none" }, { "无能力", "none" }, { "丧失监护能力", "none" },
	{ NULL, NULL },
};

static const struct choice_word assistance_words[] = {
	{ "没有", "none" }, { "未享受", "none" }, { "否", "none" },
	{ "低保", "dibao" }, { "享受低保", "dibao" }, { "农村低保", "dibao" },
	{ "低保户", "dibao" },
	{ "特困", "tekun" }, { "特困供养", "tekun" }, { "五保", "tekun" },
	{ "特困人员", "tekun" },
	{ "孤儿", "orphan" }, { "孤儿补助", "orphan" },
	{ "残疾补贴", "disability" }, { "残疾人补贴", "disability" },
	{ "残疾救助", "disability" }, { "残疾儿童补贴", "disability" },
	{ "康复救助", "disability" }, { "残疾儿童康复救助", "disability" },
	{ "最低生活保障", "dibao" }, { "临时", "temporary" },
	{ "孤儿基本生活费", "orphan" },
	{ "其他", "other" },
	{ NULL, NULL },
};

/* How an entry of assistance is paid. */
static const struct choice_word aid_per_words[] = {
	{ "月", "month" }, { "按月", "month" }, { "按月发放", "month" },
	{ "月度", "month" }, { "一次", "once" }, { "一次性发放", "once" },
	{ NULL, NULL },
};

static const struct choice_word exit_words[] = {
	{ "满16周岁", "turned16" }, { "年满16岁", "turned16" },
	{ "满16岁", "turned16" }, { "超龄", "turned16" },
	{ "父母回乡", "parents_returned" }, { "父母返乡", "parents_returned" },
	{ "父母回家", "parents_returned" },
	{ "迁出", "moved_with_family" }, { "随迁", "moved_with_family" },
	{ "随父母外出", "moved_with_family" },
	{ NULL, NULL },
};

/* Each set of choices with its words, by the fields that use it. */
static const struct choice_words choice_table[] = {
	{ STORE_CHILD, W("sex"), sex_words },
	{ STORE_CHILD, W("no_hukou", "boarding"), yes_no_words },
	{ STORE_CHILD, W("boarding"), boarding_words },
	{ STORE_CHILD, W("enrolment"), enrolment_words },
	{ STORE_VISIT, W("schooling"), enrolment_words },
	{ STORE_CHILD, W("health"), health_words },
	{ STORE_CHILD, W("mood"), mood_words },
	{ STORE_VISIT, W("mood"), mood_words },
	{ STORE_VISIT, W("living", "health"), condition_words },
	{ STORE_CHILD, W("father_status", "mother_status"), parent_status_words },
	{ STORE_CHILD, W("father_contact", "mother_contact"), contact_words },
	{ STORE_VISIT, W("parent_contact"), contact_words },
	{ STORE_CHILD, W("guardian_relation"), relation_words },
	{ STORE_CHILD, W("father_capable", "mother_capable",
			 "guardian_capacity"), capacity_words },
	{ STORE_CHILD, W("assistance"), assistance_words },
	{ STORE_AID, W("programme"), assistance_words },
	{ STORE_AID, W("per"), aid_per_words },
	{ STORE_CHILD, W("exit_reason"), exit_words },
};

/* The code of f's choice that a word of the table names, or NULL. */
static const char *choice_by_word(const struct form_field *f, const char *w)
{
	for (size_t i = 0; i < sizeof(choice_table) / sizeof(choice_table[0]); i++) {
		const struct choice_words *t = &choice_table[i];
		int uses = 0;
		for (const char *const *k = t->keys; t->kind == f->kind && *k && !uses; k++)
			uses = strcmp(*k, f->key) == 0;
		if (!uses)
			continue;
		for (const struct choice_word *cw = t->words; cw->word; cw++) {
			if (strcmp(cw->word, w) != 0)
				continue;
			for (const struct form_choice *c = f->choices; c->code; c++)
				if (strcmp(c->code, cw->code) == 0)
					return c->code;
		}
	}
	return NULL;
}

const char *form_choice_code(const struct form_field *f, const char *input)
{
	char w[128];
	if (f == NULL || f->choices == NULL || input == NULL)
		return NULL;
	for (const struct form_choice *c = f->choices; c->code; c++)
		if (strcmp(c->code, input) == 0 || strcmp(c->zh, input) == 0 ||
		    strcasecmp(c->en, input) == 0)
			return c->code;
	if (fold_word(input, 0, w, sizeof(w)) != 0)
		return NULL;
	for (const struct form_choice *c = f->choices; c->code; c++)
		if (strcasecmp(c->code, w) == 0 || strcmp(c->zh, w) == 0 ||
		    strcasecmp(c->en, w) == 0)
			return c->code;
	return choice_by_word(f, w);
}
