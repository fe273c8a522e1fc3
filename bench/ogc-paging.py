#!/usr/bin/python3
"""Pages through an OGC API - Features collection as a client does (GDAL, OWSLib): the first page, then each
`next` link, until there is none. Prints features, pages, bytes and seconds. bench/run.sh section r."""
import json
import sys
import time
import urllib.request

url = sys.argv[1]
features = pages = size = 0
start = time.monotonic()
while url:
    with urllib.request.urlopen(url, timeout=300) as response:
        body = response.read()
    page = json.loads(body)
    features += len(page["features"])
    pages += 1
    size += len(body)
    url = next((link["href"] for link in page.get("links", []) if link.get("rel") == "next"), None)
print(f"{features} {pages} {size} {time.monotonic() - start:.3f}")
