# shellcheck shell=bash
# Shared helpers for build/*.sh: logging, privilege handling, prerequisites
# (PostgreSQL server + client, libargon2-1, chromium for the browser tests) and secret files.
# Source it; do not execute it. Nothing here ever prints a secret.

# Repository root: this file lives in <root>/build/lib/.
LOUPE_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export LOUPE_REPO_ROOT

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# Names the failing command when `set -e` ends a script unexpectedly.
trap 'printf "ERROR: command failed (exit %s) at %s:%s: %s\n" "$?" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Runs a command as root: plainly when we are root, through sudo otherwise.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (install sudo or run as root)"
  fi
}

# Prints the PostgreSQL bin directory holding initdb, pg_ctl, postgres and psql:
# `pg_config --bindir` when it has them, else the highest /usr/lib/postgresql/*/bin.
# Returns 1 when there is none.
pg_find_bindir() {
  local dir candidates=()
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    [[ -n "$dir" ]] && candidates+=("$dir")
  fi
  while IFS= read -r dir; do
    candidates+=("$dir")
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -rV)
  for dir in "${candidates[@]}"; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" && -x "$dir/psql" ]]; then
      printf '%s\n' "$dir"
      return 0
    fi
  done
  return 1
}

have_libargon2() {
  if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' libargon2-1 2>/dev/null | grep -q 'install ok installed' && return 0
  fi
  ldconfig -p 2>/dev/null | grep -q 'libargon2\.so\.1'
}

# Installs what is missing (PostgreSQL server and client, libargon2-1) with apt-get;
# runs `apt-get update` only when something is missing. Checks for dotnet too.
ensure_prereqs() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is not installed (see global.json for the version)"
  local missing=()
  pg_find_bindir >/dev/null || missing+=(postgresql postgresql-client)
  have_libargon2 || missing+=(libargon2-1)
  if ((${#missing[@]} > 0)); then
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    log "installing ${missing[*]} with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    pg_find_bindir >/dev/null || die "PostgreSQL binaries still not found after installing"
    have_libargon2 || die "libargon2-1 still not found after installing"
  fi
  if is_root; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' system user to run PostgreSQL as"
  fi
}

# Prints the path of Debian's chromium, or returns 1 when it is not installed.
chromium_path() {
  local candidate
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [[ -x "$candidate" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# Installs Debian's chromium (the browser tests' headless browser) with apt-get when it is missing.
ensure_chromium() {
  chromium_path >/dev/null && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing chromium and no apt-get to install it"
  log "installing chromium with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
  chromium_path >/dev/null || die "chromium still not found after installing"
}

# Prints a new random secret: 48 hex characters (192 bits). Hex needs no quoting
# in SQL literals or in Npgsql connection strings.
new_secret() {
  od -An -tx1 -N24 /dev/urandom | tr -d ' \n'
}

# Prints the secret stored in file $1, creating the file (mode 0600, folder 0700)
# with a new secret when it does not exist yet.
read_or_create_secret() {
  local file="$1" secret
  if [[ ! -s "$file" ]]; then
    (umask 077 && mkdir -p "$(dirname "$file")" && new_secret >"$file.tmp" && mv "$file.tmp" "$file")
  fi
  chmod 0600 "$file"
  secret="$(<"$file")"
  [[ "$secret" =~ ^[A-Za-z0-9]+$ ]] || die "unexpected content in secret file $file (expected letters and digits only)"
  printf '%s' "$secret"
}

# Succeeds when something already accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
