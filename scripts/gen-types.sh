#!/usr/bin/env bash
# npm run gen:types: writes supabase/functions/_shared/database.ts, the Kysely types of the `public` schema generated
# by kysely-codegen from a database migrated with supabase/migrations (checked in; the create-coach function imports it).
#
#   scripts/gen-types.sh                      throwaway cluster on GEN_TYPES_DB_PORT (default 54333): migrate,
#                                             generate, remove the cluster
#   DATABASE_URL=… scripts/gen-types.sh       generate from that already migrated database
#   DATABASE_URL=… scripts/gen-types.sh --check
#                                             fail (exit 1, with the diff) when the checked-in file differs from what
#                                             the migrations give; npm test runs this
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT=supabase/functions/_shared/database.ts
MODE="${1:-write}"

# shellcheck source=scripts/throwaway-db.sh
. "$ROOT/scripts/throwaway-db.sh"
throwaway_db gen-types "${GEN_TYPES_DB_PORT:-54333}"

generate() { # generate <file>
    npx --no-install kysely-codegen --dialect postgres --url "$DATABASE_URL" --include-pattern 'public.*' \
        --log-level error --out-file "$1" >/dev/null
}

if [ "$MODE" = --check ]; then
    tmp="$(mktemp --suffix=.ts)"
    generate "$tmp"
    if ! diff -u "$OUT" "$tmp" > "$tmp.diff"; then
        cat "$tmp.diff" >&2
        rm -f "$tmp" "$tmp.diff"
        echo "" >&2
        echo "gen-types: $OUT is stale: it does not match the schema of supabase/migrations." >&2
        echo "gen-types: regenerate it with \`npm run gen:types\` and commit it." >&2
        exit 1
    fi
    rm -f "$tmp" "$tmp.diff"
    echo "gen-types: $OUT matches the migrations"
else
    mkdir -p "$(dirname "$OUT")"
    generate "$OUT"
    echo "gen-types: wrote $OUT"
fi
