"""Reads the query object from stdin, answers with a JSON object of strings."""
import json
import sys

query = json.load(sys.stdin)
if query.get("fail"):
    sys.stderr.write("refusing: " + query["fail"] + "\n")
    sys.exit(3)
print(json.dumps({"shout": query["greeting"].upper(), "node": query["node"], "keys": ",".join(sorted(query))}))
