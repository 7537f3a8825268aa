#!/usr/bin/env bash
# Runs Loupe's benchmarks (the performance targets of docs/quality-targets.md)
# against a throwaway PostgreSQL, started as build/test.sh starts it (same
# helpers, same settings), and prints each figure with the baseline measured in
# the same run. Nothing here asserts a target:
# read the figures. Not part of the test command.
#
#   ./build/bench.sh [SECTION...]     SECTION: results | jobs | login | dashboards | webhooks | schedules | all (default: all)
#
# Sections (add one: write a bench_NAME function and list NAME in SECTIONS):
#   results   stored results, ADR 0022: P5 CSV export vs psql \copy, P6 peak
#             memory 1M vs 100k rows, P7 page latency vs OFFSET/LIMIT, the
#             write path, and the chunk codecs side by side.
#   jobs      runs on the job engine, ADRs 0021 and 0023, full runs (CreateRun
#             command, query.run job, RunQueryJobHandler, connector guard,
#             result store) on one engine node in the bench process: P3 queued
#             -> started beside a probe job and bare round trips, P4 runs/s
#             beside probe jobs/s and the connector alone, and fairness (ADR
#             0030): a third organization's queued -> started while two others
#             flood the node. Then the engine beside Hangfire (ADR 0021,
#             amended): Hangfire.Core with Hangfire.PostgreSql in a schema of
#             this database, as many workers as the node has slots, the same
#             do-nothing job; the two take turns: queued -> started, backlogs
#             drained, round trips per job, and the load average before and
#             after. About 4-6 minutes in all.
#   login     refused sign-ins, ADRs 0014 and 0018: the median time of a wrong
#             password for a known address beside unknown addresses (200 each,
#             interleaved, LoginCommand through the mediator pipeline), and the
#             baseline: one Argon2id verification alone. About 10 seconds.
#   dashboards  dashboards, ADR 0056, through the real API host over HTTP: P1 a
#             cached GET /dashboards/{id} of 20 tiles and its 304 revalidation,
#             requests/s under wrk beside an authenticated no-op endpoint of
#             the same host; the first (uncached) GET's p50/p99; P2 the first
#             and a deep page of GET /dashboards and GET /visualizations with
#             100,000 rows in the organization. Installs wrk (Debian package)
#             when it is missing. About 2 minutes.
#   webhooks  P9, ADRs 0061-0062: 1,000 events (100 in each of 10
#             organizations) delivered by one worker node to a receiver on
#             this machine, beside the baseline of the same 1,000 signed POSTs
#             sent straight to it, with the handlers' p50/p99; 1,000 more
#             traced (round trips per delivery, by kind, and their mean time);
#             then 1,000 more with the receiver failing
#             half its answers at random: every event delivered once by its
#             idempotency key, none lost (counted at the receiver and in the
#             rows; dead-lettered ones redelivered). About 1 minute.
#   schedules schedules on the job engine, ADR 0064: P8 10,000 schedules of one
#             organization due on the same minute, two worker processes
#             ticking side by side; runs made, missed and doubled counted from
#             the rows, and the time from the minute to the last run queued
#             (target: within 5 s); the baseline, the time to insert 10,000
#             runs in one statement. About 2 minutes. LOUPE_BENCH_SCHEDULES
#             (default 10000) sets the number of schedules.
# Environment (optional): LOUPE_BENCH_ROWS (default 1000000) for the results
# section, LOUPE_BENCH_RUNS (default 5000) for the jobs section (the Hangfire
# comparison drains at most 2000 jobs per backlog); smaller numbers give a
# quick look, not the figures the targets are stated for.
set -Eeuo pipefail

# shellcheck source=build/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=build/lib/postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"

cd "$LOUPE_REPO_ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
SECTIONS=(results jobs login dashboards webhooks schedules)
BENCH_PROJECT=bench/Loupe.Benchmarks/Loupe.Benchmarks.csproj
BENCH_BIN=bench/Loupe.Benchmarks/bin/Release/net10.0/Loupe.Benchmarks
FIRST_PORT=56432

usage() {
  printf 'usage: %s [%s|all]...\n' "$0" "$(
    IFS='|'
    printf '%s' "${SECTIONS[*]}"
  )" >&2
  exit 2
}

# --- Which sections ----------------------------------------------------------------
selected=()
for arg in "${@:-all}"; do
  case "$arg" in
    all) selected+=("${SECTIONS[@]}") ;;
    -h | --help) usage ;;
    *)
      known=0
      for section in "${SECTIONS[@]}"; do [[ "$arg" == "$section" ]] && known=1; done
      ((known)) || usage
      selected+=("$arg")
      ;;
  esac
done

# --- Sections ------------------------------------------------------------------------
bench_results() {
  "$BENCH_BIN" results
}

bench_jobs() {
  "$BENCH_BIN" jobs
}

bench_login() {
  "$BENCH_BIN" login
}

bench_schedules() {
  "$BENCH_BIN" schedules
}

bench_dashboards() {
  if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk (the HTTP load generator of the dashboards section) with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >&2
  fi
  "$BENCH_BIN" dashboards
}

bench_webhooks() {
  "$BENCH_BIN" webhooks
}

TMP_DIR=""
PGDATA_DIR=""
PG_STARTED=0

# shellcheck disable=SC2317 # called from the EXIT trap
finish() {
  local rc=$?
  trap - EXIT INT TERM
  if ((PG_STARTED)); then
    pg_stop "$PGDATA_DIR"
  fi
  if [[ -n "$TMP_DIR" ]]; then
    rm -rf "$TMP_DIR"
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_prereqs
PG_BINDIR="$(pg_find_bindir)"

# --- Throwaway PostgreSQL (as build/test.sh) ------------------------------------------
pg_start_throwaway loupe-bench

export LOUPE_BENCH_ADMIN_CONNECTION="Host=127.0.0.1;Port=$port;Database=postgres;Username=$PG_SUPERUSER;Password=$SU_PASSWORD"
export LOUPE_BENCH_OWNER_CONNECTION="Host=127.0.0.1;Port=$port;Username=loupe_owner;Password=$OWNER_PASSWORD"
export LOUPE_BENCH_APP_CONNECTION="Host=127.0.0.1;Port=$port;Username=loupe_app;Password=$APP_PASSWORD"
export LOUPE_BENCH_PSQL="$PG_BINDIR/psql"

# --- Build, then each section ------------------------------------------------------------
log "dotnet build $BENCH_PROJECT (Release)"
dotnet build "$BENCH_PROJECT" -c Release -nologo -v quiet >&2

for section in "${selected[@]}"; do
  log "section: $section"
  "bench_$section"
done
