/* schema.c - the one table of every field of every record kind, taken from
 * the policy (吉市政办发〔2017〕1号) and doc/design.md "Data".
 *
 * Labels come in Chinese and English here; form_label() picks by locale so
 * the catalogue need not repeat them. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <locale.h>
#include <pthread.h>

#include "forms.h"
#include "../common/i18n.h"

#define END { NULL, NULL, NULL }

static const struct form_choice sex_choices[] = {
	{ "M", "男", "male" },
	{ "F", "女", "female" },
	END,
};

static const struct form_choice yes_no[] = {
	{ "yes", "是", "yes" },
	{ "no", "否", "no" },
	END,
};

static const struct form_choice enrolment_choices[] = {
	{ "in_school", "在校", "in school" },
	{ "dropped_out", "辍学", "dropped out" },
	{ "never_enrolled", "失学(未入学)", "never enrolled" },
	{ "preschool", "学龄前", "preschool" },
	END,
};

static const struct form_choice health_choices[] = {
	{ "healthy", "健康", "healthy" },
	{ "ill", "患病", "ill" },
	{ "disabled", "残疾", "disabled" },
	{ "ill_disabled", "患病且残疾", "ill and disabled" },
	END,
};

static const struct form_choice mood_choices[] = {
	{ "good", "良好", "good" },
	{ "fair", "一般", "fair" },
	{ "concern", "需关注", "needs attention" },
	END,
};

static const struct form_choice parent_status_choices[] = {
	{ "away", "外出务工", "working away" },
	{ "home", "在家", "at home" },
	{ "deceased", "死亡", "deceased" },
	{ "missing", "失踪", "missing" },
	{ "unknown", "不详", "unknown" },
	END,
};

static const struct form_choice contact_choices[] = {
	{ "weekly", "每周", "weekly" },
	{ "monthly", "每月", "monthly" },
	{ "quarterly", "每季度", "quarterly" },
	{ "yearly", "每年", "yearly" },
	{ "rarely", "很少或没有", "rarely or never" },
	END,
};

static const struct form_choice relation_choices[] = {
	{ "grandparent", "祖父母/外祖父母", "grandparent" },
	{ "parent", "父亲或母亲", "parent" },
	{ "sibling", "兄姐", "older sibling" },
	{ "relative", "其他亲属", "other relative" },
	{ "entrusted", "受委托监护人", "entrusted guardian" },
	{ "none", "无人监护", "none" },
	END,
};

static const struct form_choice capacity_choices[] = {
	{ "good", "有监护能力", "capable" },
	{ "weak", "监护能力较弱", "weak" },
	{ "none", "无监护能力", "incapable" },
	END,
};

static const struct form_choice assistance_choices[] = {
	{ "none", "无", "none" },
	{ "dibao", "最低生活保障", "minimum living allowance" },
	{ "tekun", "特困供养", "extreme-poverty support" },
	{ "temporary", "临时救助", "temporary assistance" },
	{ "orphan", "孤儿基本生活费", "orphan allowance" },
	{ "disability", "残疾儿童救助", "disability assistance" },
	{ "other", "其他救助", "other assistance" },
	END,
};

/* The programmes a child's assistance comes from (救助记录): the
 * policy's 社会救助 and 临时救助, the orphans' allowance, the
 * disability federation's help (残联). */
static const struct form_choice aid_programme_choices[] = {
	{ "dibao", "低保", "minimum living allowance (dibao)" },
	{ "tekun", "特困供养", "extreme-poverty support" },
	{ "temporary", "临时救助", "temporary assistance" },
	{ "orphan", "孤儿基本生活费", "orphan allowance" },
	{ "disability", "残疾儿童补贴/康复救助", "disability allowance or rehabilitation" },
	{ "other", "其他", "other" },
	END,
};

static const struct form_choice aid_per_choices[] = {
	{ "month", "每月", "a month" },
	{ "once", "一次性", "once" },
	END,
};

static const struct form_choice status_choices[] = {
	{ "active", "在册", "in the ledger" },
	{ "exited", "已退出", "left the ledger" },
	END,
};

static const struct form_choice exit_choices[] = {
	{ "turned16", "年满16周岁", "turned 16" },
	{ "parents_returned", "父母返乡", "parents returned" },
	{ "moved_with_family", "随父母迁出", "moved with the family" },
	{ "other", "其他", "other" },
	END,
};

static const struct form_choice type_choices[] = {
	{ "both_away", "父母双方外出务工", "both parents away" },
	{ "one_away_other_incapable", "一方外出另一方无监护能力",
	  "one away, the other incapable" },
	{ "not_left_behind", "不符合留守儿童条件", "not left behind" },
	END,
};

static const struct form_choice visit_kind_choices[] = {
	{ "home", "入户走访", "home visit" },
	{ "phone", "电话联系", "phone call" },
	{ "school", "到校了解", "school visit" },
	{ "verification", "干部核查", "check by a cadre" },
	END,
};

static const struct form_choice condition_choices[] = {
	{ "good", "良好", "good" },
	{ "fair", "一般", "fair" },
	{ "poor", "较差", "poor" },
	END,
};

static const struct form_choice guardianship_choices[] = {
	{ "good", "监护到位", "in place" },
	{ "weak", "监护不力", "weak" },
	{ "none", "无人监护", "none" },
	END,
};

static const struct form_choice safety_choices[] = {
	{ "safe", "无安全隐患", "no hazard" },
	{ "hazard", "存在安全隐患", "hazard found" },
	END,
};

static const struct form_choice report_category_choices[] = {
	{ "accidental_injury", "意外伤害", "accidental injury" },
	{ "unlawful_harm", "不法侵害", "unlawful harm" },
	{ "domestic_violence", "家庭暴力", "domestic violence" },
	{ "missing", "失踪", "missing" },
	{ "parents_unreachable", "联系不上父母", "parents unreachable" },
	{ "unsupervised", "无人监护", "unsupervised" },
	{ "out_of_school", "失学辍学", "out of school" },
	{ "abuse_abandonment", "虐待或遗弃", "abuse or abandonment" },
	{ "other", "其他", "other" },
	END,
};

static const struct form_choice reporter_choices[] = {
	{ "school", "学校", "school" },
	{ "medical", "医疗机构", "medical institution" },
	{ "village", "村(居)民委员会", "village committee" },
	{ "township", "乡镇政府(街道办事处)", "township office" },
	{ "police", "公安机关", "police" },
	{ "civil_affairs", "民政部门", "civil affairs" },
	{ "family", "家庭成员", "family member" },
	{ "public", "其他群众", "member of the public" },
	{ "other", "其他单位", "other body" },
	END,
};

/* The stages of a report's handling, in order (二(二) of the policy). */
static const struct form_choice stage_choices[] = {
	{ "found", "发现", "found" },
	{ "reported", "报告公安机关", "reported to police" },
	{ "police_response", "出警处置", "police response" },
	{ "township_notified", "通报乡镇", "township notified" },
	{ "assessment", "调查评估", "assessment" },
	{ "services", "关爱服务/救助", "services or assistance" },
	{ "intervention", "监护干预", "guardianship intervention" },
	{ "closed", "结案", "closed" },
	END,
};

static const struct form_choice report_status_choices[] = {
	{ "open", "处理中", "open" },
	{ "closed", "已结案", "closed" },
	END,
};

static const struct form_choice role_choices[] = {
	{ "village", "村级儿童主任/包保人员", "village member" },
	{ "clerk", "乡镇经办人员", "township clerk" },
	{ "leader", "分管领导(审核)", "leader" },
	{ "county", "县级民政人员", "county staff" },
	{ "city", "市级民政人员", "city staff" },
	/* a clerk of a ledger made before roles held */
	{ "township", "乡镇经办人员(旧账户)", "township clerk (old account)" },
	END,
};

/* A request for a leader's approval (审核, forms/requests.c). */
static const struct form_choice request_action_choices[] = {
	{ "exit", "退出台账", "leave the ledger" },
	{ "close_report", "报告结案", "close the report" },
	{ "step", "处置环节", "report step" },
	{ "transfer", "转移到其他乡镇(街道)", "transfer to another township" },
	END,
};

static const struct form_choice request_status_choices[] = {
	{ "waiting", "待审核", "waiting" },
	{ "approved", "已同意", "approved" },
	{ "sent_back", "已退回", "sent back" },
	{ "withdrawn", "已撤回", "withdrawn" },
	END,
};

static const struct form_choice level_choices[] = {
	{ "county", "县(市、区)", "county" },
	{ "township", "乡镇(街道)", "township" },
	{ "city", "市(州)", "city" },
	END,
};

const struct form_choice *form_stage_choices(void)
{
	return stage_choices;
}

#define REQ FORM_REQUIRED
#define DER FORM_DERIVED
#define SYS FORM_SYSTEM
#define FUT FORM_FUTURE
#define HID FORM_HIDDEN

#define F(kind, key, zh, en, sec, type, flags, ch, maxlen, hzh, hen) \
	{ kind, key, zh, en, sec, type, flags, ch, maxlen, 0, 0, hzh, hen }

#define C(key, zh, en, sec, type, flags, ch, maxlen, hzh, hen) \
	F(STORE_CHILD, key, zh, en, sec, type, flags, ch, maxlen, hzh, hen)

/* Both parents share one set of fields; the macro keeps them one list. */
#define PARENT(p, pzh, pen)                                                   \
	C(p "_name", pzh "姓名", pen "'s name", "parents", FORM_TEXT, 0,       \
	  NULL, 30, NULL, NULL),                                               \
	C(p "_id_number", pzh "身份证号", pen "'s ID number", "parents",       \
	  FORM_IDNUM, 0, NULL, 18, "18位公民身份号码", "18-character ID number"), \
	C(p "_phone", pzh "联系电话", pen "'s phone", "parents", FORM_PHONE,   \
	  0, NULL, 20, "手机号或带区号的固定电话",                              \
	  "mobile, or landline with area code"),                               \
	C(p "_status", pzh "现状", pen "'s situation", "parents", FORM_CHOICE, \
	  REQ, parent_status_choices, 0, NULL, NULL),                          \
	C(p "_work_place", pzh "务工地点", pen " works in", "parents",         \
	  FORM_TEXT, 0, NULL, 40, "外出务工的省市", "province and city"),        \
	C(p "_away_since", pzh "外出时间", pen " away since", "parents",       \
	  FORM_DATE, 0, NULL, 0, NULL, NULL),                                  \
	C(p "_contact", pzh "与子女联系频次", pen "'s contact with the child", \
	  "parents", FORM_CHOICE, 0, contact_choices, 0, NULL, NULL),          \
	C(p "_capable", pzh "有无监护能力", pen " capable as guardian",        \
	  "parents", FORM_CHOICE, 0, capacity_choices, 0,                      \
	  "在家一方无监护能力时为\"一方外出另一方无监护能力\"",                 \
	  "a parent at home without capacity makes the child left behind")

static const struct form_field fields[] = {
	/* child: basic */
	C("case_no", "档案编号", "Case number", "basic", FORM_REF, SYS, NULL,
	  17, "乡镇代码-序号-校验码", "township code-serial-check"),
	C("name", "姓名", "Name", "basic", FORM_TEXT, REQ, NULL, 30, NULL, NULL),
	C("name_sort", "姓名排序键", "Name order key", "basic", FORM_TEXT,
	  DER | HID, NULL, 255, NULL, NULL),
	C("name_py", "姓名拼音首字母", "Name initials", "basic", FORM_TEXT,
	  DER | HID, NULL, 30, NULL, NULL),
	C("id_number", "公民身份号码", "ID number", "basic", FORM_IDNUM, 0, NULL,
	  18, "18位，末位可为X；无户籍可空缺", "18 characters, last may be X"),
	C("no_hukou", "无户籍", "No household registration", "basic", FORM_CHOICE,
	  0, yes_no, 0, NULL, NULL),
	C("sex", "性别", "Sex", "basic", FORM_CHOICE, REQ | DER, sex_choices, 0,
	  "有身份证号时自动填写", "filled from the ID number"),
	C("birth_date", "出生日期", "Date of birth", "basic", FORM_DATE, REQ | DER,
	  NULL, 0, "有身份证号时自动填写", "filled from the ID number"),
	C("ethnicity", "民族", "Ethnicity", "basic", FORM_TEXT, 0, NULL, 10, NULL,
	  NULL),
	C("village_code", "村(居)代码", "Village code", "basic", FORM_DIVISION,
	  REQ, NULL, 12, "12位统计用区划代码", "12-digit division code"),
	C("village", "村(居)", "Village", "basic", FORM_TEXT, REQ, NULL, 30, NULL,
	  NULL),
	C("group", "村民小组", "Village group", "basic", FORM_TEXT, 0, NULL, 20,
	  NULL, NULL),
	C("address", "家庭住址", "Address", "basic", FORM_TEXT, 0, NULL, 60, NULL,
	  NULL),
	C("left_behind_type", "留守类型", "Left-behind type", "basic",
	  FORM_CHOICE, DER, type_choices, 0, "由父母情况判定",
	  "follows from the parents' situation"),
	C("status", "在册状态", "Status", "basic", FORM_CHOICE, SYS, status_choices,
	  0, NULL, NULL),
	C("exit_reason", "退出原因", "Reason for leaving", "basic", FORM_CHOICE, 0,
	  exit_choices, 0, NULL, NULL),
	C("exit_date", "退出日期", "Date left", "basic", FORM_DATE, 0, NULL, 0,
	  NULL, NULL),
	/* The day the child was registered here: an exit is not dated
	 * before it. Missing in files registered before it was kept. Set by
	 * the program from its clock, so not held against the reader's
	 * (another office's, a later check's under a pinned clock). */
	C("registered", "登记日期", "Registered on", "basic", FORM_DATE, SYS | FUT,
	  NULL, 0, NULL, NULL),
	/* A child's comings and goings after the first registration, set
	 * only by ledger_child_readmit and the transfers (transfer.c). */
	C("transferred_to", "已转移至", "Transferred to", "basic", FORM_TEXT, SYS,
	  NULL, 9, "转入乡镇(街道)的9位代码", "the receiving township's 9-digit code"),
	C("readmit_date", "恢复在册日期", "Re-admitted on", "basic", FORM_DATE,
	  SYS, NULL, 0, NULL, NULL),
	C("readmit_reason", "恢复在册原因", "Reason for re-admission", "basic",
	  FORM_TEXT, SYS, NULL, 100, NULL, NULL),
	C("previous_case", "原档案编号", "Previous case number", "basic", FORM_REF,
	  SYS, NULL, 17, "转入前在原乡镇(街道)的档案编号",
	  "the case number in the township the child came from"),

	/* child: parents */
	PARENT("father", "父亲", "Father"),
	PARENT("mother", "母亲", "Mother"),

	/* child: guardian */
	C("guardian_relation", "实际监护人关系", "Guardian's relation",
	  "guardian", FORM_CHOICE, REQ, relation_choices, 0,
	  "无人监护时选\"无人监护\"", "choose none when no one looks after"),
	C("guardian_name", "监护人姓名", "Guardian's name", "guardian", FORM_TEXT,
	  0, NULL, 30, NULL, NULL),
	/* An older sibling may look after the child; no one is over 120. */
	{ STORE_CHILD, "guardian_age", "监护人年龄", "Guardian's age", "guardian",
	  FORM_INT, 0, NULL, 0, 14, 120, "14至120岁", "14 to 120 years" },
	C("guardian_phone", "监护人电话", "Guardian's phone", "guardian",
	  FORM_PHONE, 0, NULL, 20, NULL, NULL),
	C("guardian_capacity", "监护能力", "Guardian's capacity", "guardian",
	  FORM_CHOICE, 0, capacity_choices, 0, NULL, NULL),

	/* child: school and health */
	C("school", "就读学校", "School", "school", FORM_TEXT, 0, NULL, 40, NULL,
	  NULL),
	C("grade", "年级", "Grade", "school", FORM_TEXT, 0, NULL, 10, NULL, NULL),
	C("boarding", "是否寄宿", "Boarding", "school", FORM_CHOICE, 0, yes_no, 0,
	  NULL, NULL),
	C("enrolment", "就学状况", "Schooling", "school", FORM_CHOICE, REQ,
	  enrolment_choices, 0, NULL, NULL),
	C("health", "健康状况", "Health", "school", FORM_CHOICE, 0, health_choices,
	  0, NULL, NULL),
	C("disability", "残疾类别及等级", "Disability", "school", FORM_TEXT, 0,
	  NULL, 30, NULL, NULL),
	C("mood", "心理状况", "Psychological state", "school", FORM_CHOICE, 0,
	  mood_choices, 0, NULL, NULL),

	/* child: assistance */
	/* The one choice files held before assistance came as dated entries
	 * (kind aid): kept, and read by the statistics for a child without
	 * entries; new assistance is entered as entries. */
	C("assistance", "享受救助情况", "Assistance received", "assistance",
	  FORM_CHOICE, 0, assistance_choices, 0,
	  "旧版汇总；新的救助请登记为救助记录(有起止日期)",
	  "the old summary; enter assistance as dated entries (aid add)"),
	C("assistance_note", "救助说明", "Assistance details", "assistance",
	  FORM_TEXT, 0, NULL, 60, NULL, NULL),
	C("risk_note", "风险情况", "Risks", "assistance", FORM_NOTE, 0, NULL, 200,
	  NULL, NULL),

	/* child: responsible member */
	C("member_name", "包保责任人", "Responsible member", "member", FORM_TEXT,
	  0, NULL, 30, "本台账用户的用户名或姓名",
	  "a user of the ledger: user name or full name"),
	C("member_phone", "包保责任人电话", "Responsible member's phone",
	  "member", FORM_PHONE, 0, NULL, 20, NULL, NULL),
	C("volunteer_name", "爱心家长", "Caring volunteer", "member", FORM_TEXT, 0,
	  NULL, 30, NULL, NULL),
	C("volunteer_phone", "爱心家长电话", "Caring volunteer's phone", "member",
	  FORM_PHONE, 0, NULL, 20, NULL, NULL),
	/* Key cases (重点对象) cadres check: set by a clerk (changing a
	 * child's file takes LEDGER_CASEWORK), kept off the printed slip. */
	C("key_case", "重点对象", "Key case", "member", FORM_CHOICE, 0, yes_no, 0,
	  "需干部重点核查的儿童", "a child cadres check closely"),
	C("key_case_reason", "重点对象原因", "Key case reason", "member",
	  FORM_TEXT, 0, NULL, 60, "列为重点对象时必填",
	  "required for a key case"),
	C("last_visit", "最近走访", "Last visit", "member", FORM_DATE, SYS, NULL, 0,
	  NULL, NULL),
	C("next_visit_due", "下次走访", "Next visit due", "member", FORM_DATE,
	  FUT, NULL, 0, NULL, NULL),
	C("notes", "备注", "Notes", "member", FORM_NOTE, 0, NULL, 500, NULL, NULL),
	/* The version of the child's case slip: a reissue makes the old slip
	 * say it was replaced when scanned. */
	{ STORE_CHILD, "slip_version", "联系卡版本", "Slip version", "member",
	  FORM_INT, SYS, NULL, 0, 1, 99999, NULL, NULL },

	/* visit */
	F(STORE_VISIT, "case_no", "档案编号", "Case number", "visit", FORM_REF,
	  REQ, NULL, 17, NULL, NULL),
	F(STORE_VISIT, "date", "走访日期", "Date", "visit", FORM_DATE, REQ, NULL,
	  0, NULL, NULL),
	F(STORE_VISIT, "visitor", "走访人", "Visitor", "visit", FORM_TEXT, REQ,
	  NULL, 30, NULL, NULL),
	F(STORE_VISIT, "kind", "走访方式", "Kind", "visit", FORM_CHOICE, REQ,
	  visit_kind_choices, 0, NULL, NULL),
	F(STORE_VISIT, "living", "生活状况", "Living conditions", "findings",
	  FORM_CHOICE, 0, condition_choices, 0, NULL, NULL),
	F(STORE_VISIT, "guardianship", "监护状况", "Guardianship", "findings",
	  FORM_CHOICE, 0, guardianship_choices, 0, NULL, NULL),
	F(STORE_VISIT, "safety", "安全状况", "Safety", "findings", FORM_CHOICE, 0,
	  safety_choices, 0, NULL, NULL),
	F(STORE_VISIT, "schooling", "就学状况", "Schooling", "findings",
	  FORM_CHOICE, 0, enrolment_choices, 0, NULL, NULL),
	F(STORE_VISIT, "health", "健康状况", "Health", "findings", FORM_CHOICE, 0,
	  condition_choices, 0, NULL, NULL),
	F(STORE_VISIT, "mood", "心理情绪", "Mood", "findings", FORM_CHOICE, 0,
	  mood_choices, 0, NULL, NULL),
	F(STORE_VISIT, "parent_contact", "与父母联系", "Contact with parents",
	  "findings", FORM_CHOICE, 0, contact_choices, 0, NULL, NULL),
	F(STORE_VISIT, "problems", "发现问题", "Problems found", "findings",
	  FORM_NOTE, 0, NULL, 300, NULL, NULL),
	F(STORE_VISIT, "help_given", "帮扶措施", "Help given", "findings",
	  FORM_NOTE, 0, NULL, 300, NULL, NULL),
	F(STORE_VISIT, "next_due", "下次联系日期", "Next contact due", "findings",
	  FORM_DATE, FUT, NULL, 0, "不早于走访日期", "not before the visit"),

	/* report (强制报告) */
	F(STORE_REPORT, "case_no", "档案编号", "Case number", "report", FORM_REF,
	  REQ, NULL, 17, NULL, NULL),
	F(STORE_REPORT, "category", "报告类别", "Category", "report", FORM_CHOICE,
	  REQ, report_category_choices, 0, NULL, NULL),
	F(STORE_REPORT, "found_at", "发现时间", "Found at", "report",
	  FORM_DATETIME, REQ, NULL, 0, "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM"),
	F(STORE_REPORT, "found_by", "发现人", "Found by", "report", FORM_TEXT, REQ,
	  NULL, 30, NULL, NULL),
	F(STORE_REPORT, "reporter_kind", "报告单位类别", "Reporting body",
	  "report", FORM_CHOICE, REQ, reporter_choices, 0, NULL, NULL),
	F(STORE_REPORT, "reporter", "报告单位", "Reported by", "report",
	  FORM_TEXT, 0, NULL, 40, NULL, NULL),
	F(STORE_REPORT, "description", "情况描述", "What happened", "report",
	  FORM_NOTE, REQ, NULL, 500, NULL, NULL),
	F(STORE_REPORT, "reported_at", "报告公安机关时间", "Reported to police at",
	  "police", FORM_DATETIME, 0, NULL, 0, "应在发现当日(第一时间)",
	  "due the same day"),
	F(STORE_REPORT, "police_station", "公安派出所", "Police station",
	  "police", FORM_TEXT, 0, NULL, 40, NULL, NULL),
	F(STORE_REPORT, "receipt_no", "受案回执号", "Receipt number", "police",
	  FORM_TEXT, 0, NULL, 30, NULL, NULL),
	F(STORE_REPORT, "stage", "处置阶段", "Stage", "police", FORM_CHOICE, SYS,
	  stage_choices, 0, NULL, NULL),
	F(STORE_REPORT, "status", "办理状态", "Status", "police", FORM_CHOICE, SYS,
	  report_status_choices, 0, NULL, NULL),

	/* report step */
	F(STORE_STEP, "report_id", "报告编号", "Report", "step", FORM_REF, REQ,
	  NULL, 30, NULL, NULL),
	/* the stages after the finding: the finding is the report itself,
	 * never a step a clerk adds */
	F(STORE_STEP, "step", "处置环节", "Step", "step", FORM_CHOICE, REQ,
	  stage_choices + 1, 0, NULL, NULL),
	F(STORE_STEP, "date", "时间", "Date", "step", FORM_DATETIME, REQ, NULL, 0,
	  NULL, NULL),
	F(STORE_STEP, "by", "经办人/单位", "By", "step", FORM_TEXT, REQ, NULL, 40,
	  NULL, NULL),
	F(STORE_STEP, "note", "处置情况", "Note", "step", FORM_NOTE, 0, NULL, 500,
	  NULL, NULL),

	/* an entry of assistance (救助记录), under its child */
	F(STORE_AID, "case_no", "档案编号", "Case number", "aid", FORM_REF, REQ,
	  NULL, 17, NULL, NULL),
	F(STORE_AID, "programme", "救助项目", "Programme", "aid", FORM_CHOICE,
	  REQ, aid_programme_choices, 0, NULL, NULL),
	F(STORE_AID, "start_date", "起始日期", "From", "aid", FORM_DATE,
	  REQ | FUT, NULL, 0, "开始享受的日期", "the first day it is paid"),
	F(STORE_AID, "end_date", "终止日期", "Until", "aid", FORM_DATE, FUT, NULL,
	  0, "空缺表示仍在享受", "empty while it goes on"),
	{ STORE_AID, "amount", "金额(元)", "Amount (yuan)", "aid", FORM_INT, 0,
	  NULL, 0, 0, 1000000, "整数元", "whole yuan" },
	F(STORE_AID, "per", "发放方式", "Paid", "aid", FORM_CHOICE, 0,
	  aid_per_choices, 0, "有金额时必填", "required with an amount"),
	F(STORE_AID, "granted_by", "审批部门", "Granted by", "aid", FORM_TEXT, 0,
	  NULL, 40, NULL, NULL),
	F(STORE_AID, "note", "备注", "Note", "aid", FORM_NOTE, 0, NULL, 200, NULL,
	  NULL),

	/* office */
	F(STORE_OFFICE, "code", "单位代码", "Office code", "office", FORM_TEXT,
	  REQ, NULL, 12, "9位乡镇、6位县级或4位市级代码",
	  "9-digit township, 6-digit county or 4-digit city code"),
	F(STORE_OFFICE, "name", "单位名称", "Office name", "office", FORM_TEXT,
	  REQ, NULL, 40, NULL, NULL),
	F(STORE_OFFICE, "level", "层级", "Level", "office", FORM_CHOICE, SYS,
	  level_choices, 0, NULL, NULL),
	F(STORE_OFFICE, "phone", "联系电话", "Phone", "office", FORM_PHONE, 0,
	  NULL, 20, NULL, NULL),

	/* user */
	F(STORE_USER, "name", "用户名", "User name", "user", FORM_TEXT, REQ, NULL,
	  32, NULL, NULL),
	F(STORE_USER, "role", "角色", "Role", "user", FORM_CHOICE, REQ,
	  role_choices, 0, NULL, NULL),
	F(STORE_USER, "display_name", "姓名", "Full name", "user", FORM_TEXT, 0,
	  NULL, 30, NULL, NULL),
	F(STORE_USER, "villages", "负责村(居)", "Villages", "user", FORM_TEXT, 0,
	  NULL, 220, "村级用户负责的村(居)代码，逗号分隔",
	  "village codes of a village user, comma-separated"),
	F(STORE_USER, "phone", "联系电话", "Phone", "user", FORM_PHONE, 0, NULL,
	  20, "作为包保责任人时印在联系卡上", "printed on slips as the member's"),
	F(STORE_USER, "disabled", "已停用", "Disabled", "user", FORM_CHOICE, SYS,
	  yes_no, 0, NULL, NULL),

	/* village (the office's register) */
	F(STORE_VILLAGE, "code", "村(居)代码", "Village code", "village",
	  FORM_DIVISION, REQ, NULL, 12, "12位统计用区划代码",
	  "12-digit division code"),
	F(STORE_VILLAGE, "name", "村(居)名称", "Village name", "village",
	  FORM_TEXT, REQ, NULL, 30, NULL, NULL),

	/* a period's statistics as an office filed them (stats/) */
	F(STORE_TABLE, "period", "统计期间", "Period", "table", FORM_TEXT, REQ,
	  NULL, 24, "2026-11、2026-Q4 或 2026", "2026-11, 2026-Q4 or 2026"),
	F(STORE_TABLE, "from", "起始日期", "First day", "table", FORM_DATE, REQ,
	  NULL, 0, NULL, NULL),
	F(STORE_TABLE, "to", "截止日期", "Last day", "table", FORM_DATE, REQ, NULL,
	  0, NULL, NULL),
	F(STORE_TABLE, "name", "单位名称", "Office name", "table", FORM_TEXT, 0,
	  NULL, 40, NULL, NULL),
	F(STORE_TABLE, "made", "制表日期", "Made on", "table", FORM_DATE, REQ,
	  NULL, 0, NULL, NULL),
	F(STORE_TABLE, "figures", "统计数据", "Figures", "table", FORM_TEXT, REQ,
	  NULL, 4000, "列名=数值，以空格分隔", "column=number, separated by spaces"),

	/* a request for a leader's approval (审核): what is asked, of which
	 * record, with the action's own fields as typed */
	F(STORE_REQUEST, "action", "审核事项", "Asked", "request", FORM_CHOICE,
	  REQ, request_action_choices, 0, NULL, NULL),
	F(STORE_REQUEST, "target", "审核对象", "Of", "request", FORM_REF, REQ, NULL,
	  30, "档案编号或报告编号", "case number or report id"),
	F(STORE_REQUEST, "exit_reason", "退出原因", "Reason for leaving",
	  "request", FORM_CHOICE, 0, exit_choices, 0, NULL, NULL),
	F(STORE_REQUEST, "exit_date", "退出日期", "Date left", "request",
	  FORM_DATE, 0, NULL, 0, NULL, NULL),
	/* a transfer's: where to and why (its date is exit_date) */
	F(STORE_REQUEST, "to", "转入乡镇(街道)", "To township", "request",
	  FORM_TEXT, 0, NULL, 9, NULL, NULL),
	F(STORE_REQUEST, "to_name", "转入乡镇(街道)名称", "Receiving township's name",
	  "request", FORM_TEXT, 0, NULL, 40, NULL, NULL),
	F(STORE_REQUEST, "reason", "转移原因", "Reason for the transfer",
	  "request", FORM_TEXT, 0, NULL, 100, NULL, NULL),
	F(STORE_REQUEST, "step", "处置环节", "Step", "request", FORM_CHOICE, 0,
	  stage_choices, 0, NULL, NULL),
	F(STORE_REQUEST, "date", "时间", "Date", "request", FORM_DATETIME, 0, NULL,
	  0, NULL, NULL),
	F(STORE_REQUEST, "by", "经办人/单位", "By", "request", FORM_TEXT, 0, NULL,
	  40, NULL, NULL),
	F(STORE_REQUEST, "note", "处置情况", "Note", "request", FORM_NOTE, 0, NULL,
	  500, NULL, NULL),
	F(STORE_REQUEST, "status", "审核状态", "Status", "request", FORM_CHOICE,
	  REQ | SYS, request_status_choices, 0, NULL, NULL),
	F(STORE_REQUEST, "asked_by", "申请人", "Asked by", "request", FORM_TEXT,
	  REQ | SYS, NULL, 32, NULL, NULL),
	/* the times are the program's, as registered's */
	F(STORE_REQUEST, "asked_at", "申请时间", "Asked at", "request",
	  FORM_DATETIME, REQ | SYS | FUT, NULL, 0, NULL, NULL),
	F(STORE_REQUEST, "decided_by", "审核人", "Decided by", "request",
	  FORM_TEXT, SYS, NULL, 32, NULL, NULL),
	F(STORE_REQUEST, "decided_at", "审核时间", "Decided at", "request",
	  FORM_DATETIME, SYS | FUT, NULL, 0, NULL, NULL),
	F(STORE_REQUEST, "comment", "审核意见", "Comment", "request", FORM_NOTE, 0,
	  NULL, 300, NULL, NULL),
	/* a child's file sent to another township of the county (transfer.c) */
	F(STORE_TRANSFER, "case_no", "档案编号", "Case number", "transfer",
	  FORM_REF, REQ, NULL, 17, NULL, NULL),
	F(STORE_TRANSFER, "from", "转出乡镇(街道)", "From township", "transfer",
	  FORM_TEXT, REQ, NULL, 9, "9位乡镇代码", "9-digit township code"),
	F(STORE_TRANSFER, "to", "转入乡镇(街道)", "To township", "transfer",
	  FORM_TEXT, REQ, NULL, 9, "同县另一乡镇(街道)的9位代码",
	  "9-digit code of another township of the county"),
	F(STORE_TRANSFER, "to_name", "转入乡镇(街道)名称", "Receiving township's name",
	  "transfer", FORM_TEXT, 0, NULL, 40, NULL, NULL),
	F(STORE_TRANSFER, "date", "转移日期", "Date of transfer", "transfer",
	  FORM_DATE, REQ, NULL, 0, NULL, NULL),
	F(STORE_TRANSFER, "reason", "转移原因", "Reason for the transfer",
	  "transfer", FORM_TEXT, 0, NULL, 100, NULL, NULL),
	/* The child, visits, reports and steps as bundle lines in one JSON
	 * object (exchange/transfer.c): what the receiving township keeps.
	 * At most what fits, escaped, in a bundle's line (4 MiB, reader.c),
	 * every character three bytes: some thousands of visits. */
	F(STORE_TRANSFER, "file", "转移时的档案", "The file as sent", "transfer",
	  FORM_NOTE, SYS | HID, NULL, 800000, NULL, NULL),
};

static const struct form_section sections[] = {
	{ "basic", "基本信息", "Basic" },
	{ "parents", "父母情况", "Parents" },
	{ "guardian", "监护情况", "Guardian" },
	{ "school", "就学与健康", "School and health" },
	{ "assistance", "救助帮扶", "Assistance" },
	{ "member", "包保责任", "Responsible member" },
	{ "visit", "走访记录", "Visit" },
	{ "findings", "走访发现", "Findings" },
	{ "report", "强制报告", "Report" },
	{ "police", "报告公安及处置", "Police and handling" },
	{ "step", "处置环节", "Step" },
	{ "office", "单位", "Office" },
	{ "user", "用户", "User" },
	{ "village", "村(居)", "Village" },
	{ "table", "统计表", "Statistics" },
	{ "aid", "救助记录", "Assistance entry" },
	{ "request", "审核", "Approval" },
	{ "transfer", "档案转移", "Transfer" },
};

/* Finding a field by key: validation looks up every field of every
 * record, so the keys go into an open-addressing hash table, built once,
 * together with where each kind's fields begin and end in the table. */
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
enum { FIELD_SLOTS = 1024 }; /* a power of two, well over 2 * NFIELDS */
_Static_assert(2 * NFIELDS < FIELD_SLOTS, "grow FIELD_SLOTS");
_Static_assert(NFIELDS <= FORM_KIND_FIELDS_MAX, "grow FORM_KIND_FIELDS_MAX");
static unsigned short field_slot[FIELD_SLOTS]; /* index + 1; 0 is empty */
static struct {
	size_t first, count;
} kind_span[STORE_KIND_MAX + 1];
static pthread_once_t lookup_once = PTHREAD_ONCE_INIT;

static size_t key_hash(enum store_kind kind, const char *key)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & (FIELD_SLOTS - 1);
}

static void build_lookup(void)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		size_t h = key_hash(fields[i].kind, fields[i].key);
		while (field_slot[h] != 0)
			h = (h + 1) & (FIELD_SLOTS - 1);
		field_slot[h] = (unsigned short)(i + 1);
		/* a kind's fields stand together in the table */
		if (kind_span[fields[i].kind].count++ == 0)
			kind_span[fields[i].kind].first = i;
	}
}

const struct form_field *form_fields(enum store_kind kind, size_t *n)
{
	pthread_once(&lookup_once, build_lookup);
	if ((unsigned)kind > STORE_KIND_MAX || kind_span[kind].count == 0) {
		*n = 0;
		return NULL;
	}
	*n = kind_span[kind].count;
	return &fields[kind_span[kind].first];
}

const struct form_field *form_field_find(enum store_kind kind, const char *key)
{
	pthread_once(&lookup_once, build_lookup);
	for (size_t h = key_hash(kind, key); field_slot[h] != 0;
	     h = (h + 1) & (FIELD_SLOTS - 1)) {
		const struct form_field *f = &fields[field_slot[h] - 1];
		if (f->kind == kind && strcmp(f->key, key) == 0)
			return f;
	}
	return NULL;
}

/* The printed roster's columns: what a police station or the county
 * reads off one line; the rest stays in the spreadsheet roster. */
static const char *const brief_roster_keys[] = {
	FK_case_no, FK_name, FK_sex, FK_birth_date, FK_id_number, FK_village,
	FK_group, FK_left_behind_type, FK_guardian_relation, FK_guardian_name,
	FK_guardian_phone, FK_enrolment, FK_member_name,
};

static const struct form_field *roster_full[FORM_KIND_FIELDS_MAX];
static const struct form_field *roster_brief[sizeof(brief_roster_keys) /
					     sizeof(brief_roster_keys[0])];
static size_t roster_full_n;
static pthread_once_t roster_once = PTHREAD_ONCE_INIT;

static void build_roster(void)
{
	size_t n;
	const struct form_field *f = form_fields(STORE_CHILD, &n);
	roster_full[roster_full_n++] = form_field_find(STORE_CHILD, FK_case_no);
	for (size_t i = 0; i < n; i++)
		if (!(f[i].flags & (FORM_SYSTEM | FORM_HIDDEN)))
			roster_full[roster_full_n++] = &f[i];
	roster_full[roster_full_n++] = form_field_find(STORE_CHILD, FK_status);
	for (size_t i = 0; i < sizeof(brief_roster_keys) / sizeof(brief_roster_keys[0]); i++)
		roster_brief[i] = form_field_find(STORE_CHILD, brief_roster_keys[i]);
}

const struct form_field *const *form_roster_fields(int brief, size_t *n)
{
	pthread_once(&roster_once, build_roster);
	if (brief) {
		*n = sizeof(roster_brief) / sizeof(roster_brief[0]);
		return roster_brief;
	}
	*n = roster_full_n;
	return roster_full;
}

size_t form_field_positions(const struct store_record *rec, size_t *pos,
			    size_t n)
{
	size_t count, unknown = rec->nfields;
	const struct form_field *kind_fields = form_fields(rec->kind, &count);
	memset(pos, 0, n * sizeof(*pos));
	for (size_t i = 0; i < rec->nfields; i++) {
		const struct form_field *f =
			kind_fields ? form_field_find(rec->kind, rec->fields[i].key) : NULL;
		if (f != NULL && (size_t)(f - kind_fields) < n)
			pos[f - kind_fields] = i + 1;
		else if (unknown == rec->nfields)
			unknown = i;
	}
	return unknown;
}

void form_values_in_order(const struct store_record *rec, const char **out,
			  size_t n)
{
	size_t pos[FORM_KIND_FIELDS_MAX];
	if (n > FORM_KIND_FIELDS_MAX)
		n = FORM_KIND_FIELDS_MAX;
	form_field_positions(rec, pos, n);
	for (size_t i = 0; i < n; i++)
		out[i] = pos[i] ? rec->fields[pos[i] - 1].value : NULL;
}

const struct form_section *form_sections(enum store_kind kind, size_t *n)
{
	static const struct { enum store_kind kind; size_t first, count; } spans[] = {
		{ STORE_CHILD, 0, 6 },  { STORE_VISIT, 6, 2 }, { STORE_REPORT, 8, 2 },
		{ STORE_STEP, 10, 1 },  { STORE_OFFICE, 11, 1 }, { STORE_USER, 12, 1 },
		{ STORE_VILLAGE, 13, 1 }, { STORE_AID, 15, 1 }, { STORE_REQUEST, 16, 1 },
		{ STORE_TRANSFER, 17, 1 },
	};
	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		if (spans[i].kind == kind) {
			*n = spans[i].count;
			return &sections[spans[i].first];
		}
	}
	*n = 0;
	return NULL;
}

int form_lang_is_zh(void)
{
	/* Follow gettext's choice: LANGUAGE, then LC_ALL/LC_MESSAGES/LANG. */
	const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v == NULL || *v == '\0')
			continue;
		if (i == 0 && strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0)
			continue; /* LANGUAGE is ignored in the C locale */
		return strncmp(v, "zh", 2) == 0;
	}
	return 0;
}

const char *form_label(const struct form_field *f)
{
	return form_lang_is_zh() ? f->zh : f->en;
}

const char *form_section_label(const struct form_section *s)
{
	return form_lang_is_zh() ? s->zh : s->en;
}

const char *form_help(const struct form_field *f)
{
	return form_lang_is_zh() ? f->help_zh : f->help_en;
}

const char *form_choice_label(const struct form_field *f, const char *code)
{
	if (f->choices == NULL || code == NULL)
		return code;
	for (const struct form_choice *c = f->choices; c->code; c++)
		if (strcmp(c->code, code) == 0)
			return form_lang_is_zh() ? c->zh : c->en;
	return code;
}

const char *form_value_text(const struct form_field *f, const char *v)
{
	return v != NULL && f != NULL && f->type == FORM_CHOICE ? form_choice_label(f, v) : v;
}

const char *form_field_text(const struct store_record *rec, const char *key)
{
	return form_value_text(form_field_find(rec->kind, key), store_record_get(rec, key));
}

const char *form_action_label(const char *action)
{
	static const struct form_choice actions[] = {
		{ "create", "新建", "created" },
		{ "update", "修改", "edited" },
		{ "exit", "退出台账", "left the ledger" },
		{ "readmit", "恢复在册", "re-admitted" },
		{ "transfer", "转出", "transferred to another township" },
		{ "transfer_in", "转入", "transferred in" },
		{ "visit", "走访", "visited" },
		{ "step", "处置环节", "report step" },
		{ "import", "导入", "imported" },
		{ "sheet", "表格导入", "imported from a spreadsheet" },
		{ "stats", "统计表归档", "statistics filed" },
		{ "settle_ours", "冲突处理：保留本单位", "conflict settled: ours kept" },
		{ "settle_theirs", "冲突处理：采用对方", "conflict settled: theirs taken" },
		{ "slip", "联系卡", "slip printed" },
		{ "key_bind", "绑定密钥", "key bound" },
		{ "key_replace", "更换密钥", "key replaced" },
		{ "key_revoke", "吊销密钥", "key revoked" },
		{ "password", "设置密码", "password set" },
		{ "disable", "停用账户", "account disabled" },
		{ "enable", "启用账户", "account enabled" },
		{ "role", "变更角色", "role changed" },
		{ "setting", "单位设置", "office setting" },
		{ "correct", "更正", "corrected" },
		{ "ask", "提交审核", "asked for approval" },
		{ "approve", "审核同意", "approved" },
		{ "send_back", "审核退回", "sent back" },
		{ "withdraw", "撤回申请", "request withdrawn" },
		{ "due", "补填下次走访日期", "next visit due filled in" },
		END,
	};
	for (const struct form_choice *c = actions; action && c->code; c++)
		if (strcmp(c->code, action) == 0)
			return form_lang_is_zh() ? c->zh : c->en;
	return action;
}
