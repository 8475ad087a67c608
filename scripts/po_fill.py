"""Fill translations into a .po catalogue from a tab-separated file of msgid<TAB>msgstr lines.

Usage: python scripts/po_fill.py assess/translations/zh/LC_MESSAGES/messages.po new.tsv
A plural message is a line of three: singular<TAB>plural<TAB>translation (Chinese has one form).
A message with a context (pgettext) is written context::msgid.
Lines whose msgid is not in the catalogue are reported; existing translations are replaced.
"""

from __future__ import annotations

import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, tsv_path: str) -> None:
    with open(po_path, "rb") as f:
        catalog = read_po(f)
    unknown = []
    with open(tsv_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            msgid, *plural, msgstr = line.split("\t")
            context, _, bare = msgid.rpartition("::")
            message = catalog.get(bare.replace("\\n", "\n"), context=context or None)
            if message is None:
                unknown.append(msgid)
                continue
            text = msgstr.replace("\\n", "\n")
            message.string = (text,) if plural else text
            message.flags.discard("fuzzy")
    with open(po_path, "wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"unknown: {unknown}\nuntranslated: {len(missing)}")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
