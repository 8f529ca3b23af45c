#!/usr/bin/env python3
# po-fill.py PO TRANSLATIONS.json - fills the empty msgstr of each msgid
# named in the JSON object (msgid -> translation); leaves the rest.
import sys, json
po, tr = sys.argv[1], json.load(open(sys.argv[2]))
entries = open(po).read().split('\n\n')
def q(s): return json.dumps(s, ensure_ascii=False)
def take(lines, k, prefix):
    parts = [lines[k][len(prefix):]]
    k += 1
    while k < len(lines) and lines[k].startswith('"'):
        parts.append(lines[k]); k += 1
    return ''.join(json.loads(p) for p in parts), k
out = []
for e in entries:
    lines = e.split('\n')
    idx = [k for k, l in enumerate(lines) if l.startswith('msgid ')]
    # one plural form in zh_CN: msgstr[0] is filled like msgstr
    sdx = [(k, p) for k, l in enumerate(lines) for p in ('msgstr ', 'msgstr[0] ')
           if l.startswith(p)]
    if idx and sdx:
        mid, _ = take(lines, idx[0], 'msgid ')
        mstr, end = take(lines, sdx[0][0], sdx[0][1])
        if mid and not mstr and mid in tr:
            lines = lines[:sdx[0][0]] + [sdx[0][1] + q(tr[mid])] + lines[end:]
            e = '\n'.join(lines)
    out.append(e)
open(po, 'w').write('\n\n'.join(out))
