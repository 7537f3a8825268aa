# shellcheck shell=bash
# The demo shop of build/run.sh: a `demo` database in the local cluster, filled once by
# build/demo/demo.sql (products, customers, orders, order items; deterministic), owned by the
# NOLOGIN role loupe_demo_owner and readable by the LOGIN role loupe_demo_reader, which may only
# connect, use the public schema and SELECT, and whose transactions are read-only by default.
# Needs common.sh and postgres.sh sourced first and PG_BINDIR set. Nothing here prints a secret,
# except demo_print_credentials: the demo sign-in of a local Development instance, on purpose.

DEMO_DATABASE=demo
DEMO_OWNER=loupe_demo_owner
DEMO_READER=loupe_demo_reader

# demo_ensure_roles PORT SUPERUSER_PASSWORD READER_PASSWORD
# Idempotent: creates the two roles when missing and (re)sets their attributes and the reader's password.
demo_ensure_roles() {
  local port="$1" su_password="$2" reader_password="$3"
  pg_psql "$port" "$su_password" postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DEMO_OWNER') THEN
    CREATE ROLE $DEMO_OWNER;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DEMO_READER') THEN
    CREATE ROLE $DEMO_READER;
  END IF;
END
\$\$;
ALTER ROLE $DEMO_OWNER WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE $DEMO_READER WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT
  CONNECTION LIMIT 20 PASSWORD '$reader_password';
ALTER ROLE $DEMO_READER SET default_transaction_read_only = on;
SQL
}

# Succeeds when database $3 exists.
demo_database_exists() {
  local port="$1" su_password="$2" name="$3"
  [[ "$(pg_psql "$port" "$su_password" postgres -At -c "SELECT count(*) FROM pg_database WHERE datname = '$name'")" == 1 ]]
}

# demo_fill PORT SUPERUSER_PASSWORD — creates and fills the demo database. It is filled under a
# temporary name and renamed when complete, so an interrupted fill is started over next time
# instead of leaving a half-filled `demo`.
demo_fill() {
  local port="$1" su_password="$2" loading="${DEMO_DATABASE}_loading"
  pg_psql "$port" "$su_password" postgres <<SQL
SELECT format('DROP DATABASE %I', '$loading') WHERE EXISTS (SELECT FROM pg_database WHERE datname = '$loading') \gexec
CREATE DATABASE $loading OWNER $DEMO_OWNER;
SQL
  # The tables belong to the owner role, not to the superuser that connects.
  pg_psql "$port" "$su_password" "$loading" -c "SET ROLE $DEMO_OWNER" -f "$LOUPE_REPO_ROOT/build/demo/demo.sql"
  pg_psql "$port" "$su_password" postgres -c "ALTER DATABASE $loading RENAME TO $DEMO_DATABASE"
}

# demo_grant PORT SUPERUSER_PASSWORD — idempotent: only the reader (and superusers) may connect;
# the reader may use the public schema and read its tables, nothing more.
demo_grant() {
  local port="$1" su_password="$2"
  pg_psql "$port" "$su_password" "$DEMO_DATABASE" <<SQL
ALTER DATABASE $DEMO_DATABASE OWNER TO $DEMO_OWNER;
REVOKE ALL ON DATABASE $DEMO_DATABASE FROM PUBLIC;
GRANT CONNECT ON DATABASE $DEMO_DATABASE TO $DEMO_READER;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $DEMO_READER;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $DEMO_READER;
ALTER DEFAULT PRIVILEGES FOR ROLE $DEMO_OWNER IN SCHEMA public GRANT SELECT ON TABLES TO $DEMO_READER;
SQL
}

# demo_ensure PORT SUPERUSER_PASSWORD READER_PASSWORD — roles, database (filled when missing), grants.
demo_ensure() {
  local port="$1" su_password="$2" reader_password="$3" started
  demo_ensure_roles "$port" "$su_password" "$reader_password"
  if ! demo_database_exists "$port" "$su_password" "$DEMO_DATABASE"; then
    log "creating the demo database '$DEMO_DATABASE' (sample shop data, once; about 10 s)"
    started="$(date +%s%N)"
    demo_fill "$port" "$su_password"
    log "demo database filled in $((($(date +%s%N) - started) / 1000000)) ms"
  fi
  demo_grant "$port" "$su_password"
}

# demo_print_credentials FILE — "Demo sign-in: EMAIL / PASSWORD" from the file the API wrote at
# its first start (lines email=… and password=…); nothing when the file is missing.
demo_print_credentials() {
  local file="$1" email password
  [[ -f "$file" ]] || return 0
  email="$(sed -n 's/^email=//p' "$file")"
  password="$(sed -n 's/^password=//p' "$file")"
  if [[ -n "$email" && -n "$password" ]]; then
    printf '    Demo sign-in: %s / %s\n' "$email" "$password"
  fi
}
