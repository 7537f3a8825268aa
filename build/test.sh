#!/usr/bin/env bash
# Builds and tests Loupe against a throwaway PostgreSQL:
#   1. installs missing prerequisites (PostgreSQL, libargon2-1), like build/run.sh,
#      and Debian's chromium for the browser tests (exported as LOUPE_TEST_CHROMIUM);
#   2. starts a private PostgreSQL in a temp folder on a free port (fsync off)
#      with the roles loupe_owner and loupe_app, and exports for the tests
#        LOUPE_TEST_ADMIN_CONNECTION  superuser, Database=postgres
#        LOUPE_TEST_OWNER_CONNECTION  loupe_owner, no Database key
#        LOUPE_TEST_APP_CONNECTION    loupe_app, no Database key
#      (Npgsql key=value strings; the tests create their own databases);
#      and a second cluster (a copy of the first one's initdb) that tests may
#      stop and start, PostgreSQL restarted under load (docs/quality-targets.md), with
#        LOUPE_TEST_RESTART_ADMIN_CONNECTION, _OWNER_CONNECTION, _APP_CONNECTION
#        LOUPE_TEST_RESTART_CONTROL   a script: stop | start | restart it;
#   3. dotnet restore, dotnet format --verify-no-changes, dotnet build -c Release,
#      dotnet test -c Release --no-build (TRX results are summed);
#   4. prints ONE last line "N passed, M failed" (", K skipped" when K > 0),
#      exits non-zero on any failure, and always stops both clusters and
#      removes the temp folder.
# Extra arguments go to `dotnet test`, e.g.
#   ./build/test.sh --filter "FullyQualifiedName~Dashboards"
# Environment (optional): LOUPE_TEST_RESULTS_DIR keeps the TRX files there
# (default: inside the temp folder, removed at the end); LOUPE_TEST_SCREENSHOTS_DIR
# is where the browser tests save their screenshots (default: TestResults/screenshots
# in the checkout, emptied at the start of each run and kept after it).
set -Eeuo pipefail

# shellcheck source=build/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=build/lib/postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"

cd "$LOUPE_REPO_ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
SOLUTION=Loupe.sln
FIRST_PORT=55432
RESTART_FIRST_PORT=57432 # apart from the ports parallel runs probe (test 55432+, bench 56432+)
START_SECONDS=$SECONDS

TMP_DIR=""
PGDATA_DIR=""
PG_STARTED=0
PG2DATA_DIR=""
PG2_STARTED=0
SUMMARY=""

# shellcheck disable=SC2317 # called from the EXIT trap
finish() {
  local rc=$?
  trap - EXIT INT TERM
  if ((PG_STARTED)); then
    pg_stop "$PGDATA_DIR"
  fi
  if ((PG2_STARTED)); then
    pg_stop "$PG2DATA_DIR"
  fi
  if [[ -n "$TMP_DIR" ]]; then
    rm -rf "$TMP_DIR"
  fi
  # Anything that ended the run before the tests counted is one failure.
  if [[ -z "$SUMMARY" ]]; then
    ((rc != 0)) || rc=1
    SUMMARY="0 passed, 1 failed"
  fi
  log "total time $((SECONDS - START_SECONDS)) s"
  printf '%s\n' "$SUMMARY"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs one stage; on failure prints why and ends the run (summary: 1 failed).
stage() {
  local name="$1" hint="$2"
  shift 2
  log "$name"
  if ! "$@"; then
    printf '\nFAILED: %s. %s\n\n' "$name" "$hint" >&2
    exit 1
  fi
}

ensure_prereqs
ensure_chromium
# The browser tests drive this Chromium through Playwright; Playwright never downloads one of its own.
LOUPE_TEST_CHROMIUM="$(chromium_path)"
export LOUPE_TEST_CHROMIUM PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
PG_BINDIR="$(pg_find_bindir)"

# --- Throwaway PostgreSQL ------------------------------------------------------
pg_start_throwaway loupe-test "$RESTART_FIRST_PORT"

export LOUPE_TEST_ADMIN_CONNECTION="Host=127.0.0.1;Port=$port;Database=postgres;Username=$PG_SUPERUSER;Password=$SU_PASSWORD"
export LOUPE_TEST_OWNER_CONNECTION="Host=127.0.0.1;Port=$port;Username=loupe_owner;Password=$OWNER_PASSWORD"
export LOUPE_TEST_APP_CONNECTION="Host=127.0.0.1;Port=$port;Username=loupe_app;Password=$APP_PASSWORD"

# The cluster tests may restart (the one above is shared by every test and never restarted).
pg_write_control_script "$TMP_DIR/restart-postgres" "$PG2DATA_DIR"
export LOUPE_TEST_RESTART_ADMIN_CONNECTION="Host=127.0.0.1;Port=$port2;Database=postgres;Username=$PG_SUPERUSER;Password=$SU_PASSWORD"
export LOUPE_TEST_RESTART_OWNER_CONNECTION="Host=127.0.0.1;Port=$port2;Username=loupe_owner;Password=$OWNER_PASSWORD"
export LOUPE_TEST_RESTART_APP_CONNECTION="Host=127.0.0.1;Port=$port2;Username=loupe_app;Password=$APP_PASSWORD"
export LOUPE_TEST_RESTART_CONTROL="$TMP_DIR/restart-postgres"

# --- Restore, format, build ----------------------------------------------------
stage "dotnet restore" "Check the package feed and Directory.Packages.props." \
  dotnet restore "$SOLUTION" -nologo
stage "dotnet format (verify)" "Code style or whitespace differs; run 'dotnet format $SOLUTION' and commit the result." \
  dotnet format "$SOLUTION" --verify-no-changes --no-restore
stage "dotnet build (Release)" "Fix the compile errors above (warnings are errors)." \
  dotnet build "$SOLUTION" -c Release --no-restore -nologo

# --- Test ------------------------------------------------------------------------
RESULTS_DIR="${LOUPE_TEST_RESULTS_DIR:-$TMP_DIR/results}"
mkdir -p "$RESULTS_DIR"
RESULTS_DIR="$(cd "$RESULTS_DIR" && pwd -P)"
find "$RESULTS_DIR" -maxdepth 1 -name 'loupe*.trx' -delete
export LOUPE_TEST_RESULTS_DIR="$RESULTS_DIR"
# The browser tests' screenshots (every page, and any page a test failed on) outlive the run: they
# are the run's artifacts, kept in the checkout's TestResults/ (ignored by git) unless told otherwise.
SCREENSHOTS_DIR="${LOUPE_TEST_SCREENSHOTS_DIR:-$LOUPE_REPO_ROOT/TestResults/screenshots}"
rm -rf "$SCREENSHOTS_DIR" && mkdir -p "$SCREENSHOTS_DIR"
export LOUPE_TEST_SCREENSHOTS_DIR="$SCREENSHOTS_DIR"
log "dotnet test (Release)"
# One TRX per test assembly (LogFilePrefix makes the names unique). A test that
# hangs for 5 minutes aborts its test host, which then counts as a failure.
if dotnet test "$SOLUTION" -c Release --no-build --nologo \
  --results-directory "$RESULTS_DIR" --logger "trx;LogFilePrefix=loupe" \
  --blame-hang-timeout 5m --blame-hang-dump-type none "$@" 2>&1 | tee "$TMP_DIR/dotnet-test.log"; then
  test_rc=0
else
  test_rc=${PIPESTATUS[0]}
fi
# How many test assemblies dotnet test started; each should leave one TRX file.
assemblies="$(grep -c '^Test run for ' "$TMP_DIR/dotnet-test.log" || true)"

# --- Sum the TRX counters ----------------------------------------------------------
passed=0 failed=0 skipped=0 trx_count=0
counter() { # counter NAME COUNTERS_ELEMENT -> the attribute's value or 0
  local re="[[:space:]]$1=\"([0-9]+)\""
  if [[ "$2" =~ $re ]]; then printf '%s' "${BASH_REMATCH[1]}"; else printf 0; fi
}
while IFS= read -r -d '' trx; do
  trx_count=$((trx_count + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" || true)"
  outcome="$(grep -o '<ResultSummary outcome="[^"]*"' "$trx" | sed 's/.*outcome="//; s/"$//' || true)"
  f=$(($(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") + $(counter aborted "$counters")))
  passed=$((passed + $(counter passed "$counters")))
  # Skipped tests: results with outcome NotExecuted (not in the counters).
  not_executed="$(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l || true)"
  skipped=$((skipped + not_executed))
  case "$outcome" in
    Completed | Passed | Warning) ;;
    *)
      # Aborted run (crashed or hung test host): at least one failure.
      if ((f == 0)); then
        warn "$(basename "$trx"): run outcome '${outcome:-unknown}' with no failed test; counting 1 failure"
        f=1
      fi
      ;;
  esac
  failed=$((failed + f))
done < <(find "$RESULTS_DIR" -maxdepth 1 -name 'loupe*.trx' -print0)

if ((trx_count < assemblies)); then
  warn "$assemblies test assemblies ran but only $trx_count TRX file(s) were written; counting each missing one as a failure"
  failed=$((failed + assemblies - trx_count))
fi
if ((test_rc != 0 && failed == 0)); then
  warn "dotnet test exited with code $test_rc but the $trx_count TRX file(s) show no failure (crashed test host or missing results); counting 1 failure"
  failed=1
fi

SUMMARY="$passed passed, $failed failed"
((skipped == 0)) || SUMMARY+=", $skipped skipped"
if ((failed > 0 || test_rc != 0)); then
  exit 1
fi
exit 0
