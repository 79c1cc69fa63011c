#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""validate.py: checks rtr-client JSON files against client/rtr-client.schema.json (exit 1 on error)."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for err in validator.iter_errors(json.load(open(path))):
        print(f"{path}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
        bad += 1
sys.exit(1 if bad else 0)
