#!/usr/bin/env bash
# Installs what the local tooling needs: Debian packages (PostgreSQL 15, pg_cron, pgTAP, Chromium, nginx), node_modules,
# and the edge functions' Deno dependencies (in DENO_DIR, so that `npm start` serves them offline afterwards).
# As root it runs apt-get; otherwise it prints the exact command to run with sudo and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

want_packages=()
need() { # need <debian-package> <path that proves it is installed>
    [ -e "$2" ] || want_packages+=("$1")
}
need postgresql-15 /usr/lib/postgresql/15/bin/postgres
need postgresql-15-cron /usr/share/postgresql/15/extension/pg_cron.control
need postgresql-15-pgtap /usr/share/postgresql/15/extension/pgtap.control
need pgtap /usr/bin/pg_prove
if [ "${SKIP_BROWSER_DEPS:-}" != 1 ]; then
    need chromium /usr/bin/chromium
    need nginx /usr/sbin/nginx
fi

if [ ${#want_packages[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "ensure-deps: installing ${want_packages[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${want_packages[@]}" >/dev/null
    else
        echo "ensure-deps: missing system packages. Run:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${want_packages[*]}" >&2
        exit 1
    fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "ensure-deps: npm ci" >&2
    npm ci --no-audit --no-fund >&2
fi

node local-supabase/cache-functions.mjs
