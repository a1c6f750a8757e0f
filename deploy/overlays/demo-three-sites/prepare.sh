#!/usr/bin/env bash
# Creates what the demo overlay reads but git never holds: each site's identity and KEK, and the
# network descriptor pinning the three certificates with the in-cluster Service URLs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
ns=concilium-demo
entries=()
for s in site-a site-b site-c; do
  dir="$here/$s/secrets"
  mkdir -p "$dir"
  [ -f "$dir/kek" ] || head -c 32 /dev/urandom > "$dir/kek"
  if [ ! -f "$dir/identity.key" ]; then
    "$root/bin/concilium" keys init --site "$s" --dir "$dir" --name "Demo $s" \
      --fhir "http://$s-concilium-fhir.$ns.svc:8080/fhir" \
      --network "http://$s-concilium-fhir.$ns.svc:8080/network/fhir" \
      --peer "https://$s-concilium-peer.$ns.svc:8443" > "$dir/descriptor-entry.json"
  fi
  entries+=("$dir/descriptor-entry.json")
done
jq -s '{networkId: "concilium-demo", keyEpoch: 1, sites: .}' "${entries[@]}" > "$here/descriptor.json"
echo "wrote $here/descriptor.json and $here/site-*/secrets (keep them out of git)"
