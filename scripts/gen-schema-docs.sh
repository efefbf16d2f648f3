#!/usr/bin/env bash
# npm run docs:schema: writes docs/schema.md from a database migrated with supabase/migrations
# (scripts/gen-schema-docs.mjs reads the catalogs: tables, columns, comments, relations, policies, functions, jobs).
#
#   scripts/gen-schema-docs.sh                    throwaway cluster on GEN_DOCS_DB_PORT (default 54379): migrate,
#                                                 generate, remove the cluster
#   DATABASE_URL=… scripts/gen-schema-docs.sh     generate from that already migrated database
#   DATABASE_URL=… scripts/gen-schema-docs.sh --check
#                                                 exit 1 when docs/schema.md is stale; npm test runs this
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

if [ -z "${DATABASE_URL:-}" ]; then
    export DB_DIR="$ROOT/.local/gen-docs-db-$$"
    export DB_PORT="${GEN_DOCS_DB_PORT:-54379}"
    export DB_FAST=1
    export DATABASE_URL="postgresql://postgres@127.0.0.1:${DB_PORT}/postgres"
    trap 'DB_NAME=postgres "$ROOT/scripts/db.sh" destroy >/dev/null 2>&1 || true' EXIT
    scripts/db.sh start
    scripts/db.sh migrate
fi

node scripts/gen-schema-docs.mjs "$@"
