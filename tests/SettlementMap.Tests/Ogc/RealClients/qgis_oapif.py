"""Loads one collection of the service with QGIS's own OAPIF provider, headless, and prints what QGIS saw as JSON.

Usage: qgis_oapif.py LANDING_URL COLLECTION PAGE_SIZE SUBSET KEY_FIELD KEY_VALUE
Run by OgcRealClientTests with Debian's /usr/bin/python3 (python3-qgis).
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsFeatureRequest, QgsVectorLayer  # noqa: E402

landing, collection, page_size, subset, key_field, key_value = sys.argv[1:7]
app = QgsApplication([], False)
app.initQgis()
messages = []
QgsApplication.messageLog().messageReceived.connect(lambda message, tag, level: messages.append(f"{tag}: {message}"))

# Straight from the landing page, as a researcher types it into "Add WFS / OGC API – Features layer".
uri = f"url='{landing}' typename='{collection}' pagingEnabled='true' pageSize='{page_size}'"
layer = QgsVectorLayer(uri, collection, "OAPIF")
result = {"valid": layer.isValid(), "messages": messages}
if layer.isValid():
    result["featureCount"] = layer.featureCount()
    result["fields"] = {f.name(): f.typeName() for f in layer.fields()}
    # Every feature through the provider's paging (pageSize is below the collection's size).
    result["iterated"] = sum(1 for _ in layer.getFeatures())
    request = QgsFeatureRequest().setFilterExpression(f"\"{key_field}\" = '{key_value}'")
    result["key"] = [{name: (value if isinstance(value, (int, float, str, bool)) or value is None else str(value))
                      for name, value in zip(layer.fields().names(), f.attributes())} for f in layer.getFeatures(request)]
    layer.setSubsetString(subset)
    result["subsetCount"] = sum(1 for _ in layer.getFeatures())
app.processEvents()
result["messages"] = messages
print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
# QGIS 3.22 may crash while tearing down its providers at exit; what it saw is printed already.
os._exit(0)
