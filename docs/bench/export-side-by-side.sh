#!/usr/bin/env bash
# Side-by-side $export, base build (files in the data folder) against this tree (files in PostgreSQL), in one run:
#   docs/bench/export-side-by-side.sh [BASE_COMMIT] [ROUNDS]   (defaults main, 6)
# Builds BASE_COMMIT in a temporary worktree, packages this tree, starts one node of each (authorization off,
# loopback, -Xmx1g, embedded PostgreSQL in a temporary folder), loads ../shared/data/synthea-100 into both, then
# runs export-side-by-side.py (the nodes alternate which goes first) and appends its JSON line to
# docs/bench/export-side-by-side-2cores.jsonl. Stops both nodes and removes the worktree and folders at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base_commit="${1:-main}" rounds="${2:-6}"
work="$(mktemp -d /tmp/export-sbs.XXXXXX)" wt="$(mktemp -d /tmp/export-sbs-base.XXXXXX)/tree"
export JAVA_HOME="$("$root/bin/find-jdk")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 1; done; done
  git -C "$root" worktree remove --force "$wt" 2>/dev/null || true
  rm -rf "$work" "$(dirname "$wt")"
}
trap cleanup EXIT
git -C "$root" worktree add --detach "$wt" "$base_commit" >/dev/null
(cd "$wt" && ./mvnw -B -ntp -o -q package -DskipTests)
(cd "$root" && ./mvnw -B -ntp -o -q package -DskipTests)
start() { # name tree port
  mkdir -p "$work/$1"
  CONCILIUM_SECURITY_BENCHMARK_WITHOUT_AUTHORIZATION=true CONCILIUM_JAVA_OPTS=-Xmx1g \
    "$2/bin/concilium" serve --port "$3" --data "$work/$1/data" >"$work/$1/node.log" 2>&1 &
  pids+=($!)
}
start base "$wt" 18301
start new "$root" 18302
for port in 18301 18302; do
  for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/fhir/metadata" && break; sleep 3; done
  python3 - "http://127.0.0.1:$port/fhir" "$root/../shared/data/synthea-100" <<'PY'
import glob, sys, urllib.request, concurrent.futures
url, data = sys.argv[1], sys.argv[2]
def post(f):
    req = urllib.request.Request(url, data=open(f, "rb").read(), headers={"Content-Type": "application/fhir+json"})
    return urllib.request.urlopen(req, timeout=900).status
with concurrent.futures.ThreadPoolExecutor(2) as ex:
    codes = list(ex.map(post, sorted(glob.glob(data + "/patient-*.json"))))
sys.exit(0 if all(c == 200 for c in codes) else "load failed")
PY
done
python3 "$root/docs/bench/export-side-by-side.py" http://127.0.0.1:18301/fhir http://127.0.0.1:18302/fhir 1 >/dev/null # warm-up
python3 "$root/docs/bench/export-side-by-side.py" http://127.0.0.1:18301/fhir http://127.0.0.1:18302/fhir "$rounds" \
  | python3 -c "import json,sys;d=json.loads(sys.stdin.read());d.update(base='$base_commit',new='$(git -C "$root" rev-parse --short HEAD)',run='export-side-by-side.sh');print(json.dumps(d))" \
  | tee -a "$root/docs/bench/export-side-by-side-2cores.jsonl"
