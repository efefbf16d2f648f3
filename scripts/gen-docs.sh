#!/usr/bin/env bash
# npm run docs (docs:schema, docs:kpis): writes the generated documents from a database migrated with supabase/migrations:
#   schema  docs/schema.md   scripts/gen-schema-docs.mjs: the catalogs (tables, columns, comments, relations, policies,
#                            functions, jobs)
#   kpis    docs/kpis.md     scripts/gen-kpi-docs.mjs: the prose of docs/kpis.template.md with the KPI glossaries and
#                            the comments, catalogs and jobs behind them
#
#   scripts/gen-docs.sh [schema] [kpis]           throwaway cluster on GEN_DOCS_DB_PORT (default 54379): migrate,
#                                                 generate (both when none is named), remove the cluster
#   DATABASE_URL=… scripts/gen-docs.sh …          generate from that already migrated database
#   DATABASE_URL=… scripts/gen-docs.sh --check    exit 1 when a document is stale (each one says how to regenerate
#                                                 it); npm test runs this
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

docs=()
args=()
for a in "$@"; do
    case "$a" in
        schema | kpis) docs+=("$a") ;;
        --check) args+=("$a") ;;
        *) echo "gen-docs: unknown argument '$a' (schema, kpis, --check)" >&2; exit 2 ;;
    esac
done
[ ${#docs[@]} -gt 0 ] || docs=(schema kpis)

# shellcheck source=scripts/throwaway-db.sh
. "$ROOT/scripts/throwaway-db.sh"
throwaway_db gen-docs "${GEN_DOCS_DB_PORT:-54379}"

# every document is checked (or written) even when an earlier one is stale, so one run names them all
status=0
for d in "${docs[@]}"; do
    case "$d" in
        schema) node scripts/gen-schema-docs.mjs "${args[@]}" || status=1 ;;
        kpis) node scripts/gen-kpi-docs.mjs "${args[@]}" || status=1 ;;
    esac
done
exit "$status"
