#!/usr/bin/env bash
# Finds or builds daprd (stablecomponents) and the Dapr Scheduler for the real
# stack, and prints their paths on stdout as `daprd <path>` / `scheduler <path>`.
# Progress goes to stderr.
#
# Lookup order: $DAPRD_BIN + $SCHEDULER_BIN, then ~/.dapr/bin (dapr init --slim),
# then the cache ~/.cache/realstack/dapr-<version>/, else a build from the Go
# module proxy (10-20 min on 2 cores the first time; the module and build
# caches make a rebuild about a minute).
#
# Why DAPR_VERSION=v1.18.2: the Go proxy reachable here filters some module
# versions (403 "This module version is not available"). v1.18.3 and v1.18.4
# need durabletask-go v0.12.4/v0.12.5 and a pulsar-client-go fork that it does
# not serve; v1.18.0/v1.18.1 need a go-etcd-cron zip it does not serve;
# v1.18.2 is the newest release whose whole module closure is served, so it
# builds unpatched. See docs/real-stack.md.
set -euo pipefail

DAPR_VERSION="${DAPR_VERSION:-v1.18.2}"
CACHE_DIR="${REALSTACK_CACHE:-$HOME/.cache/realstack}"
OUT="$CACHE_DIR/dapr-$DAPR_VERSION"
log() { echo "build-dapr: $*" >&2; }

report() {
  echo "daprd $1"
  echo "scheduler $2"
}

if [[ -n "${DAPRD_BIN:-}" ]]; then
  scheduler="${SCHEDULER_BIN:-$(dirname "$DAPRD_BIN")/scheduler}"
  [[ -x "$DAPRD_BIN" && -x "$scheduler" ]] || { log "DAPRD_BIN=$DAPRD_BIN needs an executable scheduler next to it or in SCHEDULER_BIN"; exit 1; }
  log "using DAPRD_BIN ($("$DAPRD_BIN" --version))"
  report "$DAPRD_BIN" "$scheduler"
  exit 0
fi

slim="${DAPR_RUNTIME_PATH:-$HOME}/.dapr/bin"
if [[ -x "$slim/daprd" && -x "$slim/scheduler" ]]; then
  log "using $slim ($("$slim/daprd" --version))"
  report "$slim/daprd" "$slim/scheduler"
  exit 0
fi

if [[ -x "$OUT/daprd" && -x "$OUT/scheduler" ]]; then
  log "cached $OUT ($("$OUT/daprd" --version))"
  report "$OUT/daprd" "$OUT/scheduler"
  exit 0
fi

command -v go >/dev/null || { log "go is not installed"; exit 1; }
# With an older Go (Debian's golang-go), "auto" fetches the Go that dapr's go.mod names (1.26.x) from the proxy.
export CGO_ENABLED=0 GOWORK=off GOTOOLCHAIN=auto GOFLAGS=-buildvcs=false
started=$(date +%s)
log "building Dapr $DAPR_VERSION from the Go module proxy into $OUT"
src=$(go mod download -json "github.com/dapr/dapr@$DAPR_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
# The module cache is read-only; build in a copy where dapr is the main module,
# so its go.mod replaces and go.sum apply (go install @version refuses replaces).
work=$(mktemp -d "${TMPDIR:-/tmp}/dapr-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$src"/. "$work"/
chmod -R u+w "$work"
cd "$work"
ld="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION#v} -X github.com/dapr/kit/logger.DaprVersion=${DAPR_VERSION#v}"
mkdir -p "$OUT.tmp"
# stablecomponents holds pubsub.kafka, state.redis and secretstores.local.file;
# without a tag daprd panics at start (cmd/daprd/components/zz_notag.go).
go build -trimpath -tags stablecomponents -ldflags "$ld" -o "$OUT.tmp/daprd" ./cmd/daprd
log "daprd built after $(( $(date +%s) - started )) s"
go build -trimpath -ldflags "$ld" -o "$OUT.tmp/scheduler" ./cmd/scheduler
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
log "built in $(( $(date +%s) - started )) s: $("$OUT/daprd" --version)"
report "$OUT/daprd" "$OUT/scheduler"
