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

# Settings of every throwaway cluster: fast rather than durable. The test run starts many Loupe
# hosts side by side (one per test class, each with its pools, engine, listeners and schedule ticks);
# 200 connections ran out once schedules, alerts and webhooks came, so 400.
PG_THROWAWAY_SETTINGS="fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 400"

# pg_start_on_free_port DATADIR HOME FIRST_PORT STARTED_VAR
# Starts the cluster in DATADIR (log: HOME/postgres.log, socket in HOME) with the throwaway
# settings on the first free port from FIRST_PORT upward; a failed start (port taken meanwhile,
# e.g. by a parallel run) moves on to the next one. Sets `port`, and the variable named STARTED_VAR
# to 1 while a server may be running (for the caller's EXIT trap). Dies when no start succeeds.
pg_start_on_free_port() {
  local datadir="$1" home="$2" started_var="$4" attempt
  port="$3"
  for ((attempt = 0; attempt < 20; attempt++)); do
    while port_in_use "$port"; do port=$((port + 1)); done
    pg_write_settings "$datadir" "$port" "$home" "$PG_THROWAWAY_SETTINGS"
    printf -v "$started_var" 1
    if pg_start "$datadir" "$home/postgres.log"; then
      log "PostgreSQL ($datadir) listens on 127.0.0.1:$port"
      return 0
    fi
    printf -v "$started_var" 0
    port=$((port + 1))
  done
  tail -n 20 "$home/postgres.log" >&2 || true
  die "the throwaway PostgreSQL in $datadir did not start"
}

# pg_start_throwaway PREFIX [SECOND_FIRST_PORT]
# Creates and starts a throwaway cluster under a new temporary folder named after PREFIX
# (e.g. loupe-test), tuned for speed (no fsync), with the owner and application roles, on a free
# port from FIRST_PORT upward. Sets TMP_DIR, PG_HOME, PGDATA_DIR, PG_STARTED, port, SU_PASSWORD,
# OWNER_PASSWORD and APP_PASSWORD for the caller (whose EXIT trap stops the cluster and removes
# TMP_DIR).
# With SECOND_FIRST_PORT it also starts a second cluster, a copy of the first one's fresh initdb
# (no second initdb) in TMP_DIR/pg2, on a free port from SECOND_FIRST_PORT upward, with the same
# roles and passwords; it sets PG2_HOME, PG2DATA_DIR, PG2_STARTED and port2 (the caller's EXIT trap
# stops it too). Tests may stop and start that one without disturbing the first.
pg_start_throwaway() {
  local prefix="$1" second_first_port="${2:-}"
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
  if [[ -n "$second_first_port" ]]; then
    PG2_HOME="$TMP_DIR/pg2"
    PG2DATA_DIR="$PG2_HOME/data"
    pg_make_dir "$PG2_HOME"
    # Copied before the first start: a clean, shut-down data directory.
    pg_exec cp -a "$PGDATA_DIR" "$PG2DATA_DIR"
  fi

  pg_start_on_free_port "$PGDATA_DIR" "$PG_HOME" "$FIRST_PORT" PG_STARTED
  pg_ensure_roles "$port" "$SU_PASSWORD" "$OWNER_PASSWORD" "$APP_PASSWORD"
  if [[ -n "$second_first_port" ]]; then
    local port1="$port"
    pg_start_on_free_port "$PG2DATA_DIR" "$PG2_HOME" "$second_first_port" PG2_STARTED
    port2="$port"
    port="$port1"
    pg_ensure_roles "$port2" "$SU_PASSWORD" "$OWNER_PASSWORD" "$APP_PASSWORD"
  fi
}

# pg_write_control_script FILE DATADIR
# Writes FILE, an executable script that stops (`stop`, fast mode), starts (`start`) or restarts
# (`restart`: stop, then start) the cluster in DATADIR as its owner, waiting until done; the server
# logs to DATADIR/../postgres.log. For tests that restart a cluster they were given.
pg_write_control_script() {
  local file="$1" datadir="$2" runner=""
  if is_root; then runner="runuser -u postgres --"; fi
  {
    printf '%s\n' '#!/usr/bin/env bash' "# Written by build/lib/postgres.sh: stop|start|restart the PostgreSQL in $datadir."
    printf 'PG_CTL=(%s %q -D %q -w -t 60)\n' "$runner" "$PG_BINDIR/pg_ctl" "$datadir"
    printf 'LOG_FILE=%q\n' "$(dirname "$datadir")/postgres.log"
    cat <<'SCRIPT'
set -euo pipefail
cd /
case "${1:-}" in
  stop) "${PG_CTL[@]}" -m fast stop ;;
  start) "${PG_CTL[@]}" -l "$LOG_FILE" start ;;
  restart) "$0" stop && "$0" start ;;
  *) echo "usage: $0 stop|start|restart" >&2 && exit 2 ;;
esac
SCRIPT
  } >"$file"
  chmod 0700 "$file"
}
