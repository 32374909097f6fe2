#!/usr/bin/env bash
# A one-node Kubernetes inside a network namespace of its own.
#
#   cluster.sh up      containerd, etcd, apiserver, controller-manager, scheduler,
#                      kubelet, kube-proxy, CNI bridge and CoreDNS, node Ready
#   cluster.sh down    stops them, unmounts, deletes the namespace and the
#                      cgroups, restores the sysctls the kubelet changed
#   cluster.sh run CMD runs CMD inside the namespace with KUBECONFIG set
#
# The namespace has only `lo` and a veth pair (both ends inside it) carrying
# the node IP: nothing the cluster does (iptables, CNI, routes) reaches the
# machine's own network, and deleting the namespace removes all of it.
# State lives in $K8S_DIR (default /tmp/todo-k8s); binaries come from
# build-k8s.sh (cached under ~/.cache/k8s).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
DIR="${K8S_DIR:-/tmp/todo-k8s}"
NETNS="${K8S_NETNS:-todo-k8s}"
NODE_IP="${K8S_NODE_IP:-10.77.0.2}"
NODE_NAME=node0
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
# CoreDNS runs on the node and listens on the node IP (pods reach it through the bridge).
DNS_IP="$NODE_IP"
SYSCTLS="vm.overcommit_memory kernel.panic kernel.panic_on_oops"
log() { echo "k8s: $*" >&2; }
in_ns() { nsenter --net="/run/netns/$NETNS" -- "$@"; }
export KUBECONFIG="$DIR/kubeconfig/super-admin.conf"

bins() {
  local line
  while read -r line; do
    case "$line" in
      kubernetes\ *) K8S_BIN="${line#kubernetes }" ;;
      coredns\ *) COREDNS_BIN="${line#coredns }" ;;
      dapr\ *) DAPR_BIN="${line#dapr }" ;;
    esac
  done < <("$here/build-k8s.sh")
  [[ -n "${K8S_BIN:-}" && -n "${COREDNS_BIN:-}" && -n "${DAPR_BIN:-}" ]] || { log "tests/k8s/build-k8s.sh did not produce every binary"; exit 1; }
}

# Starts "$@" detached inside the namespace; its pid goes to pids/<name>.
start() {
  local name=$1; shift
  nohup nsenter --net="/run/netns/$NETNS" -- "$@" >"$DIR/logs/$name.log" 2>&1 &
  echo $! >"$DIR/pids/$name"
}

# wait_for <what> <seconds> <command...>: polls the command until it succeeds.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$(( SECONDS + seconds ))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS > deadline )); then log "timed out after ${seconds}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

kubectl() { in_ns "$K8S_BIN/kubectl" "$@"; }

write_configs() {
  mkdir -p "$DIR"/{logs,pids,pki,kubeconfig,etcd,containerd/root,containerd/state,cni/net.d,cni/ipam,kubelet,coredns}
  for s in $SYSCTLS; do echo "$s=$(sysctl -n "$s")"; done >"$DIR/sysctls.saved"

  cat >"$DIR/containerd/config.toml" <<EOF
version = 2
root = "$DIR/containerd/root"
state = "$DIR/containerd/state"
[grpc]
  address = "$DIR/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.local/pause:1"
  # CAP_SYS_RESOURCE is not in this VM's bounding set: without this runc cannot
  # write oom_score_adj and every pod sandbox fails to start.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$DIR/cni/net.d"
[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/containerd/opt"
EOF

  # ipMasq off: pod traffic has nowhere to go but the node.
  cat >"$DIR/cni/net.d/10-bridge.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "todo-k8s", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$DIR/cni/ipam", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
EOF

  cat >"$DIR/kubeadm.yaml" <<EOF
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint: {advertiseAddress: $NODE_IP, bindPort: 6443}
nodeRegistration: {name: $NODE_NAME}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: $("$K8S_BIN/kubectl" version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')
certificatesDir: $DIR/pki
controlPlaneEndpoint: $NODE_IP:6443
networking: {serviceSubnet: $SERVICE_CIDR, podSubnet: $POD_CIDR, dnsDomain: cluster.local}
EOF

  cat >"$DIR/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $DIR/pki/ca.crt}
authorization: {mode: Webhook}
# cgroup v1 and swap on this VM: 1.34 still runs there when told to.
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$DIR/containerd.sock
clusterDNS: [$DNS_IP]
clusterDomain: cluster.local
resolvConf: $DIR/resolv.conf
healthzBindAddress: 127.0.0.1
serializeImagePulls: false
# A busy shared disk must not evict the test's pods.
evictionHard: {memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
EOF
  echo "nameserver $DNS_IP" >"$DIR/resolv.conf"

  cat >"$DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $KUBECONFIG}
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Without br_netfilter, a reply from a pod to a pod on the same bridge skips
# iptables: masquerading every Service connection sends it back through the node.
iptables: {masqueradeAll: true}
# 0: leave the (machine-wide) conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF

  cat >"$DIR/coredns/Corefile" <<EOF
.:53 {
    bind $DNS_IP
    errors
    health 127.0.0.1:8053
    ready 127.0.0.1:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $KUBECONFIG
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    loop
    reload
    loadbalance
}
EOF
}

netns_up() {
  ip netns add "$NETNS"
  in_ns ip link set lo up
  in_ns ip link add node0 type veth peer name node0-peer
  in_ns ip addr add "$NODE_IP/24" dev node0
  in_ns ip link set node0 up
  in_ns ip link set node0-peer up
  # A default route for components that look one up; packets on it go nowhere.
  in_ns ip route add default dev node0
  in_ns sysctl -qw net.ipv4.ip_forward=1
}

up() {
  [[ -e "/run/netns/$NETNS" ]] && { log "namespace $NETNS exists: run cluster.sh down first"; exit 1; }
  bins
  local t=$SECONDS
  write_configs
  netns_up
  local pki="$DIR/pki"
  "$K8S_BIN/kubeadm" init phase certs all --config "$DIR/kubeadm.yaml" >"$DIR/logs/kubeadm.log" 2>&1
  "$K8S_BIN/kubeadm" init phase kubeconfig all --config "$DIR/kubeadm.yaml" --kubeconfig-dir "$DIR/kubeconfig" >>"$DIR/logs/kubeadm.log" 2>&1

  start containerd containerd --config "$DIR/containerd/config.toml"
  start etcd etcd --data-dir "$DIR/etcd" --listen-client-urls http://127.0.0.1:2379 \
    --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster default=http://127.0.0.1:2380 \
    --unsafe-no-fsync --quota-backend-bytes 2147483648
  wait_for containerd 30 in_ns ctr --address "$DIR/containerd.sock" version
  bun "$here/images.ts" base --containerd "$DIR/containerd.sock" --dapr "$DAPR_BIN"
  log "containerd and base images after $(( SECONDS - t )) s"

  start kube-apiserver "$K8S_BIN/kube-apiserver" --advertise-address="$NODE_IP" --secure-port=6443 \
    --etcd-servers=http://127.0.0.1:2379 --service-cluster-ip-range="$SERVICE_CIDR" \
    --client-ca-file="$pki/ca.crt" --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --requestheader-client-ca-file="$pki/front-proxy-ca.crt" --proxy-client-cert-file="$pki/front-proxy-client.crt" \
    --proxy-client-key-file="$pki/front-proxy-client.key" --requestheader-allowed-names=front-proxy-client \
    --requestheader-extra-headers-prefix=X-Remote-Extra- --requestheader-group-headers=X-Remote-Group \
    --requestheader-username-headers=X-Remote-User
  wait_for kube-apiserver 120 kubectl get --raw /readyz
  # What kubeadm init would create: the apiserver may read pod logs and exec through the kubelet.
  kubectl create clusterrolebinding kube-apiserver-kubelet-client --clusterrole=system:kubelet-api-admin \
    --user=kube-apiserver-kubelet-client >/dev/null
  local kc="$DIR/kubeconfig"
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig="$kc/controller-manager.conf" \
    --authentication-kubeconfig="$kc/controller-manager.conf" --authorization-kubeconfig="$kc/controller-manager.conf" \
    --bind-address=127.0.0.1 --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --root-ca-file="$pki/ca.crt" --service-account-private-key-file="$pki/sa.key" --use-service-account-credentials \
    --service-cluster-ip-range="$SERVICE_CIDR" --leader-elect=false
  start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$kc/scheduler.conf" \
    --authentication-kubeconfig="$kc/scheduler.conf" --authorization-kubeconfig="$kc/scheduler.conf" \
    --bind-address=127.0.0.1 --leader-elect=false
  start kubelet "$K8S_BIN/kubelet" --config="$DIR/kubelet.yaml" --kubeconfig="$kc/kubelet.conf" \
    --node-ip="$NODE_IP" --hostname-override="$NODE_NAME" --root-dir="$DIR/kubelet" --cert-dir="$DIR/kubelet/pki"
  start kube-proxy "$K8S_BIN/kube-proxy" --config="$DIR/kube-proxy.yaml"
  start coredns "$COREDNS_BIN/coredns" -conf "$DIR/coredns/Corefile"
  wait_for "node $NODE_NAME Ready" 180 kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=5s
  wait_for "the default ServiceAccount" 60 kubectl -n default get serviceaccount default
  wait_for CoreDNS 60 in_ns curl -fsS http://127.0.0.1:8181/ready
  log "node Ready after $(( SECONDS - t )) s"
  infra_up
}

# Kafka, Redis and PostgreSQL on the node, as a cloud's managed services would
# be: the chart reaches them in its external mode at the node IP.
infra_up() {
  local t=$SECONDS libs pgbin data="$DIR/infra"
  mkdir -p "$data"/{kafka,redis,postgres}
  libs=$("$here/../stack/fetch-kafka.sh")
  pgbin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
  chown postgres "$data/postgres"
  runuser -u postgres -- "$pgbin/initdb" -D "$data/postgres" -U todo --auth=trust >"$DIR/logs/initdb.log" 2>&1
  echo "host all all 0.0.0.0/0 trust" >>"$data/postgres/pg_hba.conf"
  start postgres runuser -u postgres -- "$pgbin/postgres" -D "$data/postgres" -p 5432 -k "$data/postgres" \
    -c listen_addresses='*' -c fsync=off -c max_connections=200
  start redis redis-server --port 6379 --bind 0.0.0.0 --protected-mode no --dir "$data/redis" --save '' --appendonly yes
  cat >"$data/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://$NODE_IP:9092
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/kafka/data
num.partitions=8
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
EOF
  java -cp "$libs/*" kafka.tools.StorageTool format -t "$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null)" \
    -c "$data/kafka/server.properties" >"$DIR/logs/kafka-format.log" 2>&1
  start kafka java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true -cp "$libs/*" kafka.Kafka "$data/kafka/server.properties"
  wait_for PostgreSQL 60 in_ns "$pgbin/pg_isready" -h 127.0.0.1 -p 5432
  in_ns "$pgbin/psql" -h 127.0.0.1 -U todo -d postgres -qc 'create database todo' >/dev/null
  wait_for Redis 30 bash -c "[[ \$(nsenter --net=/run/netns/$NETNS -- redis-cli -h $NODE_IP ping) == PONG ]]"
  wait_for Kafka 120 bash -c "nsenter --net=/run/netns/$NETNS -- kcat -b $NODE_IP:9092 -L -m 3 | grep -q '1 brokers'"
  log "Kafka, Redis and PostgreSQL on the node after $(( SECONDS - t )) s"
}

# Stops one process by the pid we recorded (SIGTERM, then SIGKILL after 10 s).
stop() {
  local file="$DIR/pids/$1" pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  [[ -d "$DIR" ]] || { log "nothing at $DIR"; return 0; }
  for p in coredns kube-proxy kubelet kube-scheduler kube-controller-manager kafka redis postgres; do stop "$p"; done
  # Containers go through containerd while it still runs; then containerd itself.
  if [[ -S "$DIR/containerd.sock" ]]; then
    local ctr=(ctr --address "$DIR/containerd.sock" -n k8s.io)
    # The CRI pins each pod's network namespace at /run/netns/cni-*: find ours by the
    # namespace inode of our containers' processes, before those go.
    local inodes="" pid ns
    for pid in $("${ctr[@]}" tasks ls 2>/dev/null | awk 'NR > 1 {print $2}'); do
      inodes+=" $(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null || true)"
    done
    for ns in /run/netns/cni-*; do
      [[ -e "$ns" ]] || continue
      if [[ " $inodes " == *" $(stat -L -c %i "$ns" 2>/dev/null) "* ]]; then umount "$ns" 2>/dev/null || true; rm -f "$ns"; fi
    done
    for task in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true; done
    for _ in $(seq 1 40); do [[ -z "$("${ctr[@]}" tasks ls -q 2>/dev/null | head -1)" ]] && break; sleep 0.25; done
    for task in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks delete -f "$task" >/dev/null 2>&1 || true; done
    for c in $("${ctr[@]}" containers ls -q 2>/dev/null); do "${ctr[@]}" containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  for p in kube-apiserver etcd containerd; do stop "$p"; done
  # Everything the kubelet and containerd mounted under the state dir, deepest first.
  awk -v d="$DIR/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  [[ -e "/run/netns/$NETNS" ]] && ip netns delete "$NETNS"
  # Pod cgroups (cgroupfs driver): every controller's kubepods tree, leaves first.
  for root in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods /sys/fs/cgroup/*/k8s.io; do
    if [[ -d "$root" ]]; then find "$root" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
  done
  if [[ -f "$DIR/sysctls.saved" ]]; then
    while IFS='=' read -r key value; do sysctl -qw "$key=$value"; done <"$DIR/sysctls.saved"
  fi
  rm -rf "$DIR"
  log "down: processes, mounts, namespace $NETNS, cgroups and sysctls restored"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  run) shift; bins; export PATH="$K8S_BIN:$PATH"; in_ns "$@" ;;
  *) echo "usage: cluster.sh up|down|run CMD..." >&2; exit 2 ;;
esac
