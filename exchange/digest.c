/* digest.c - SHA-256 through libgcrypt, of a bundle's file and of its
 * plaintext: export and import both name a bundle by them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gcrypt.h>

#include "private.h"
#include "../common/i18n.h"

void bundle_crypto_init(void)
{
	/* store/crypt.c does the same; whichever runs first finishes it. */
	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		gcry_check_version(NULL);
		gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	}
}

void bundle_hex_digest(const unsigned char d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int bundle_file_digest(int fd, char out[65], uint64_t *size,
		       struct xb_error *err)
{
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0) != 0)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	char buf[65536];
	ssize_t n;
	*size = 0;
	if (lseek(fd, 0, SEEK_SET) < 0) {
		gcry_md_close(md);
		return xb_fail(err, XB_EFAIL, _("Cannot read the bundle: %s."),
			       strerror(errno));
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		gcry_md_write(md, buf, (size_t)n);
		*size += (uint64_t)n;
	}
	int e = errno;
	if (n == 0)
		bundle_hex_digest(gcry_md_read(md, GCRY_MD_SHA256), out);
	gcry_md_close(md);
	if (n < 0)
		return xb_fail(err, XB_EFAIL, _("Cannot read the bundle: %s."),
			       strerror(e));
	return XB_OK;
}
