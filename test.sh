#!/usr/bin/env bash
# Every test Outpost has, from a fresh Debian machine with the .NET SDK: installs what the tests need, builds in
# Release, runs the unit and integration suites (which start the real server on real sockets and drive the official
# Azure SDK packages from npm against it), then checks the README's quick start command itself.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v node >/dev/null || missing+=(nodejs)
command -v testssl >/dev/null || missing+=(testssl.sh)
# The portal's browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
fi
# NodeSource's nodejs package carries npm (and conflicts with Debian's npm package); Debian's own nodejs does not.
if ! command -v npm >/dev/null; then
  echo "== installing npm"
  apt-get update -qq && apt-get install -y -qq npm
fi

echo "== npm ci (official Azure SDK packages for the conformance tests)"
npm ci --prefix tests/conformance --no-audit --no-fund

echo "== build"
dotnet build Outpost.slnx -c Release -warnaserror

echo "== tests"
log=$(mktemp)
set +e
dotnet test --solution Outpost.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ]; then
  echo "$passed passed, $failed failed"
  exit "$status"
fi

echo "== quick start: the README's first command, twice on one data directory"
./scripts/quickstart-check.sh

echo "$passed passed, $failed failed"
