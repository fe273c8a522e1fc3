"""Reads the settlements at an OGC datetime with OWSLib's OGC API – Features client, page by page, and prints what it saw as JSON.

Usage: owslib_as_of.py LANDING_URL DATETIME PAGE_SIZE
Run by AsOfRealClientTests with Debian's /usr/bin/python3 (python3-owslib).
"""
import json
import sys

from owslib.ogcapi.features import Features

landing, datetime, page_size = sys.argv[1], sys.argv[2], int(sys.argv[3])
service = Features(landing)
features = []
matched = None
while True:
    # collection_items passes datetime (and every other keyword) on as a query parameter.
    page = service.collection_items("settlements", datetime=datetime, limit=page_size, offset=len(features))
    matched = page.get("numberMatched", matched)
    features.extend(page["features"])
    if not page["features"] or len(page["features"]) < page_size:
        break
print(json.dumps({
    "numberMatched": matched,
    "features": [{"id": f["id"], "name_latn": f["properties"].get("name_latn"), "water_supply": f["properties"].get("water_supply")} for f in features],
}, ensure_ascii=False))
