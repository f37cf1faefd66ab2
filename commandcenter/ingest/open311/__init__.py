"""Open311 GeoReport v2: poll a report platform's `requests.json` and feed each service request
into the normal ingest path as a `cc.event/1` report.

Spec: http://wiki.open311.org/GeoReport_v2 ("GET Service Requests"; open311/open311.github.io,
GeoReport_v2/index.md).
"""
