#!/usr/bin/env python3
"""sarif-validate.py SCHEMA FILE...: validate each SARIF file against the JSON schema SCHEMA.

Used by tests/report/sarif.sh with sarif-schema-2.1.0.json, the OASIS SARIF 2.1.0 schema
(errata 01) as published in the oasis-tcs/sarif-spec repository, Schemata/sarif-schema-2.1.0.json,
unchanged. Prints each violation (at most 10 per file) and exits 1 when a file has any; exits 3
when the python3 jsonschema module (Debian: python3-jsonschema) is missing, 2 on usage errors.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3 jsonschema module missing (Debian package python3-jsonschema)",
          file=sys.stderr)
    sys.exit(3)


def main(argv):
    """Validate argv[2:] against the schema in argv[1]; return the exit status."""
    if len(argv) < 3:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    status = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:10]:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: /{where}: {e.message[:300]}")
        if errors:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
