/* options.c - a command's options, read from its table with getopt_long,
 * and the numbers options take.
 *
 * The words of the command line are read in order. A word that names an
 * option of the table in full ("--name", "--name=VALUE", "-l") is given to
 * getopt_long, which takes its value from the same word or the next;
 * every other word is one of the command's words (positional arguments)
 * or a mistake. So, as the command line always read:
 *  - names are never abbreviated (--al is not --all);
 *  - "--" and "-" are words like any other, not the end of the options;
 *  - the value of an option may begin with '-' (--limit -1);
 *  - an option whose value is missing is a word, as an unknown one is. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"

/* Room for the getopt_long table of the command with the most options
 * (and bits of an unsigned for the ones given). */
#define OPTIONS_MAX 16

/* The entry of opts that word names in full, or NULL. */
static const struct cli_option *option_named(const struct cli_option *opts,
					     const char *word)
{
	if (word[0] != '-' || word[1] == '\0')
		return NULL;
	for (const struct cli_option *o = opts; o->name != NULL; o++) {
		if (word[1] != '-') {
			if (o->letter != 0 && word[1] == o->letter && word[2] == '\0')
				return o;
			continue;
		}
		size_t n = strlen(o->name);
		if (strncmp(word + 2, o->name, n) == 0 &&
		    (word[2 + n] == '\0' || word[2 + n] == '='))
			return o;
	}
	return NULL;
}

/* getopt_long's tables for opts: each long option returns 256 + its
 * index; one-letter forms are in shortopts. */
static void getopt_tables(const struct cli_option *opts,
			  struct option longopts[OPTIONS_MAX + 1],
			  char shortopts[2 * OPTIONS_MAX + 3])
{
	size_t k = 0, s = 0;
	shortopts[s++] = '+'; /* no reordering: one option at a time */
	shortopts[s++] = ':'; /* a missing value returns ':', silently */
	for (; opts[k].name != NULL; k++) {
		if (k == OPTIONS_MAX)
			abort(); /* a table longer than the room for it */
		longopts[k] = (struct option){ opts[k].name, opts[k].has_arg, NULL,
					       256 + (int)k };
		if (opts[k].letter != 0) {
			shortopts[s++] = (char)opts[k].letter;
			if (opts[k].has_arg == required_argument)
				shortopts[s++] = ':';
		}
	}
	longopts[k] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[s] = '\0';
}

/* Reads the option at argv[1] (and its value) with getopt_long, afresh:
 * the entry it is, with *value its value (NULL for none), and how many
 * words it took; 0 when its value is missing or not allowed. */
static int read_option(int argc, char **argv, const struct cli_option *opts,
		       const struct cli_option **which, const char **value)
{
	struct option longopts[OPTIONS_MAX + 1];
	char shortopts[2 * OPTIONS_MAX + 3];
	getopt_tables(opts, longopts, shortopts);
	optind = 0; /* glibc: a full reinitialisation */
	opterr = 0;
	int ch = getopt_long(argc, argv, shortopts, longopts, NULL);
	*value = optarg;
	if (ch >= 256) {
		*which = &opts[ch - 256];
		return optind - 1;
	}
	for (const struct cli_option *o = opts; ch > 0 && o->name != NULL; o++)
		if (o->letter == ch) {
			*which = o;
			return optind - 1;
		}
	return 0;
}

/* Tells a word that is no option and no word of the command. */
static int mistake(const struct cli_syntax *syn, const char *word)
{
	if (syn->usage != NULL)
		cli_usage("%s", syn->usage);
	else
		cli_usage(_("unknown option %s"), word);
	return -1;
}

/* Does what option o says with its value; -1 when it refused the value
 * (and said why). */
static int apply(const struct cli_option *o, const char *value)
{
	if (o->flag != NULL)
		*o->flag = 1;
	if (o->value != NULL)
		*o->value = value;
	if (o->take != NULL)
		return o->take(o->arg, value) == 0 ? 0 : -1;
	return 0;
}

int cli_parse(int argc, char **argv, const struct cli_syntax *syn)
{
	static const struct cli_option none[] = { { 0 } };
	const struct cli_option *opts = syn->options ? syn->options : none;
	unsigned given = 0; /* bit k: opts[k] was given */
	int nwords = 0, i = 1;
	while (i < argc) {
		const struct cli_option *o = option_named(opts, argv[i]);
		const char *value = NULL;
		int used = o ? read_option(argc - i + 1, argv + i - 1, opts, &o, &value) : 0;
		if (used > 0) {
			given |= 1u << (o - opts);
			if (apply(o, value) != 0)
				return -1;
			i += used;
			continue;
		}
		if (argv[i][0] == '-' && !(syn->flags & CLI_DASH_WORDS))
			return mistake(syn, argv[i]);
		if (syn->flags & CLI_STOP_AT_WORD)
			break;
		if (syn->max_words >= 0 && nwords == syn->max_words)
			return mistake(syn, argv[i]);
		argv[++nwords] = argv[i++];
	}
	while (i < argc) /* after CLI_STOP_AT_WORD: the rest as it is */
		argv[++nwords] = argv[i++];
	for (size_t k = 0; opts[k].name != NULL; k++)
		if (opts[k].required && !(given & (1u << k)))
			return mistake(syn, opts[k].name);
	if (nwords < syn->min_words)
		return mistake(syn, argv[0]);
	return nwords;
}

int cli_number(const char *s, long *out)
{
	char *end;
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0)
		return -1;
	*out = v;
	return 0;
}

int cli_take_limit(void *limit, const char *value)
{
	if (cli_number(value, limit) != 0) {
		cli_usage(_("--limit takes a whole number (0 for all)"));
		return -1;
	}
	return 0;
}
