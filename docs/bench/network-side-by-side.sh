#!/usr/bin/env bash
# Side-by-side network overhead (issue 15), a base build against this tree, alternating, in one session:
#   docs/bench/network-side-by-side.sh [BASE_REF] [PAIRS] [BENCH ARGS...]
#   defaults: main, 2, --sites 3 --patients 10000 --reps 5 --node-heap 2g
# Packages BASE_REF in a temporary worktree and this tree, copies each build's quarkus-app aside, then runs
# `bench network` PAIRS times per build, this tree first, then the base, and so on (this, base, this, base...).
# Every JSON line (it carries the 1-minute load average before and after, and the CPU per query of all
# nodes and their PostgreSQL servers) is labelled with the build and appended to
# docs/bench/network-netperf-2cores.jsonl. Extra BENCH ARGS must exist in both builds' bench (e.g.
# --thread-cpu and --warm-up only from 2026-11-27 on). Run it on a quiet machine: nothing else building.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base_ref="${1:-main}" pairs="${2:-2}"
shift $(( $# > 2 ? 2 : $# ))
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--sites 3 --patients 10000 --reps 5 --node-heap 2g)
work="$(mktemp -d /tmp/network-sbs.XXXXXX)" wt="$root/../network-bench-base"
export JAVA_HOME="$("$root/bin/find-jdk")"
cleanup() {
  git -C "$root" worktree remove --force "$wt" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
base_sha="$(git -C "$root" rev-parse --short "$base_ref")" this_sha="$(git -C "$root" rev-parse --short HEAD)"
git -C "$root" worktree add --detach "$wt" "$base_ref" >/dev/null
(cd "$wt" && ./mvnw -B -ntp -q package -DskipTests) && cp -r "$wt/target/quarkus-app" "$work/base"
(cd "$root" && ./mvnw -B -ntp -q package -DskipTests) && cp -r "$root/target/quarkus-app" "$work/this"
run() { # build label
  (cd "$root" && "$JAVA_HOME/bin/java" -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Dconcilium.fhir.profiles-dir=fhir-profiles -jar "$work/$1/quarkus-run.jar" bench network "${args[@]}" \
    --label "$2") | tee -a "$root/docs/bench/network-netperf-2cores.jsonl"
}
for i in $(seq 1 "$pairs"); do
  run this "this-$this_sha-pair-$i"
  run base "base-$base_sha-pair-$i"
done
