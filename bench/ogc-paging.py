#!/usr/bin/python3
"""Pages through an OGC API - Features collection as a client does (GDAL, OWSLib): the first page, then each
`next` link, until there is none. Prints features, pages, bytes and the seconds spent fetching (each request until
its body is read, as curl's time for the export it is set against); reading the JSON is the client's own work on
both sides and is not counted. bench/run.sh section r."""
import json
import sys
import time
import urllib.request

url = sys.argv[1]
features = pages = size = 0
fetching = 0.0
while url:
    start = time.monotonic()
    with urllib.request.urlopen(url, timeout=300) as response:
        body = response.read()
    fetching += time.monotonic() - start
    page = json.loads(body)
    features += len(page["features"])
    pages += 1
    size += len(body)
    url = next((link["href"] for link in page.get("links", []) if link.get("rel") == "next"), None)
print(f"{features} {pages} {size} {fetching:.3f}")
