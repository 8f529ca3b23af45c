/* fuzz_payload.c - what a scanner types into `xiangban lookup` or the
 * TUI: slip_payload_parse. A code it accepts must come out of
 * slip_payload_make unchanged in meaning, and parse again the same. */
#include <string.h>

#include "fuzz.h"
#include "../print/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	if (text == NULL)
		return 0;
	char case_no[18], again[18], code[64];
	unsigned version = 0, version2 = 0;
	struct xb_error err;
	xb_error_clear(&err);
	int text_in = fuzz_utf8(text);
	int ret = slip_payload_parse(text, case_no, &version, &err);
	free(text);
	if (ret != XB_OK) {
		FUZZ_REFUSAL(ret, err, "slip_payload_parse", text_in);
		return 0;
	}
	if (strlen(case_no) != 17)
		FUZZ_BUG("accepted case number \"%s\" is not 17 characters", case_no);
	ret = slip_payload_make(case_no, version, code, sizeof(code), &err);
	if (ret != XB_OK)
		FUZZ_BUG("slip_payload_make refused what was parsed (%s:%u): %s",
			 case_no, version, err.msg);
	ret = slip_payload_parse(code, again, &version2, &err);
	if (ret != XB_OK || strcmp(case_no, again) != 0 || version != version2)
		FUZZ_BUG("\"%s\" does not parse back to %s:%u: %s", code,
			 case_no, version, ret ? err.msg : again);
	return 0;
}
