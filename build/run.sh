#!/usr/bin/env bash
# Runs Loupe locally: installs missing prerequisites (PostgreSQL, libargon2-1),
# builds the API (Release, the same build build/test.sh uses), starts a private
# PostgreSQL cluster under $LOUPE_DATA_DIR/postgres with the loupe_owner and
# loupe_app roles and the `loupe` database, creates the `demo` database of sample
# shop data once (with the read-only role loupe_demo_reader), then runs the API (with a
# node of the job engine in-process, Jobs__RunInApi=true) in
# the foreground; in Development its first start creates a demo organization.
# Ctrl-C / SIGTERM stops the API and the PostgreSQL this script started.
# Second and later starts reuse the cluster and the generated passwords.
#
# Environment (all optional):
#   LOUPE_DATA_DIR       data folder, default <repo>/.data (passwords in secrets/, 0600)
#   LOUPE_PORT           API port on 127.0.0.1, default 5080
#   LOUPE_PG_PORT        PostgreSQL port on 127.0.0.1, default 5433
#   LOUPE_CONFIGURATION  build configuration, default Release
#   LOUPE_DEMO           1 (default): the demo database and organization; 0: neither
#   ASPNETCORE_ENVIRONMENT  default Development
set -Eeuo pipefail

# shellcheck source=build/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=build/lib/postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"
# shellcheck source=build/lib/demo.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/demo.sh"

DATA_DIR="${LOUPE_DATA_DIR:-$LOUPE_REPO_ROOT/.data}"
mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd -P)"
cd "$LOUPE_REPO_ROOT"

API_PORT="${LOUPE_PORT:-5080}"
PG_PORT="${LOUPE_PG_PORT:-5433}"
CONFIGURATION="${LOUPE_CONFIGURATION:-Release}"
DEMO="${LOUPE_DEMO:-1}"
DATABASE=loupe
[[ "$API_PORT" =~ ^[0-9]+$ ]] || die "LOUPE_PORT must be a number"
[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "LOUPE_PG_PORT must be a number"
[[ "$DEMO" =~ ^[01]$ ]] || die "LOUPE_DEMO must be 1 or 0"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

ensure_prereqs
PG_BINDIR="$(pg_find_bindir)"

if port_in_use "$API_PORT"; then
  die "something already listens on 127.0.0.1:$API_PORT; stop it or set LOUPE_PORT"
fi

log "building src/Loupe.Api ($CONFIGURATION)"
dotnet build src/Loupe.Api/Loupe.Api.csproj -c "$CONFIGURATION" -nologo -v quiet
API_DLL="$(dotnet msbuild src/Loupe.Api/Loupe.Api.csproj -nologo -getProperty:TargetPath -p:Configuration="$CONFIGURATION")"
[[ -f "$API_DLL" ]] || die "built API not found at $API_DLL"

# --- Passwords (generated once, kept in 0600 files) --------------------------
SECRETS_DIR="$DATA_DIR/secrets"
(umask 077 && mkdir -p "$SECRETS_DIR")
chmod 0700 "$SECRETS_DIR"
SU_PASSWORD_FILE="$SECRETS_DIR/postgres-superuser.password"

# --- Where the cluster lives ---------------------------------------------------
# The cluster owner (postgres when we are root) must be able to reach it.
PG_HOME="$DATA_DIR/postgres"
if ! pg_can_reach "$DATA_DIR"; then
  PG_HOME="/var/lib/loupe/$(basename "$LOUPE_REPO_ROOT")-$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-12)"
  warn "the postgres user cannot reach $DATA_DIR (a parent folder is private),"
  warn "so the PostgreSQL cluster lives in $PG_HOME instead (passwords stay in $SECRETS_DIR)."
  mkdir -p "$(dirname "$PG_HOME")"
fi
pg_make_dir "$PG_HOME"
PGDATA_DIR="$PG_HOME/data"
PG_LOG="$PG_HOME/postgres.log"
PG_SOCKET_DIR="$PG_HOME/run"
# A unix socket path must fit in 107 bytes; fall back to a short folder.
if ((${#PG_SOCKET_DIR} + 20 > 107)); then
  PG_SOCKET_DIR="/tmp/loupe-pg-$(printf '%s' "$PG_HOME" | sha256sum | cut -c1-12)"
fi
pg_make_dir "$PG_SOCKET_DIR"

if [[ -f "$PGDATA_DIR/PG_VERSION" ]]; then
  [[ -s "$SU_PASSWORD_FILE" ]] ||
    die "cluster $PGDATA_DIR exists but $SU_PASSWORD_FILE is missing; delete $PG_HOME to start over"
  cluster_version="$(pg_cluster_version "$PGDATA_DIR")"
  if [[ "$cluster_version" != "$(pg_bin_version)" ]]; then
    if [[ -x "/usr/lib/postgresql/$cluster_version/bin/postgres" ]]; then
      PG_BINDIR="/usr/lib/postgresql/$cluster_version/bin"
    else
      die "cluster $PGDATA_DIR is PostgreSQL $cluster_version but only $(pg_bin_version) is installed; delete $PG_HOME to start over"
    fi
  fi
  SU_PASSWORD="$(read_or_create_secret "$SU_PASSWORD_FILE")"
  log "reusing PostgreSQL cluster $PGDATA_DIR"
else
  SU_PASSWORD="$(read_or_create_secret "$SU_PASSWORD_FILE")"
  log "creating PostgreSQL cluster $PGDATA_DIR"
  pg_init_cluster "$PGDATA_DIR" "$SU_PASSWORD"
fi
OWNER_PASSWORD="$(read_or_create_secret "$SECRETS_DIR/loupe_owner.password")"
APP_PASSWORD="$(read_or_create_secret "$SECRETS_DIR/loupe_app.password")"
# The demo database's read-only role; read by the API from the file (Demo__Password_FILE).
DEMO_PASSWORD_FILE="$SECRETS_DIR/$DEMO_READER.password"
DEMO_PASSWORD="$(read_or_create_secret "$DEMO_PASSWORD_FILE")"
# Written by the API when its first start creates the demo organization (0600).
DEMO_CREDENTIALS_FILE="$DATA_DIR/demo-credentials.txt"
# The access-token signing key, kept so that sign-ins survive a restart; read by the API from the file.
SIGNING_KEY_FILE="$SECRETS_DIR/auth-signing.key"
read_or_create_secret "$SIGNING_KEY_FILE" >/dev/null
# The key that encrypts data source passwords (base64 of 32 random bytes), kept so that stored
# passwords stay readable after a restart; read by the API from the file.
SECRETS_KEY_FILE="$SECRETS_DIR/secrets-local.key"
if [[ ! -s "$SECRETS_KEY_FILE" ]]; then
  (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$SECRETS_KEY_FILE.tmp" && mv "$SECRETS_KEY_FILE.tmp" "$SECRETS_KEY_FILE")
fi
chmod 0600 "$SECRETS_KEY_FILE"
[[ "$(<"$SECRETS_KEY_FILE")" =~ ^[A-Za-z0-9+/]{43}=$ ]] ||
  die "unexpected content in $SECRETS_KEY_FILE (expected base64 of 32 bytes)"

# --- Start / stop ------------------------------------------------------------
STARTED_PG=0
API_PID=""

# shellcheck disable=SC2317 # called from traps
stop_api() {
  [[ -n "$API_PID" ]] || return 0
  if kill -0 "$API_PID" 2>/dev/null; then
    kill -TERM "$API_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 300; i++)); do
      kill -0 "$API_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$API_PID" 2>/dev/null; then
      warn "the API did not stop within 30 s; killing it"
      kill -KILL "$API_PID" 2>/dev/null || true
    fi
  fi
  wait "$API_PID" 2>/dev/null || true
  API_PID=""
}

# shellcheck disable=SC2317 # called from traps
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_api
  if ((STARTED_PG)); then
    log "stopping PostgreSQL"
    pg_stop "$PGDATA_DIR"
  fi
  exit "$rc"
}

# shellcheck disable=SC2317 # called from traps
on_signal() {
  log "received SIG$1, stopping"
  stop_api
  # 128 + signal number, as if the signal had ended us.
  if [[ "$1" == INT ]]; then exit 130; else exit 143; fi
}

trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

if pg_is_running "$PGDATA_DIR"; then
  running_port="$(pg_running_port "$PGDATA_DIR")"
  log "PostgreSQL is already running from $PGDATA_DIR on port $running_port; reusing it (and leaving it running)"
  if [[ "$running_port" != "$PG_PORT" ]]; then
    warn "it listens on $running_port, not on LOUPE_PG_PORT=$PG_PORT; using $running_port"
    PG_PORT="$running_port"
  fi
else
  if port_in_use "$PG_PORT"; then
    die "something already listens on 127.0.0.1:$PG_PORT (another PostgreSQL?); stop it or set LOUPE_PG_PORT"
  fi
  pg_write_settings "$PGDATA_DIR" "$PG_PORT" "$PG_SOCKET_DIR"
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
  STARTED_PG=1
  if ! pg_start "$PGDATA_DIR" "$PG_LOG"; then
    tail -n 20 "$PG_LOG" >&2 || true
    die "PostgreSQL did not start; see $PG_LOG"
  fi
fi

pg_ensure_roles "$PG_PORT" "$SU_PASSWORD" "$OWNER_PASSWORD" "$APP_PASSWORD"
pg_ensure_database "$PG_PORT" "$SU_PASSWORD" "$DATABASE"
owned="$(pg_app_owned_relations "$PG_PORT" "$SU_PASSWORD" "$DATABASE")"
if [[ "$owned" != 0 ]]; then
  warn "loupe_app owns $owned relation(s) in $DATABASE; it must own none (migrations run as loupe_owner)"
fi
if ((DEMO)); then
  demo_ensure "$PG_PORT" "$SU_PASSWORD" "$DEMO_PASSWORD"
fi

# --- The API -----------------------------------------------------------------
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ASPNETCORE_URLS="http://127.0.0.1:$API_PORT"
export ConnectionStrings__Loupe="Host=127.0.0.1;Port=$PG_PORT;Database=$DATABASE;Username=loupe_app;Password=$APP_PASSWORD"
export Auth__SigningKey_FILE="$SIGNING_KEY_FILE"
export Secrets__ActiveKeyId=local
export Secrets__Keys__local_FILE="$SECRETS_KEY_FILE"
export App__PublicUrl="http://127.0.0.1:$API_PORT/"
export Mail__DropFolder="$DATA_DIR/mail"
# SQLite data sources: files placed here can be registered with a relative settings.path.
mkdir -p "$DATA_DIR/sqlite"
export DataSources__SqliteFolder="${DataSources__SqliteFolder:-$DATA_DIR/sqlite}"
export ConnectionStrings__LoupeOwner="Host=127.0.0.1;Port=$PG_PORT;Database=$DATABASE;Username=loupe_owner;Password=$OWNER_PASSWORD"
export LOUPE_DATA_DIR="$DATA_DIR"
# One process for a local run: the API also runs a node of the job engine.
export Jobs__RunInApi="${Jobs__RunInApi:-true}"
if ((DEMO)); then
  export Demo__Enabled=true
  export Demo__Host=127.0.0.1
  export Demo__Port="$PG_PORT"
  export Demo__Database="$DEMO_DATABASE"
  export Demo__Username="$DEMO_READER"
  export Demo__Password_FILE="$DEMO_PASSWORD_FILE"
  export Demo__CredentialsFile="$DEMO_CREDENTIALS_FILE"
else
  export Demo__Enabled=false
fi

base="http://127.0.0.1:$API_PORT"
cat >&2 <<EOF

  Loupe is starting ($ASPNETCORE_ENVIRONMENT, $CONFIGURATION build)
    API base    $base/api/v1
    OpenAPI UI  $base/docs
    Health      $base/health/ready
    PostgreSQL  127.0.0.1:$PG_PORT, database $DATABASE (passwords in $SECRETS_DIR)
EOF
if ((DEMO)); then
  printf '    Demo data   database %s, read-only role %s\n' "$DEMO_DATABASE" "$DEMO_READER" >&2
  if [[ -f "$DEMO_CREDENTIALS_FILE" ]]; then
    demo_print_credentials "$DEMO_CREDENTIALS_FILE" >&2
  elif [[ "$ASPNETCORE_ENVIRONMENT" == Development ]]; then
    printf '    Demo sign-in: printed by the API below when it creates the demo organization\n' >&2
  fi
fi
printf '  Press Ctrl-C to stop.\n\n' >&2

# The project folder is the content root (appsettings*.json), as with `dotnet run`.
# Running the built dll (not `dotnet run`) gives us the real process id to signal
# and keeps launchSettings.json from overriding the URLs above.
(cd src/Loupe.Api && exec dotnet "$API_DLL") &
API_PID=$!
rc=0
wait "$API_PID" || rc=$?
API_PID=""
log "the API exited with code $rc"
exit "$rc"
