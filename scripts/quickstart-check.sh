#!/usr/bin/env bash
# Runs `dotnet run --project src/Outpost.Server` exactly as the README says, in an empty directory: the first start
# must bootstrap ./.outpost and answer /healthz; a second start must reuse the same trust anchor and admin credentials
# and take the README's next commands, `outpost login` and `outpost demo`, through the command line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cd "$work"

start_and_check() {
  local log=$1 then=${2:-}
  dotnet run --project "$repo/src/Outpost.Server" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    if grep -q "Outpost ready" "$log"; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "quickstart: the server exited before it was ready"; exit 1; fi
    sleep 1
  done
  grep -q "Outpost ready" "$log" || { cat "$log"; echo "quickstart: no ready line after 120 s"; kill "$pid"; exit 1; }
  curl -sSf --cacert .outpost/tls/ca.pem https://localhost/healthz >/dev/null \
    || { cat "$log"; echo "quickstart: /healthz did not answer 200 over TLS with the ca.pem trust anchor"; kill "$pid"; exit 1; }
  if [ -n "$then" ]; then "$then" || { cat "$log"; kill "$pid"; exit 1; }; fi
  kill -TERM "$pid"
  wait "$pid" || { cat "$log"; echo "quickstart: the server did not shut down cleanly on SIGTERM"; exit 1; }
}

start_and_check first.log
[ -f .outpost/tls/ca.pem ] && [ -f .outpost/admin.json ] || { echo "quickstart: the first start did not write tls/ca.pem and admin.json"; exit 1; }
[ "$(stat -c %a .outpost/admin.json)" = "600" ] || { echo "quickstart: admin.json is not mode 0600"; exit 1; }
cp .outpost/tls/ca.pem ca.first && cp .outpost/admin.json admin.first

outpost() { dotnet run --project "$repo/src/Outpost.Cli" -- "$@"; }
login_and_demo() {
  export OUTPOST_CLI_HOME="$work/cli"
  outpost login --data-dir .outpost --route-hosts >login.json || { echo "quickstart: outpost login failed"; return 1; }
  outpost demo --devices 2 --messages 2 >demo.json 2>demo.log || { cat demo.log; echo "quickstart: outpost demo failed"; return 1; }
  grep -q '"messagesSent": 4' demo.json || { cat demo.json; echo "quickstart: the demo's devices did not send their telemetry"; return 1; }
}

start_and_check second.log login_and_demo
cmp -s ca.first .outpost/tls/ca.pem && cmp -s admin.first .outpost/admin.json \
  || { echo "quickstart: the second start did not reuse the data directory"; exit 1; }
grep -q "First start" second.log && { echo "quickstart: the second start bootstrapped again"; exit 1; }
echo "quickstart: first start bootstrapped .outpost, second start reused it, outpost login and outpost demo worked"
rm -rf "$work"
