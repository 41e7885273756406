#!/usr/bin/env python3
"""Seed corpus for the `xlsx_parts_differential` fuzz target: each committed .xlsx
fixture and example return split into its workbook, first two worksheets (in the
workbook's order), shared strings and styles, joined by NUL bytes.

    python3 seed_parts.py corpus/xlsx_parts_differential
"""
import glob
import os
import re
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parts(path):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        read = lambda n: z.read(n) if n in names else b""
        rels = read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets.update({i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        workbook = read("xl/workbook.xml")
        ids = re.findall(rb'r:id="([^"]+)"', workbook)
        sheets = [read("xl/" + targets.get(i.decode(), "").lstrip("/").removeprefix("xl/")) for i in ids]
        sheets = (sheets + [b"", b""])[:2]
        # the target's relationships are fixed: rId1, rId2 -> the two worksheets
        workbook = re.sub(rb'r:id="[^"]+"', lambda m, n=iter(range(1, 99)): b'r:id="rId%d"' % next(n), workbook)
        return [workbook] + sheets + [read("xl/sharedStrings.xml"), read("xl/styles.xml")]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    paths = sorted(glob.glob(os.path.join(ROOT, "fixtures", "**", "*.xlsx"), recursive=True)
                   + glob.glob(os.path.join(ROOT, "examples", "returns", "*.xlsx")))
    written = 0
    for path in paths:
        try:
            chunks = parts(path)
        except (zipfile.BadZipFile, KeyError, OSError):
            continue
        if any(b"\0" in c for c in chunks):
            continue
        name = os.path.relpath(path, ROOT).replace(os.sep, "_")
        with open(os.path.join(out, name + ".parts"), "wb") as f:
            f.write(b"\0".join(chunks))
        written += 1
    print(f"wrote {written} seeds to {out}")


if __name__ == "__main__":
    main()
