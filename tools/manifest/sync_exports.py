#!/usr/bin/env python3
"""Rewrites CmdletsToExport in FmsTools.psd1 from the [Cmdlet] attributes under src/FmsTools/Commands.

The manifest lists cmdlets explicitly (fast discovery, no wildcards) and a contract test fails when it
disagrees with the assembly; this keeps the two in step after adding a cmdlet. Run from the repository root.
"""
import glob
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VERBS = re.compile(r'\[Cmdlet\((?:Verbs\w+\.(\w+)|"(\w+)"),\s*"(\w+)"')

names = set()
for path in glob.glob(os.path.join(ROOT, "src", "FmsTools", "Commands", "*.cs")):
    for m in VERBS.finditer(open(path, encoding="utf-8").read()):
        names.add("%s-%s" % (m.group(1) or m.group(2), m.group(3)))

manifest = os.path.join(ROOT, "FmsTools.psd1")
text = open(manifest, encoding="utf-8").read()
listing = "@(\n" + "".join("        '%s'\n" % n for n in sorted(names, key=str.lower)) + "    )"
text = re.sub(r"CmdletsToExport\s*=\s*@\([^)]*\)", "CmdletsToExport      = " + listing, text)
open(manifest, "w", encoding="utf-8", newline="\n").write(text)
print("%d cmdlets exported" % len(names))
