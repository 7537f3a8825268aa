# shellcheck shell=bash
# Shared PostgreSQL helpers for build/run.sh and build/test.sh: create a private
# cluster, start/stop it, create the loupe_owner and loupe_app roles.
# Needs common.sh sourced first and PG_BINDIR set (see pg_find_bindir).
# PostgreSQL refuses to run as root, so when we are root the server-side tools
# run as the `postgres` system user; as an ordinary user they run directly.
# Secrets go to psql through stdin or PGPASSWORD, never on a command line.

PG_SUPERUSER=postgres

# Runs a server-side PostgreSQL command as the user owning the cluster.
pg_exec() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Creates folder $1 (mode 0700) for the cluster owner.
pg_make_dir() {
  mkdir -p "$1"
  if is_root; then
    chown postgres:postgres "$1"
  fi
  chmod 0700 "$1"
}

# Succeeds when the cluster owner can reach (traverse) existing folder $1.
pg_can_reach() {
  if is_root; then
    (cd / && runuser -u postgres -- test -x "$1") 2>/dev/null
  else
    test -x "$1"
  fi
}

# Writes stdin to file $1 as the cluster owner (mode 0600).
pg_write_file() {
  # shellcheck disable=SC2016 # $1 expands in the inner sh
  pg_exec sh -c 'umask 077 && cat >"$1"' sh "$1"
}

# pg_init_cluster DATADIR SUPERUSER_PASSWORD
# initdb with scram-sha-256 everywhere, a superuser named postgres, UTF-8, and
# a pg_hba.conf that only accepts the local socket and 127.0.0.1. Settings
# that may change between starts go to DATADIR/loupe.conf (pg_write_settings).
pg_init_cluster() {
  local datadir="$1" password="$2" pwfile output
  pwfile="$(dirname "$datadir")/.initdb-password"
  pg_make_dir "$datadir"
  printf '%s\n' "$password" | pg_write_file "$pwfile"
  if ! output="$(pg_exec "$PG_BINDIR/initdb" -D "$datadir" -U "$PG_SUPERUSER" \
    --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 --no-instructions 2>&1)"; then
    rm -f "$pwfile"
    printf '%s\n' "$output" >&2
    die "initdb failed for $datadir"
  fi
  rm -f "$pwfile"
  pg_write_file "$datadir/pg_hba.conf" <<'EOF'
# Written by build/lib/postgres.sh: password (SCRAM) logins only, local only.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
EOF
  printf "\n# Loupe: per-start settings written by build/lib/postgres.sh\ninclude_if_exists = 'loupe.conf'\n" |
    pg_exec tee -a "$datadir/postgresql.conf" >/dev/null
}

# pg_write_settings DATADIR PORT SOCKET_DIR [EXTRA_SETTING_LINES]
pg_write_settings() {
  local datadir="$1" port="$2" socket_dir="$3" extra="${4:-}"
  {
    printf '%s\n' "# Written by build/lib/postgres.sh on every start; edits are lost."
    printf '%s\n' "listen_addresses = '127.0.0.1'"
    printf 'port = %s\n' "$port"
    printf "unix_socket_directories = '%s'\n" "${socket_dir//\'/\'\'}"
    printf '%s\n' "password_encryption = 'scram-sha-256'"
    if [[ -n "$extra" ]]; then printf '%s\n' "$extra"; fi
  } | pg_write_file "$datadir/loupe.conf"
}

# Succeeds when a server is running from DATADIR $1.
pg_is_running() {
  pg_exec "$PG_BINDIR/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# Prints the port of the server running from DATADIR $1 (from postmaster.pid).
pg_running_port() {
  sed -n 4p "$1/postmaster.pid"
}

# pg_start DATADIR LOGFILE — waits until the server accepts connections.
# Returns non-zero (without dying) when it does not start; see the log file.
pg_start() {
  pg_exec "$PG_BINDIR/pg_ctl" -D "$1" -l "$2" -w -t 60 start >/dev/null 2>&1
}

# pg_stop DATADIR — fast shutdown; quiet, never fails.
pg_stop() {
  pg_exec "$PG_BINDIR/pg_ctl" -D "$1" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# Prints the major version of the cluster in DATADIR $1 and of PG_BINDIR.
pg_cluster_version() { cat "$1/PG_VERSION"; }
pg_bin_version() { "$PG_BINDIR/postgres" --version | awk '{ split($3, v, "."); print v[1] }'; }

# pg_psql PORT SUPERUSER_PASSWORD DATABASE [psql args...] — SQL on stdin.
pg_psql() {
  local port="$1" password="$2" database="$3"
  shift 3
  PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 PGAPPNAME=loupe-build \
    "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" -d "$database" "$@"
}

# pg_ensure_roles PORT SUPERUSER_PASSWORD OWNER_PASSWORD APP_PASSWORD
# Idempotent: creates loupe_owner and loupe_app when missing and (re)sets their
# attributes and passwords. Neither can create databases or roles or bypass RLS;
# loupe_app is never granted membership of loupe_owner.
pg_ensure_roles() {
  local port="$1" su_password="$2" owner_password="$3" app_password="$4"
  pg_psql "$port" "$su_password" postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'loupe_owner') THEN
    CREATE ROLE loupe_owner;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'loupe_app') THEN
    CREATE ROLE loupe_app;
  END IF;
END
\$\$;
ALTER ROLE loupe_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD '$owner_password';
ALTER ROLE loupe_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD '$app_password';
SQL
}

# pg_ensure_database PORT SUPERUSER_PASSWORD NAME — database NAME owned by
# loupe_owner; only loupe_owner and loupe_app (and superusers) may connect.
pg_ensure_database() {
  local port="$1" su_password="$2" name="$3"
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "bad database name: $name"
  pg_psql "$port" "$su_password" postgres <<SQL
SELECT format('CREATE DATABASE %I OWNER loupe_owner', '$name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$name') \gexec
ALTER DATABASE $name OWNER TO loupe_owner;
REVOKE ALL ON DATABASE $name FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $name TO loupe_app;
SQL
}

# Prints how many relations in database NAME loupe_app owns (must be 0).
pg_app_owned_relations() {
  local port="$1" su_password="$2" name="$3"
  pg_psql "$port" "$su_password" "$name" -At -c \
    "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'loupe_app'"
}

# Creates and starts a throwaway cluster under a new temporary folder named after $1
# (e.g. loupe-test), tuned for speed (no fsync), with the owner and application roles.
# Tries ports from FIRST_PORT upward; a failed start (port taken meanwhile, e.g. by a
# parallel run) moves on to the next one. Sets TMP_DIR, PG_HOME, PGDATA_DIR, PG_STARTED,
# port, SU_PASSWORD, OWNER_PASSWORD and APP_PASSWORD for the caller (whose EXIT trap
# stops the cluster and removes TMP_DIR).
pg_start_throwaway() {
  local prefix="$1"
  TMP_DIR="$(mktemp -d "/tmp/$prefix.XXXXXXXX")"
  chmod 0711 "$TMP_DIR" # the postgres user must traverse it when we are root
  PG_HOME="$TMP_DIR/pg"
  PGDATA_DIR="$PG_HOME/data"
  pg_make_dir "$PG_HOME"
  SU_PASSWORD="$(new_secret)"
  OWNER_PASSWORD="$(new_secret)"
  APP_PASSWORD="$(new_secret)"

  log "creating a throwaway PostgreSQL in $PG_HOME"
  pg_init_cluster "$PGDATA_DIR" "$SU_PASSWORD"
  local fast_settings="fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200"

  port=$FIRST_PORT
  local started=0 attempt
  for ((attempt = 0; attempt < 20; attempt++)); do
    while port_in_use "$port"; do port=$((port + 1)); done
    pg_write_settings "$PGDATA_DIR" "$port" "$PG_HOME" "$fast_settings"
    PG_STARTED=1
    if pg_start "$PGDATA_DIR" "$PG_HOME/postgres.log"; then
      started=1
      break
    fi
    PG_STARTED=0
    port=$((port + 1))
  done
  if ((!started)); then
    tail -n 20 "$PG_HOME/postgres.log" >&2 || true
    die "the throwaway PostgreSQL did not start"
  fi
  log "PostgreSQL listens on 127.0.0.1:$port"
  pg_ensure_roles "$port" "$SU_PASSWORD" "$OWNER_PASSWORD" "$APP_PASSWORD"
}
