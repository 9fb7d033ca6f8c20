#!/usr/bin/env bash
# Runs every test: installs the pinned Azurite (the tests start it themselves on free ports),
# restores, builds and tests the whole solution, then prints "N passed, N failed" from the TRX results.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
# The dashboard's browser tests drive Debian's Chromium (Playwright's own browser download needs the internet).
# Quiet when it works; its output when it does not (it needs root, as CI is, or sudo rights).
if [ ! -x /usr/bin/chromium ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log="$(mktemp)"
  if ! ($sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium) >"$log" 2>&1; then
    cat "$log" >&2
    echo "could not install chromium for the browser tests (apt-get install chromium)" >&2
    exit 1
  fi
fi
dotnet restore Serverless.sln

results="$(pwd)/TestResults"
rm -rf "$results"
status=0
dotnet test Serverless.sln --no-restore --logger "trx" --results-directory "$results" || status=$?

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
echo "${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
