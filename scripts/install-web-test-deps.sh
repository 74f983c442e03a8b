#!/usr/bin/env bash
# What the web-edition tests need beyond scripts/install-system-deps.sh (Debian 12):
#   chromium                 <- Debian's chromium (headless; Playwright drives it, never its own download)
#   java                     <- default-jre-headless (runs the Nu Html Checker, vnu.jar)
#   tests/web/node_modules   <- npm ci in tests/web (axe-core, vnu-jar; versions pinned in package-lock.json)
# Idempotent: does nothing when all is there. As root it installs with apt-get; otherwise it
# prints the commands and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'install-web-test-deps: %s\n' "$*"; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        say "missing: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
    say "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -f tests/web/node_modules/axe-core/axe.min.js ] || [ ! -f tests/web/node_modules/vnu-jar/build/dist/vnu.jar ]; then
    say "npm ci in tests/web"
    (cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
fi
say "done: chromium, java and tests/web/node_modules present"
