#!/bin/sh
# po-update.sh - extracts the messages again (po/xiangban.pot, which the
# build also merges with) and merges them into
# po/zh_CN.po; lists what still needs translating (tools/po-fill.py fills
# entries from a JSON table). Run from the source tree.
set -eu
xgettext --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --from-code=UTF-8 \
	--add-comments=TRANSLATORS: -o po/xiangban.pot -f po/POTFILES.in \
	--package-name=xiangban
msgmerge -q --no-fuzzy-matching --update --backup=none po/zh_CN.po po/xiangban.pot
msgattrib --no-obsolete -o po/zh_CN.po po/zh_CN.po
msgattrib --untranslated po/zh_CN.po | grep -A1 '^msgid' || true
msgfmt -c --statistics -o /dev/null po/zh_CN.po
