# Sourced by the generators (scripts/gen-docs.sh, scripts/gen-types.sh): unless DATABASE_URL names a database already,
# starts a throwaway cluster in .local/<name>-db-<pid> on the given port, migrates it from supabase/migrations and
# destroys it when the calling script exits.
throwaway_db() { # throwaway_db <name> <port>
    [ -z "${DATABASE_URL:-}" ] || return 0
    export DB_DIR="$ROOT/.local/$1-db-$$"
    export DB_PORT="$2"
    export DB_FAST=1
    export DATABASE_URL="postgresql://postgres@127.0.0.1:${DB_PORT}/postgres"
    trap 'DB_NAME=postgres "$ROOT/scripts/db.sh" destroy >/dev/null 2>&1 || true' EXIT
    "$ROOT/scripts/db.sh" start
    "$ROOT/scripts/db.sh" migrate
}
