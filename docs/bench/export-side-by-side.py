"""Times a system $export (kick-off to the last file downloaded) on two nodes, alternating which goes first.

usage: export-side-by-side.py BASE_URL NEW_URL ROUNDS   (both /fhir bases, authorization off)
Prints one JSON object: per node the resources exported, each round's seconds and resources/s, the medians,
the ratio of the medians (new/base, time) and the load average before and after.
"""
import json, os, statistics, sys, time, urllib.request

def export(base):
    start = time.monotonic()
    req = urllib.request.Request(base + "/$export", headers={"Prefer": "respond-async"})
    with urllib.request.urlopen(req, timeout=60) as r:
        status = r.headers["Content-Location"]
    while True:
        with urllib.request.urlopen(status, timeout=60) as r:
            if r.status == 200:
                manifest = json.loads(r.read())
                break
        time.sleep(0.05)
    n = 0
    for out in manifest["output"]:
        with urllib.request.urlopen(out["url"], timeout=600) as r:
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                n += chunk.count(b"\n")
    seconds = time.monotonic() - start
    urllib.request.urlopen(urllib.request.Request(status, method="DELETE"), timeout=60).read()
    return n, seconds

base, new, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
load_before = os.getloadavg()
runs = {"base": [], "new": []}
count = {}
for i in range(rounds):
    order = [("base", base), ("new", new)] if i % 2 == 0 else [("new", new), ("base", base)]
    for name, url in order:
        n, s = export(url)
        count[name] = n
        runs[name].append(round(s, 3))
med = {k: statistics.median(v) for k, v in runs.items()}
print(json.dumps({"bench": "export-side-by-side", "resources": count, "seconds": runs,
                  "median_s": med, "median_resources_per_s": {k: round(count[k] / med[k]) for k in med},
                  "ratio_new_over_base_time": round(med["new"] / med["base"], 3),
                  "load_before": load_before, "load_after": os.getloadavg()}))
