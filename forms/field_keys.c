/* field_keys.c - the strings behind forms/field_keys.h. */
#include "field_keys.h"

#define FORM_FIELD_KEY_DEFINE(k) const char FK_##k[] = #k;
FORM_FIELD_KEYS(FORM_FIELD_KEY_DEFINE)
#undef FORM_FIELD_KEY_DEFINE

#define FORM_FIELD_KEY_LIST(k) FK_##k,
const char *const form_field_keys[] = { FORM_FIELD_KEYS(FORM_FIELD_KEY_LIST) };
#undef FORM_FIELD_KEY_LIST
const size_t form_field_keys_n = sizeof(form_field_keys) / sizeof(form_field_keys[0]);
