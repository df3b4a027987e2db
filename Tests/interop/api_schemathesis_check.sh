#!/usr/bin/env bash
# Property-based API testing of a live gateway against openapi.yaml with schemathesis,
# over mutual TLS, as a provider, a consumer, an admin and an auditor. Bounded: a few dozen
# examples per operation. Usage: api_schemathesis_check.sh SLUICE_BINARY
set -euo pipefail
sluice=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$root/Agreements" "$work/"
cd "$work"
"$sluice" init >/dev/null
"$sluice" serve --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q '^listening on ' serve.log && break; sleep 0.2; done
url=$(grep -m1 '^listening on ' serve.log | cut -d' ' -f3)
[ -n "$url" ] || { cat serve.log; exit 1; }

# positive_data_acceptance is left out: a body that matches the schema (any string) is
# rightly refused when it is not valid records (or a valid agreement). Each identity also
# probes the endpoints of the other roles, which must answer 403 as documented.
for agency in district-psb district-procuratorate gateway-admin security-officer; do
  echo "schemathesis as $agency"
  # The whole report when something fails (the failing requests, with curl lines); its
  # summary otherwise.
  if ! schemathesis run "$root/openapi.yaml" --url "$url" --tls-verify Certs/dev-ca.pem \
    --request-cert "Certs/agencies/$agency.pem" --request-cert-key ".sluice/keys/agencies/$agency.key.pem" \
    --max-examples 25 --checks all --exclude-checks positive_data_acceptance --seed 20261129 \
    --no-color >"$work/schemathesis-$agency.log" 2>&1; then
    cat "$work/schemathesis-$agency.log"
    grep ' status=5' serve.log || true
    exit 1
  fi
  tail -25 "$work/schemathesis-$agency.log"
done
kill -TERM "$server"
wait "$server"
"$sluice" audit verify
