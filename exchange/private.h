/* private.h - what the files of exchange/ share (exchange.h lists them);
 * the rest of the program includes exchange.h only, but for the fuzzers
 * and the tests of import. */
#ifndef XB_EXCHANGE_PRIVATE_H
#define XB_EXCHANGE_PRIVATE_H

#include <jansson.h>

#include "exchange.h"

/* Export and import tell their progress every this many records. */
enum { BUNDLE_PROGRESS_EVERY = 5000 };

/* What a bundle carries, in this order: users stay in their office. */
#define BUNDLE_NKINDS 9
extern const enum store_kind bundle_kinds[BUNDLE_NKINDS];
/* The kind named so in a bundle, 0 when it carries none such. */
enum store_kind bundle_kind_of(const char *name);
/* Fills err with "Out of memory." and returns NULL. */
const char *bundle_oom(struct xb_error *err);

/* JSON: a text member or NULL, an integer member or 0, a book entry
 * parsed (NULL when it is not JSON), an object as one compact line. */
const char *bundle_json_str(json_t *o, const char *key);
int64_t bundle_json_int(json_t *o, const char *key);
json_t *bundle_json_parse(const char *text);
char *bundle_json_dump(json_t *o);

/* SHA-256 (digest.c): libgcrypt set up once, whoever comes first; the
 * 32 bytes of a digest in lower-case hex; a whole file's digest and size,
 * read from its start. */
void bundle_crypto_init(void);
void bundle_hex_digest(const unsigned char d[32], char out[65]);
int bundle_file_digest(int fd, char out[65], uint64_t *size,
		       struct xb_error *err);

json_t *bundle_counts_json(const struct bundle_counts *c);
/* A record as one line: its place and metadata, then its fields in the
 * order of the schema. */
json_t *bundle_record_json(const struct store_record *rec);
/* The record a line describes, before validation. */
int bundle_record_from_json(json_t *o, struct store_record **out,
			    struct xb_error *err);

/* A bundle's plaintext, decrypted, cut into lines and parsed in a thread
 * of its own (reader.c) while the importer writes the lines before.
 * A line stays valid until the importer asks for the next one. */
struct bundle_line {
	uint64_t lineno;
	json_t *json;              /* NULL: problem says why */
	struct store_record *rec;  /* after the manifest: the record, unchecked */
	struct xb_error *problem;  /* not JSON, or not a record */
	int whole;                 /* problem already says where */
	struct xb_error *invalid;  /* how the record fails the schema */
};
struct bundle_reader;
/* Starts decrypting in_fd (reading it as plaintext when k is NULL);
 * lines are checked against the schema as of today ("YYYY-MM-DD"). */
int bundle_reader_start(struct keys *k, int in_fd, const char *today,
			struct bundle_reader **out, struct xb_error *err);
/* The next line in *line: 1, or 0 after the last. */
int bundle_reader_next(struct bundle_reader *r, struct bundle_line **line);
/* The lines still to come are read for the signature, not parsed (a
 * bundle imported before). */
void bundle_reader_skip(struct bundle_reader *r);
/* Parses no more lines; reads the rest (for the signature) unless cancel,
 * then gives decryption's verdict as keys_decrypt_verify does, the
 * SHA-256 of the whole plaintext in hex (digest[65], "" when cancelled),
 * and frees *r. read_all: the importer took every line (else a failure of
 * the reading thread after its stop is not told). */
int bundle_reader_finish(struct bundle_reader **r, int cancel, int read_all,
			 struct keys_sig *sig, char digest[65],
			 struct xb_error *err);

/* Whether a bundle from office `from` to office `to` may carry a record
 * of kind owned by office `owner` (ledger_record_placed): the sender's
 * own, and, from a county to one of its townships, that township's; to
 * a city (4 digits), from one of its counties, statistics tables only:
 * the county's and its townships', never a child, visit or report. */
int bundle_may_carry(const char *from, const char *to, const char *owner,
		     enum store_kind kind);
/* The same for the record rec itself: a transfer (its file a child's of
 * the township that made it) goes from that township to its county, and
 * from the county to the township it names, to no other (the one
 * exception to a county sending a township only its own records). */
int bundle_may_carry_record(const char *from, const char *to, const char *owner,
			    const struct store_record *rec);

/* A transfer addressed to this township landed for the first time in the
 * import's txn: its child made a file here (transfer.c). case_no
 * (LEDGER_CASE_MAX bytes) gets the case. */
int bundle_transfer_arrive(struct store *st, struct store_txn *txn,
			   const struct store_record *transfer, const char *user,
			   char *case_no, struct xb_error *err);

/* Imports the plaintext of a bundle from fd as if its signature were good
 * and made by the key bound to the office its manifest names: everything
 * else as bundle_import; with dry_run, every check and merge is made and
 * then undone (XB_OK when it would have landed). For the fuzzer and the
 * tests only; nothing that reads a file a user gives may call it. */
int bundle_import_plain(struct store *st, int fd, int allow_gap, int dry_run,
			const char *user, struct bundle_import_result *res,
			struct xb_error *err);

/* The sequence and creation time of the last bundle each way (book SENT
 * or RECEIVED) with an office, and its log entry when entry is not NULL;
 * zeros when there was none. */
int bundle_peer_last(struct store *st, struct store_txn *txn,
		     enum store_book book, const char *code, uint64_t *seq,
		     int64_t *at, json_t **entry, struct xb_error *err);
/* The peer a bundle goes to or comes from, which must be bound and not
 * revoked. */
int bundle_bound_peer(struct store *st, const char *code, struct keys_peer *p,
		      struct xb_error *err);

#endif
