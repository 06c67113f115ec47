"""Checks Argo manifests against Argo's published schema.

usage: check.py SCHEMA MANIFEST...   prints one line per problem, exits 1 if any.

Two checks: Draft202012Validator against the Workflow definition, and,
because that schema does not forbid unknown keys, that every key used is a
property the schema defines at that point (maps such as annotations, whose
schema gives additionalProperties, may hold any key, and so may a free-form
value such as a withItems item, whose schema defines no properties at all).
"""
import json, sys

import yaml
from jsonschema import Draft202012Validator

PREFIX = "io.argoproj.workflow.v1alpha1."

def main():
    schema = json.load(open(sys.argv[1]))
    definitions = schema["definitions"]
    root = {"$schema": schema["$schema"], "definitions": definitions,
            "$ref": "#/definitions/" + PREFIX + "Workflow"}
    validator = Draft202012Validator(root)
    problems = []
    for path in sys.argv[2:]:
        document = yaml.safe_load(open(path))
        for error in validator.iter_errors(document):
            problems.append(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        unknown_keys(document, {"$ref": root["$ref"]}, definitions, path, "", problems)
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)

def resolve(node, definitions):
    while isinstance(node, dict) and "$ref" in node:
        node = definitions[node["$ref"].split("/")[-1]]
    return node

def unknown_keys(value, node, definitions, path, where, problems):
    node = resolve(node, definitions)
    if isinstance(value, dict):
        properties = node.get("properties")
        extra = node.get("additionalProperties")
        if properties is None and (extra is None or extra is True):
            return  # free-form: the schema names no keys here (e.g. an Item)
        for key, item in value.items():
            if properties is not None and key in properties:
                unknown_keys(item, properties[key], definitions, path, f"{where}/{key}", problems)
            elif isinstance(extra, dict):
                unknown_keys(item, extra, definitions, path, f"{where}/{key}", problems)
            else:
                problems.append(f"{path}: {where}/{key}: key not defined by the schema")
    elif isinstance(value, list):
        items = node.get("items", {})
        for index, item in enumerate(value):
            unknown_keys(item, items, definitions, path, f"{where}/{index}", problems)

main()
