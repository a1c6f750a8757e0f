#!/usr/bin/env python3
"""Side-by-side search latency of two running nodes loaded with the same data (issue 11).

Usage: search-side-by-side.py BASE_URL NEW_URL [ROUNDS]   (URLs end in /fhir; both with
authorization off: CONCILIUM_SECURITY_BENCHMARK_WITHOUT_AUTHORIZATION=true)

Each node assigns its own ids on load, so patients are paired by their first identifier. For every
patient and every round, sends the same query to both nodes (each with its own id), alternating which
goes first, over one keep-alive connection per node; checks that both answer the same resources in
the same order; prints one JSON line with p50/p95/max per node and query, and the load average.
"""
import http.client
import json
import os
import sys
import time
import urllib.parse

QUERIES = {
    "sortInclude": "/Observation?patient={id}&_sort=-date,code&_include=Observation:patient&_count=20",
    "plain": "/Observation?patient={id}&code=http://loinc.org%7C4548-4&date=ge2019-01-01",
}


class Node:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.path = u.path
        self.conn = http.client.HTTPConnection(u.hostname, u.port)

    def get(self, query):
        t0 = time.perf_counter()
        self.conn.request("GET", self.path + query, headers={"Accept": "application/fhir+json"})
        r = self.conn.getresponse()
        body = r.read()
        elapsed = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            raise SystemExit(f"{query}: {r.status} {body[:300]}")
        return elapsed, json.loads(body)


def pct(values, p):
    s = sorted(values)
    return round(s[min(len(s) - 1, max(0, -(-p * len(s) // 100) - 1))], 2)


def entries(bundle):
    """What a page answers, comparable across nodes: type and first identifier (or code) in order."""
    out = []
    for e in bundle.get("entry", []):
        res = e["resource"]
        key = (res.get("identifier") or [{}])[0].get("value") or json.dumps(res.get("code"), sort_keys=True)
        out.append((e.get("search", {}).get("mode"), res["resourceType"], key, res.get("effectiveDateTime")))
    return out


def patients(node):
    _, bundle = node.get("/Patient?_count=1000")
    return {e["resource"]["identifier"][0]["value"]: e["resource"]["id"] for e in bundle.get("entry", [])}


def main():
    base, new = Node(sys.argv[1]), Node(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    base_ids, new_ids = patients(base), patients(new)
    ids = sorted(set(base_ids) & set(new_ids))
    load_before = os.getloadavg()
    times = {(n, q): [] for n in ("base", "new") for q in QUERIES}
    mismatches = 0
    for r in range(rounds):
        for i, pid in enumerate(ids):
            order = [("base", base, base_ids[pid]), ("new", new, new_ids[pid])]
            order = order if (r + i) % 2 == 0 else order[::-1]
            for q, template in QUERIES.items():
                answers = {}
                for name, node, nid in order:
                    ms, bundle = node.get(template.format(id=nid))
                    times[(name, q)].append(ms)
                    answers[name] = entries(bundle)
                mismatches += answers["base"] != answers["new"]
    out = {"benchmark": "search-side-by-side", "patients": len(ids), "rounds": rounds,
           "loadAverageBefore": [round(x, 2) for x in load_before],
           "loadAverageAfter": [round(x, 2) for x in os.getloadavg()], "cores": os.cpu_count(),
           "answersDiffering": mismatches, "answersCompared": rounds * len(ids) * len(QUERIES)}
    for q in QUERIES:
        for n in ("base", "new"):
            v = times[(n, q)]
            out[f"{q}.{n}"] = {"p50Ms": pct(v, 50), "p95Ms": pct(v, 95), "maxMs": round(max(v), 2), "n": len(v)}
        out[f"{q}.p95Ratio"] = round(out[f"{q}.base"]["p95Ms"] / out[f"{q}.new"]["p95Ms"], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
