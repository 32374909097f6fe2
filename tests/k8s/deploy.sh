#!/usr/bin/env bash
# Installs Dapr and the chart on the cluster `cluster.sh up` started, in the
# order .github/workflows/deploy-local.yml does: Dapr with the Scheduler and
# its rollouts, the secrets, the chart (external Kafka/Redis/PostgreSQL on
# the node), every rollout, `helm test --logs`. Run it inside the cluster's
# namespace: `tests/k8s/cluster.sh run tests/k8s/deploy.sh DAPR_DIR TAG`.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
DAPR_DIR=$1
TAG=$2
NAMESPACE="${NAMESPACE:-todo}"
NODE_IP="${K8S_NODE_IP:-10.77.0.2}"
DAPR_VERSION="${DAPR_VERSION:-1.18.2}"
helm=$(bun "$here/../../scripts/tools.ts" path helm)
log() { echo "k8s: $*" >&2; }
t=$SECONDS

# Dapr from its own chart (inside the module the control plane was built from).
# No StorageClass here: placement and scheduler keep their state in memory.
"$helm" upgrade --install dapr "$DAPR_DIR/chart" --namespace dapr-system --create-namespace \
  --set global.registry=registry.local/dapr --set global.tag="$DAPR_VERSION" \
  --set global.imagePullPolicy=IfNotPresent \
  --set dapr_sidecar_injector.sidecarImagePullPolicy=IfNotPresent \
  --set dapr_sidecar_injector.sidecarDropALLCapabilities=true \
  --set dapr_placement.cluster.forceInMemoryLog=true \
  --set dapr_scheduler.cluster.inMemoryStorage=true \
  --wait --timeout 10m
# The injector's webhook fails open: an app pod created before it is ready starts without daprd.
for workload in deployment/dapr-sidecar-injector deployment/dapr-operator deployment/dapr-sentry \
  statefulset/dapr-scheduler-server statefulset/dapr-placement-server; do
  kubectl -n dapr-system rollout status "$workload" --timeout 5m
done
log "Dapr ready after $(( SECONDS - t )) s"

# Secrets generated per run, never stored.
kubectl create namespace "$NAMESPACE"
random() { openssl rand -hex 32; }
kubectl -n "$NAMESPACE" create secret generic jwt-secret --from-literal=jwt-secret="$(random)"
kubectl -n "$NAMESPACE" create secret generic admin-token --from-literal=admin-token="$(random)"
kubectl -n "$NAMESPACE" create secret generic todo-app-api-token --from-literal=token="$(random)"
kubectl -n "$NAMESPACE" create secret generic todo-database --from-literal=url="postgres://todo@$NODE_IP:5432/todo"

"$helm" upgrade --install todo "$here/../../chart" --namespace "$NAMESPACE" -f "$here/values-k8s.yaml" \
  --set image.tag="$TAG" --set kafka.external.brokers="$NODE_IP:9092" --set redis.external.host="$NODE_IP:6379" \
  --wait --timeout 10m
for workload in $(kubectl -n "$NAMESPACE" get deployments,statefulsets -o name); do
  kubectl -n "$NAMESPACE" rollout status "$workload" --timeout 5m
done
log "chart ready after $(( SECONDS - t )) s"
"$helm" test todo --namespace "$NAMESPACE" --logs --timeout 5m
log "helm test passed after $(( SECONDS - t )) s"
