/* cli.h - the command line: global options, input of fields, output in
 * text or JSON, and the subcommands over forms/ledger.h.
 *
 * Files:
 *   main.c          the global options, the command table, the run of one
 *   context.c       struct cli: who acts, today, the ledger opened and
 *                   closed, a record named on the command line read
 *   exit_status.c   exit statuses of status codes; usage errors
 *   options.c       a command's options read from its table (getopt_long);
 *                   numbers
 *   input.c         fields from field=value arguments or JSON on stdin
 *   output.c        records as text or JSON
 *   safe_text.c     text from outside made safe to show, in columns
 *   passphrase.c    passphrases from the terminal or --passphrase-fd
 *   confirm.c       a y/N question before what cannot be taken back
 *   office_key.c    the office's key opened for a command
 *   cmd_office.c    init, user, demo, check, summary
 *   cmd_child.c     child ...
 *   cmd_sheet_import.c  child import: children from a spreadsheet
 *   cmd_visit.c     visit ...
 *   cmd_report.c    report ...
 *   cmd_aid.c       aid ...: a child's assistance as dated entries
 *   edit.c          the edit of a saved visit, report, step or aid entry
 *   cmd_query.c     search, history
 *   cmd_slip.c      slip, lookup
 *   cmd_print.c     print overdue|reports|slips: the lists a clerk
 *                   prints; a file sent to the printer
 *   cmd_keys.c      keys ...
 *   cmd_bundle.c    export, import, bundles: the bundles exchanged
 *   cmd_offices.c   offices, and the bound offices keys peers lists
 *   cmd_conflicts.c conflicts ...
 *   cmd_village.c   village add|list, and init's file of villages
 *   cmd_stats.c     stats: the period statistics
 *   cmd_settings.c  settings: the office's own choices
 *   cmd_approvals.c approvals, approve, send-back, withdraw: requests
 *                   for a leader's approval (审核) */
#ifndef XB_CLI_H
#define XB_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "../common/status.h"
#include "../forms/ledger.h"

/* Exit codes: scripts tell bad input from failure. */
enum cli_exit {
	XB_EXIT_OK = 0,
	XB_EXIT_FAIL = 1, /* the system failed: disk, database */
	XB_EXIT_USAGE = 2,    /* the command line is wrong */
	XB_EXIT_INVALID = 3,  /* a value was refused */
	XB_EXIT_NOTFOUND = 4, /* no such record */
	XB_EXIT_CONFLICT = 5, /* changed by someone else / already there */
	XB_EXIT_DENIED = 6,   /* who acts may not do it, or cannot sign in */
};

/* Longest passphrase read, with its NUL. */
#define CLI_PASS_MAX 256

struct cli {
	const char *home;
	char homebuf[4096];
	const char *user;
	int json;
	int pass_fd;           /* --passphrase-fd N, else -1 */
	int password_fd;       /* --password-fd N, else -1 */
	int no_sign_in;        /* the command signs in itself, or needs not */
	int signed_in;         /* who is filled */
	struct ledger_who who;
	char seen_case[40];    /* cli_sees: the child looked up last */
	int seen_ok;
	char keypass[CLI_PASS_MAX]; /* the office key's, for this command */
	int keypass_set;
	int keypass_missing;   /* asked for and none could be had */
	char today[11];
	struct store *st;
	struct xb_error err;
};

/* The context (context.c). cli_begin: nothing open, who acts from
 * $XIANGBAN_USER or the login, today's date. cli_user_refused: the user
 * name is empty or holds a character a terminal would act on or hide
 * (it goes into every record and the history); says why. cli_end: closes
 * the ledger and wipes what the command kept. */
void cli_begin(struct cli *c);
int cli_user_refused(const struct cli *c);
void cli_end(struct cli *c);

/* Opens the ledger named by --home (or the default) on first use; an
 * encrypted one with its passphrase (cli_passphrase). Then signs the user
 * in (cli_sign_in) unless no_sign_in is set. */
int cli_store(struct cli *c);
/* Starts an encrypted ledger there, its passphrase asked twice (or read
 * from --passphrase-fd); refused when one is there already. */
int cli_store_create_encrypted(struct cli *c);
/* Signs c->user in on the open ledger with their password (cli_password),
 * filling c->who; nothing to do on a ledger with no office yet. */
int cli_sign_in(struct cli *c);
/* Whether the signed-in user may see rec (a child, or a record of a
 * child's file): a village user only their villages' children. Lists
 * pass over what it refuses. */
int cli_sees(struct cli *c, const struct store_record *rec);
/* The record of kind an id typed on the command line names: the id
 * checked first (cli_case_arg, which may mend it in place), then the
 * ledger opened and the record read. */
int cli_get_typed(struct cli *c, enum store_kind kind, char *id,
		  struct store_record **rec);

/* Exit statuses (exit_status.c). Prints err (or msg) to stderr in the user's language and returns the
 * exit code for the status. */
int cli_fail(struct cli *c, int status);
/* A usage error: prints the message and the command's synopsis. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads fields into rec from field=value arguments, or from a JSON object
 * on stdin when the only argument is "-" or there are none and stdin is
 * not a terminal. Keys may be the field key or its Chinese or English
 * label. Fields only the program sets are refused. */
int cli_read_fields(struct cli *c, struct store_record *rec, int argc,
		    char **argv);

/* Checks a typed case number (form and check character) so a typo is
 * told as a typo, not as "not found"; a check character typed as x is
 * made X in place, as the ledger stores it. */
int cli_case_arg(struct cli *c, char *case_no);

/* Output. */
json_t *cli_record_json(const struct store_record *rec, const char *today);
void cli_print_record(struct cli *c, const struct store_record *rec);
/* A one-line summary of a child, visit or report, for lists. */
void cli_print_line(struct cli *c, const struct store_record *rec);
/* The fields of a kind: key, label, type, choices, rule. */
void cli_print_fields(struct cli *c, enum store_kind kind);
/* Prints JSON to stdout and frees it. */
void cli_print_json(json_t *j);

/* Subcommands: argv[0] is the subcommand's name. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_summary(struct cli *c, int argc, char **argv);
int cmd_child(struct cli *c, int argc, char **argv);
/* child import FILE ... (cmd_sheet_import.c); argv[0] is "import". */
int cli_child_import(struct cli *c, int argc, char **argv);
int cmd_visit(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_search(struct cli *c, int argc, char **argv);
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_slip(struct cli *c, int argc, char **argv);
int cmd_lookup(struct cli *c, int argc, char **argv);
int cmd_print(struct cli *c, int argc, char **argv);
/* Sends a written file to the printer and says so; with no printer here
 * (no lp), says where the file is. The status (c->err filled). */
int cli_print_or_tell(struct cli *c, const char *path);
int cmd_keys(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_offices(struct cli *c, int argc, char **argv);
int cmd_bundles(struct cli *c, int argc, char **argv);
int cmd_conflicts(struct cli *c, int argc, char **argv);
int cmd_village(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);
int cmd_settings(struct cli *c, int argc, char **argv);
int cmd_aid(struct cli *c, int argc, char **argv);

/* A saved record changed (edit.c): argv[1] its id, then field=value
 * words and --expect-version N anywhere among them; the record read, the
 * fields put on it, save called (a ledger operation: ledger_visit_correct
 * ...), the result told. Returns the exit status. */
typedef int (*cli_edit_fn)(struct store *st, struct store_record *rec,
			   const char *user, struct xb_error *err);
int cli_edit_record(struct cli *c, enum store_kind kind, int argc, char **argv,
		    const char *usage, cli_edit_fn save);
int cmd_approvals(struct cli *c, int argc, char **argv);
int cmd_approve(struct cli *c, int argc, char **argv);
int cmd_send_back(struct cli *c, int argc, char **argv);
int cmd_withdraw(struct cli *c, int argc, char **argv);

/* After an operation that may wait for a leader's approval: "Request ID
 * waits for a leader's approval." (JSON: the request and its status)
 * when request is not empty; else nothing is printed and 0 returned. 1
 * when it printed. */
int cli_print_waiting(struct cli *c, const char *request);

/* A file of villages (cmd_village.c): one a line, the 12-digit code then
 * the name, separated by a comma, a tab or spaces; UTF-8 with or without
 * a byte order mark; blank lines and lines starting with # skipped.
 * cli_villages_read: XB_EXIT_OK with v filled (free with
 * cli_villages_free), else the exit status, a bad line told by its
 * number. cli_villages_add: all into the register in one transaction, or
 * none (a status, c->err naming the line). */
struct cli_villages {
	char **codes, **names;
	size_t *lines;
	size_t n;
};
int cli_villages_read(struct cli *c, const char *path, struct cli_villages *v);
int cli_villages_add(struct cli *c, const char *path, struct cli_villages *v);
void cli_villages_free(struct cli_villages *v);

/* Shared by the list commands: prints each record of an iterator, up to
 * limit (0: all). */
int cli_list_iter(struct cli *c, struct store_iter *it, size_t limit,
		  int (*keep)(const struct store_record *, void *), void *arg);

/* Options (options.c). A command declares its options in a table, the
 * last entry all zero; cli_parse reads them with getopt_long. An option
 * is only ever its full name: "--name", "--name VALUE", "--name=VALUE",
 * or its letter ("-h"). */
struct cli_option {
	const char *name;    /* without the "--" */
	int has_arg;         /* no_argument or required_argument (getopt.h) */
	int *flag;           /* no_argument: set to 1 when given */
	const char **value;  /* required_argument: the value, the last given */
	/* Or called each time the option is given, in order, with arg and
	 * the value (NULL for none): 0, or -1 when it is refused (told). */
	int (*take)(void *arg, const char *value);
	void *arg;
	int letter;          /* its one-letter form, or 0 */
	int required;        /* the command line is wrong without it */
};

/* A command's line: its options and its words, the arguments that are
 * not options (a case, a file, field=value ...), in the order given. */
struct cli_syntax {
	const struct cli_option *options; /* NULL: none */
	/* Told for a word that is no option, a missing value or option, too
	 * many or too few words; NULL: "unknown option WORD". */
	const char *usage;
	int min_words;
	int max_words;       /* -1: any number */
	unsigned flags;
};
/* A word may begin with '-' (a text, a case, a field): only the table's
 * options are options. Without it, such a word is a mistake. */
#define CLI_DASH_WORDS 1u
/* The options end at the first word, which and all after it are words
 * (the global options before the command). */
#define CLI_STOP_AT_WORD 2u

/* Reads argv[1..argc-1] by syn (argv[0] is the command's name): does what
 * each option says and moves the words to argv[1..], in order. Returns
 * the number of words, or -1 when the command line is wrong (told: the
 * command exits with XB_EXIT_USAGE). At most 16 options a table. */
int cli_parse(int argc, char **argv, const struct cli_syntax *syn);

/* A whole number >= 0 written in full: 0, or -1 when s is not one. */
int cli_number(const char *s, long *out);
/* A cli_option take for --limit N: a whole number into the long at
 * limit, 0 for all. */
int cli_take_limit(void *limit, const char *value);

/* The time t as text, "-" when it is 0 (never). */
void cli_format_date(int64_t t, char *buf, size_t len);


/* Text made safe to show (safe_text.c). Columns a UTF-8 string takes on
 * a terminal (CJK count two). */
int cli_text_width(const char *s);
/* Prints s, made safe to show (cli_safe), padded with spaces to width
 * terminal columns. */
void cli_print_padded(const char *s, int width);
/* s made safe to show on a terminal (common/printable.h): every value that
 * came from outside the program's own strings (a record's id, fields and
 * changed_by, a key's user ID, a bundle's log, a file name) goes through
 * it before printf. cli_safe_lines keeps LF and TAB (notes). The copy is
 * owned here and stays valid for the next 15 calls; cli_safe_release
 * frees them all. */
const char *cli_safe(const char *s);
const char *cli_safe_lines(const char *s);
void cli_safe_release(void);
/* cli_safe cut to cols terminal columns, "…" ending what was cut: a key's
 * user ID is shown so, too short for a wrapped part of it to pose as a
 * whole line of the program's (a fingerprint line takes 62 columns). */
const char *cli_safe_cut(const char *s, int cols);

/* Confirmation (confirm.c): XB_EXIT_OK when yes (--yes was given) or
 * the person at the terminal answers y to question; else the exit status
 * (told): XB_EXIT_USAGE when no one is at a terminal (saying to add
 * --yes), XB_EXIT_FAIL when they answer no. */
int cli_confirm(struct cli *c, int yes, const char *question);

/* Passphrases (passphrase.c). cli_can_ask: the user is at a terminal
 * (standard input is one). cli_passphrase reads one line from
 * --passphrase-fd when given, else asks on the terminal with prompt (and
 * again with `again` when not NULL: both must match); XB_EINVAL with a
 * message saying how to give it when neither can be had. */
int cli_can_ask(void);
int cli_passphrase(struct cli *c, const char *prompt, const char *again,
		   char *buf, size_t len);
/* A user's password, the same way from --password-fd or the terminal. */
int cli_password(struct cli *c, const char *prompt, const char *again,
		 char *buf, size_t len);
/* keys_passphrase_fn for the office key; arg is the struct cli. */
int cli_key_passphrase(void *arg, const char *hint, int prev_bad, char *buf,
		       size_t len);
/* Wipes the office key's passphrase kept for the command. */
void cli_passphrase_wipe(struct cli *c);

/* The office's key (office_key.c): opened from the ledger's GnuPG home,
 * the ledger opened first; it asks for its passphrase with
 * cli_key_passphrase. */
struct keys;
int cli_keys_open(struct cli *c, struct keys **k);
/* ret, or after a key operation failed for want of a passphrase, XB_EINVAL
 * with a message saying how to give one instead of GnuPG's "not given". */
int cli_key_pass_result(struct cli *c, int ret);

/* The offices bound by their keys, with their last bundles, as text or
 * JSON (cmd_offices.c): with_counts, how many of each township's children
 * are held here (`offices`); else the history of each binding (`keys
 * peers`). */
int cli_print_offices(struct cli *c, int with_counts);


#endif
