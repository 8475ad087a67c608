"""Fill a catalogue's untranslated messages from other catalogues (after a merge of branches
that each translated their own new messages): `make messages` first, then

    python scripts/po_merge.py assess/translations/zh/LC_MESSAGES/messages.po OTHER.po [...]

A message already translated keeps its translation; the untranslated left are listed.
"""

from __future__ import annotations

import sys

from babel.messages.pofile import read_po, write_po


def main(target: str, *others: str) -> None:
    with open(target, "rb") as f:
        catalog = read_po(f)
    known = {}
    for path in others:
        with open(path, "rb") as f:
            for message in read_po(f):
                if message.id and message.string and not message.fuzzy:
                    known.setdefault((message.context, message.id), message.string)
    for message in catalog:
        translated = all(message.string) if isinstance(message.string, tuple) else message.string
        if message.id and not translated and (message.context, message.id) in known:
            message.string = known[(message.context, message.id)]
            message.flags.discard("fuzzy")
    with open(target, "wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
