"""The API contract is a valid OpenAPI 3.1 document, and the running server serves exactly it."""
import sys

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from yiju_server import ROOT


METHODS = ("get", "post", "put", "patch", "delete")


def error_statuses(spec, path_item, op):
    """The error statuses any operation of this shape can answer, whatever its handler does:
    400 when it reads parameters or a body (the decoder and the handlers' checks), 401 when it
    needs a token, 404 when it names a record by a path or query id (missing or out of scope)."""
    params = [spec["components"]["parameters"][p["$ref"].split("/")[-1]] if "$ref" in p else p
              for p in (path_item.get("parameters") or []) + (op.get("parameters") or [])]
    statuses = set()
    if params or "requestBody" in op:
        statuses.add("400")
    if op.get("security", spec.get("security")):
        statuses.add("401")
    if any(p["in"] == "path" or p.get("schema", {}).get("format") == "uuid" for p in params):
        statuses.add("404")
    # A JSON body with a value the document rules out (the contract check), or one that
    # breaks a rule no schema states (the handler), is 422.
    if "application/json" in (op.get("requestBody") or {}).get("content", {}):
        statuses.add("422")
    return statuses


def unbounded_integers(spec):
    """Whole numbers a request can carry without a maximum. The server reads them as 64-bit
    integers, so a document that allows any size promises what it cannot keep; each states
    its real range, or at most 2^53 - 1, the largest a JSON client holds exactly."""
    schemas = spec["components"]["schemas"]
    found = []

    def walk(schema, at, seen):
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            if name not in seen:
                walk(schemas[name], name, seen | {name})
            return
        if schema.get("type") == "integer" and "maximum" not in schema:
            found.append(at)
        for key, value in (schema.get("properties") or {}).items():
            walk(value, f"{at}.{key}", seen)
        walk(schema.get("items"), f"{at}[]", seen)
        for part in schema.get("allOf") or []:
            walk(part, at, seen)

    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            for param in (item.get("parameters") or []) + (op.get("parameters") or []):
                if "schema" in param:
                    walk(param["schema"], f"{op['operationId']} {param['name']}", set())
            for media in ((op.get("requestBody") or {}).get("content") or {}).values():
                walk(media.get("schema"), f"{op['operationId']} body", set())
    return sorted(set(found))


def stray_keys(node, at="#"):
    """Keys without a value: in a flow mapping an unquoted comma (`{ description: a, b }`)
    ends the value and turns the rest into a key, silently cutting the text short."""
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None:
                yield f"{at}/{key}"
            yield from stray_keys(value, f"{at}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from stray_keys(value, f"{at}/{index}")


def main():
    spec, _ = read_from_filename(ROOT + "/Sources/YijuServer/openapi.yaml")
    validate(spec)
    operations = sum(1 for item in spec["paths"].values() for method in item if method in METHODS)
    missing_ids = [p for p, item in spec["paths"].items() for m, op in item.items()
                   if m in METHODS and "operationId" not in op]
    if missing_ids:
        print("openapi: operations without operationId: " + ", ".join(missing_ids), file=sys.stderr)
        return 1
    stray = list(stray_keys(spec))
    if stray:
        print("openapi: keys without a value (quote text containing a comma):\n  " + "\n  ".join(stray), file=sys.stderr)
        return 1
    undeclared = [f"{method.upper()} {path}: {code}" for path, item in spec["paths"].items()
                  for method, op in item.items() if method in METHODS
                  for code in sorted(error_statuses(spec, item, op) - set(map(str, op["responses"])))]
    if undeclared:
        print("openapi: error statuses the server answers but the document does not declare:\n  "
              + "\n  ".join(undeclared), file=sys.stderr)
        return 1
    unbounded = unbounded_integers(spec)
    if unbounded:
        print("openapi: whole numbers a request carries without a maximum:\n  " + "\n  ".join(unbounded), file=sys.stderr)
        return 1
    print(f"openapi: valid OpenAPI {spec['openapi']}, {len(spec['paths'])} paths, {operations} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
