#!/usr/bin/env python3
"""Per-request-shape latency of one node (issue 11): what each part of a _sort+_include search adds.

Usage: search-phases.py PORT [ROUNDS]  (node on 127.0.0.1:PORT, authorization off). For every patient and round:
a read by id, the patient's Observations with _count=1 and 20, with _sort=-date,code, with _include, with both,
and the 3-filter search; prints p50/p95 per shape and the load average as one JSON line."""
import http.client, json, sys, time, os
port = int(sys.argv[1]); n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
c = http.client.HTTPConnection("127.0.0.1", port)
def get(q):
    t = time.perf_counter(); c.request("GET", "/fhir" + q, headers={"Accept": "application/fhir+json"}); r = c.getresponse(); b = r.read()
    assert r.status == 200, (q, r.status, b[:200]); return (time.perf_counter() - t) * 1000, b
_, b = get("/Patient?_count=1000&_elements=id")
ids = [e["resource"]["id"] for e in json.loads(b)["entry"]]
Q = {"read": "/Patient/{id}", "count1": "/Observation?patient={id}&_count=1", "count20": "/Observation?patient={id}&_count=20",
     "sort": "/Observation?patient={id}&_sort=-date,code&_count=20",
     "include": "/Observation?patient={id}&_include=Observation:patient&_count=20",
     "sortInclude": "/Observation?patient={id}&_sort=-date,code&_include=Observation:patient&_count=20",
     "plain": "/Observation?patient={id}&code=http://loinc.org%7C4548-4&date=ge2019-01-01"}
t = {k: [] for k in Q}
la = os.getloadavg()
for r in range(n):
    for i in ids:
        for k, q in Q.items():
            t[k].append(get(q.format(id=i))[0])
def p(v, x): s = sorted(v); return round(s[min(len(s)-1, int(len(s)*x/100))], 2)
print(json.dumps({"load": [round(x,2) for x in la], "loadAfter": [round(x,2) for x in os.getloadavg()], **{k: {"p50": p(v,50), "p95": p(v,95)} for k, v in t.items()}}))
