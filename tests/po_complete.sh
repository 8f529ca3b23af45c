#!/bin/sh
# po_complete.sh - the Chinese catalogue is whole: every message the
# sources mark for translation (extracted afresh, as tools/po-update.sh
# does) has a translation in po/zh_CN.po that is neither empty nor fuzzy,
# and msgfmt's checks of the format strings pass.
. "${XB_SRCDIR:-.}/tests/lib.sh"

SRC=${XB_SRCDIR:-.}
command -v xgettext >/dev/null 2>&1 || die "xgettext is not installed (apt-get install gettext)"
(cd "$SRC" && xgettext --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --from-code=UTF-8 \
	-o "$TMP/xiangban.pot" -f po/POTFILES.in --package-name=xiangban) 2>"$TMP/err" ||
	die "xgettext: $(cat "$TMP/err")"
expect_code 0 "every message of the sources is translated (msgcmp)" \
	msgcmp "$SRC/po/zh_CN.po" "$TMP/xiangban.pot"
check "no fuzzy translation" sh -c "[ -z \"\$(msgattrib --only-fuzzy --no-obsolete '$SRC/po/zh_CN.po' | grep '^msgid')\" ]"
check "no empty translation" sh -c "[ -z \"\$(msgattrib --untranslated --no-obsolete '$SRC/po/zh_CN.po' | grep '^msgid')\" ]"
expect_code 0 "msgfmt -c accepts the catalogue" msgfmt -c -o /dev/null "$SRC/po/zh_CN.po"
finish
