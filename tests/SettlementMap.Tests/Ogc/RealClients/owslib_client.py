"""Reads the service with OWSLib's OGC API – Features client and prints what it saw as JSON.

Usage: owslib_client.py LANDING_URL
Run by OgcRealClientTests with Debian's /usr/bin/python3 (python3-owslib).
"""
import json
import sys

from owslib.ogcapi.features import Features

landing = sys.argv[1]
service = Features(landing)
result = {
    "collections": [c["id"] for c in service.collections()["collections"]],
    "conformance": len(service.conformance()["conformsTo"]),
}
queryables = service.collection_queryables("settlements")
result["queryables"] = sorted(queryables["properties"].keys())
result["water_supply_labels"] = {o["const"]: o["x-labels"]["sr-Cyrl"] for o in queryables["properties"]["water_supply"]["oneOf"]}
items = service.collection_items("settlements", limit=7, water_supply="wells")
result["items"] = {"numberMatched": items["numberMatched"], "returned": len(items["features"]),
                   "water_supply": sorted({f["properties"]["water_supply"] for f in items["features"]})}
coverage = service.collection_items("coverage", limit=500, datetime="2015-01-01/2015-12-31")
result["coverage_2015"] = coverage["numberMatched"]
result["measure_queryables"] = sorted(service.collection_queryables("measures")["properties"].keys())
measures = service.collection_items("measures", limit=1000, filter="status = 'in_progress' AND priority_area = 'housing'")
result["measures_housing_in_progress"] = measures["numberMatched"]
print(json.dumps(result, ensure_ascii=False))
