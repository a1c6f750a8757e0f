#!/usr/bin/env bash
# Side-by-side `bench bulk`, a base build against this tree, alternated in one run:
#   docs/bench/bulk-side-by-side.sh [BASE_COMMIT] [PAIRS] [BENCH OPTIONS...]   (defaults main, 2; e.g. --import-lines 20000)
# Builds BASE_COMMIT in a temporary worktree with this tree's bench harness copied in (BulkDataBench,
# ProcessCpu: same warm-up, same CPU accounting; the node code is the base's), packages both, copies each
# build aside, then runs `bench bulk --rounds 1 --copies 0` base, new, base, new... (PAIRS times each; each run
# loads ../shared/data/synthea-100 into a fresh node and times the fast and the row path) and appends every
# run's JSON line, with the build and the load average, to docs/bench/bulk-paths-2cores.jsonl.
# The figures that do not depend on the load are importCreatesCpuMicrosPerResource / importUpdates...: CPU
# µs per imported resource of the node's JVM and of its PostgreSQL. Removes the worktree and copies at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base_commit="${1:-main}" pairs="${2:-2}"
shift $(( $# < 2 ? $# : 2 ))
extra=("$@")
work="$(mktemp -d /tmp/bulk-sbs.XXXXXX)" wt="$(mktemp -d /tmp/bulk-sbs-base.XXXXXX)/tree"
export JAVA_HOME="$("$root/bin/find-jdk")"
cleanup() {
  git -C "$root" worktree remove --force "$wt" 2>/dev/null || true
  rm -rf "$work" "$(dirname "$wt")"
}
trap cleanup EXIT
git -C "$root" worktree add --detach "$wt" "$base_commit" >/dev/null
cp "$root/src/main/java/org/concilium/cli/BulkDataBench.java" "$root/src/main/java/org/concilium/cli/ProcessCpu.java" \
  "$wt/src/main/java/org/concilium/cli/"
(cd "$wt" && ./mvnw -B -ntp -o -q package -DskipTests && cp -r target/quarkus-app "$work/base")
(cd "$root" && ./mvnw -B -ntp -o -q package -DskipTests && cp -r target/quarkus-app "$work/new")
labels=(base="$base_commit@$(git -C "$wt" rev-parse --short HEAD)" new="$(git -C "$root" rev-parse --abbrev-ref HEAD)@$(git -C "$root" rev-parse --short HEAD)")
for _ in $(seq 1 "$pairs"); do
  for v in base new; do
    build="$(printf '%s\n' "${labels[@]}" | sed -n "s/^$v=//p")"
    started="$(date -u '+%H:%M UTC %d %b %Y')" load="$(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$root" && "$JAVA_HOME/bin/java" -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
      "-Dconcilium.fhir.profiles-dir=$root/fhir-profiles" -jar "$work/$v/quarkus-run.jar" \
      bench bulk --rounds 1 --copies 0 "${extra[@]}" 2>"$work/$v.err") \
      | python3 -c "import json,sys;d=json.loads(sys.stdin.read());d.update(build='$build',variant='$v',started='$started',loadAverageAtStart='$load',command='docs/bench/bulk-side-by-side.sh $base_commit $pairs ${extra[*]}');print(json.dumps(d))" \
      | tee -a "$root/docs/bench/bulk-paths-2cores.jsonl"
  done
done
