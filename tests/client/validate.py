#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""validate.py: checks rtr-client JSON files against client/rtr-client.schema.json (exit 1 on error).

validate.py SCHEMA FILE...: each FILE is one document; after --jsonl, each FILE holds one document
per line (--format jsonl), and every line must be one."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
paths = sys.argv[2:]
lines = paths[:1] == ["--jsonl"]
if lines:
    paths = paths[1:]


def documents(path):
    if not lines:
        yield path, json.load(open(path))
        return
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            yield f"{path}:{n}", json.loads(line)


for path in paths:
    try:
        for where, doc in documents(path):
            for err in validator.iter_errors(doc):
                print(f"{where}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
                bad += 1
    except ValueError as e:
        print(f"{path}: not JSON: {e}")
        bad += 1
sys.exit(1 if bad else 0)
