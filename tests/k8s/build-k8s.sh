#!/usr/bin/env bash
# Finds or builds the Go parts of the one-node cluster and prints their
# directory on stdout as `<name> <dir>`. Progress goes to stderr.
#
#   kubernetes <dir>  kube-apiserver kube-controller-manager kube-scheduler
#                     kubelet kube-proxy kubeadm kubectl   (k8s.io/kubernetes)
#   coredns <dir>     coredns built without the forward plugin
#   dapr <dir>        operator injector sentry placement scheduler daprd
#
# Each is cached by version under ~/.cache/k8s (K8S_CACHE); a build from the
# Go module proxy takes 5-15 min on 2 cores, a cached lookup is instant.
# Usage: build-k8s.sh [kubernetes|coredns|dapr]...   (default: all three)
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.34.4}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.12.4}"
DAPR_VERSION="${DAPR_VERSION:-v1.18.2}"
CACHE_DIR="${K8S_CACHE:-$HOME/.cache/k8s}"
here="$(cd "$(dirname "$0")" && pwd)"
log() { echo "build-k8s: $*" >&2; }

command -v go >/dev/null || { log "go is not installed"; exit 1; }
export CGO_ENABLED=0 GOWORK=off GOTOOLCHAIN=auto GOFLAGS=-buildvcs=false

module_dir() { go mod download -json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'; }

# k8s.io/kubernetes replaces each staging module with ./staging/...; a module
# of our own that requires it and replaces those with their published
# v0.x.y tags makes `go build` of its commands possible.
build_kubernetes() {
  local out="$CACHE_DIR/kubernetes-$K8S_VERSION"
  if [[ -x "$out/kubectl" ]]; then echo "kubernetes $out"; return; fi
  local started=$SECONDS work minor staging
  log "building Kubernetes $K8S_VERSION into $out"
  module_dir "k8s.io/kubernetes@$K8S_VERSION" >/dev/null
  work=$(mktemp -d "${TMPDIR:-/tmp}/k8s-build.XXXXXX")
  minor="v0.${K8S_VERSION#v1.}"
  staging=$(grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod" | awk '{print $1}')
  {
    echo "module localbuild/kubernetes"
    echo "go 1.24.0"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    for m in $staging; do echo "replace $m => $m $minor"; done
  } >"$work/go.mod"
  local pkg=k8s.io/component-base/version cgo=k8s.io/client-go/pkg/version ld="-s -w"
  local major=1 minornum
  minornum=$(echo "$K8S_VERSION" | cut -d. -f2)
  for p in $pkg $cgo; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minornum -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  mkdir -p "$out.tmp"
  # -mod=mod: go build itself adds the requirements of the packages it builds.
  (cd "$work" && go build -mod=mod -trimpath -ldflags "$ld" -o "$out.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubectl >&2)
  rm -rf "$work" "$out"; mv "$out.tmp" "$out"
  log "Kubernetes built in $(( SECONDS - started )) s"
  echo "kubernetes $out"
}

# CoreDNS with only the plugins a cluster-internal resolver needs, and no
# `forward`: names outside cluster.local get SERVFAIL, nothing leaves the node.
build_coredns() {
  local out="$CACHE_DIR/coredns-$COREDNS_VERSION"
  if [[ -x "$out/coredns" ]]; then echo "coredns $out"; return; fi
  local started=$SECONDS work
  log "building CoreDNS $COREDNS_VERSION (no forward) into $out"
  work=$(mktemp -d "${TMPDIR:-/tmp}/coredns-build.XXXXXX")
  cp "$here/coredns/main.go" "$work/main.go"
  printf 'module localbuild/coredns\ngo 1.24.0\nrequire github.com/coredns/coredns %s\n' "$COREDNS_VERSION" >"$work/go.mod"
  (cd "$work" && go mod tidy >&2 && go build -trimpath -ldflags "-s -w" -o "$out.tmp/coredns" . >&2)
  rm -rf "$work" "$out"; mv "$out.tmp" "$out"
  log "CoreDNS built in $(( SECONDS - started )) s"
  echo "coredns $out"
}

# The Dapr control plane; daprd and scheduler come from the real stack's build.
build_dapr() {
  local out="$CACHE_DIR/dapr-$DAPR_VERSION"
  if [[ -x "$out/placement" ]]; then echo "dapr $out"; return; fi
  local started=$SECONDS src work bins
  bins=$("$here/../stack/build-dapr.sh")
  log "building the Dapr $DAPR_VERSION control plane into $out"
  src=$(module_dir "github.com/dapr/dapr@$DAPR_VERSION")
  work=$(mktemp -d "${TMPDIR:-/tmp}/dapr-cp-build.XXXXXX")
  cp -r "$src"/. "$work"/; chmod -R u+w "$work"
  local ld="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION#v} -X github.com/dapr/kit/logger.DaprVersion=${DAPR_VERSION#v}"
  mkdir -p "$out.tmp"
  (cd "$work" && go build -trimpath -ldflags "$ld" -o "$out.tmp/" ./cmd/operator ./cmd/injector ./cmd/sentry ./cmd/placement >&2)
  cp "$(echo "$bins" | awk '$1=="daprd"{print $2}')" "$(echo "$bins" | awk '$1=="scheduler"{print $2}')" "$out.tmp/"
  cp -r "$src/charts/dapr" "$out.tmp/chart"; chmod -R u+w "$out.tmp/chart"
  rm -rf "$work" "$out"; mv "$out.tmp" "$out"
  log "Dapr control plane built in $(( SECONDS - started )) s"
  echo "dapr $out"
}

mkdir -p "$CACHE_DIR"
for part in "${@:-kubernetes coredns dapr}"; do
  for p in $part; do "build_$p"; done
done
