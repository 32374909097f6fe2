{{/*
Names and labels.
*/}}
{{- define "todo.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "todo.labels" -}}
{{ include "todo.commonLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "todo.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: todo
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Labels of one component's objects: (dict "root" $ "name" "chat-api"). */}}
{{- define "todo.componentLabels" -}}
{{ include "todo.commonLabels" .root }}
{{ include "todo.selectorLabels" . }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "name" "chat-api"). */}}
{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A service's values: serviceDefaults overlaid with services.<name>. (dict "root" $ "name" "chat-api") */}}
{{- define "todo.serviceValues" -}}
{{- $own := index .root.Values.services .name | default dict -}}
{{- mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own) | toYaml -}}
{{- end -}}

{{/* The enabled services that run with a Dapr sidecar, as a YAML list of names. */}}
{{- define "todo.daprApps" -}}
{{- $apps := list -}}
{{- range $name, $_ := .Values.services -}}
{{- $svc := include "todo.serviceValues" (dict "root" $ "name" $name) | fromYaml -}}
{{- if and $svc.enabled $svc.dapr -}}{{- $apps = append $apps $name -}}{{- end -}}
{{- end -}}
{{- toYaml $apps -}}
{{- end -}}

{{/* The pub/sub component a service uses. (dict "root" $ "name" $name "svc" $svc) */}}
{{- define "todo.pubsubOf" -}}
{{- if .svc.consumerGroupPerPod -}}{{ printf "%s-pubsub" .name }}{{- else -}}{{ .root.Values.dapr.components.pubsub }}{{- end -}}
{{- end -}}

{{/* Image reference: by digest when the deploy gave one, else by tag. (dict "root" $ "name" "chat-api") */}}
{{- define "todo.image" -}}
{{- $repo := printf "%s/%s" (trimSuffix "/" .root.Values.image.registry) .name -}}
{{- $digest := index .root.Values.image.digests .name | default "" -}}
{{- if $digest -}}{{ printf "%s@%s" $repo $digest }}{{- else -}}{{ printf "%s:%s" $repo (toString .root.Values.image.tag) }}{{- end -}}
{{- end -}}

{{/* Hardened pod and container security contexts, shared by every pod of the chart. */}}
{{- define "todo.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid | default 65532 }}
runAsGroup: {{ .uid | default 65532 }}
fsGroup: {{ .uid | default 65532 }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "todo.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* DATABASE_URL for a service that owns tables: never a literal, always from a Secret. */}}
{{- define "todo.databaseEnv" -}}
{{- $pg := .Values.postgresql -}}
{{- if eq $pg.mode "external" }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef: { name: {{ $pg.external.existingSecret | quote }}, key: url }
{{- else }}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ $pg.inCluster.existingSecret | quote }}, key: password }
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s-postgresql:5432/%s" $pg.inCluster.user (include "todo.fullname" .) $pg.inCluster.database | quote }}
{{- end }}
{{- end -}}

{{/* Kafka connection metadata shared by every pub/sub component. */}}
{{- define "todo.kafkaMetadata" -}}
{{- $kafka := .Values.kafka -}}
{{- if eq $kafka.mode "external" }}
- { name: brokers, value: {{ $kafka.external.brokers | quote }} }
- { name: authType, value: {{ $kafka.external.authType | quote }} }
{{- if eq $kafka.external.authType "password" }}
- name: saslUsername
  secretKeyRef: { name: {{ $kafka.external.existingSecret | quote }}, key: username }
- name: saslPassword
  secretKeyRef: { name: {{ $kafka.external.existingSecret | quote }}, key: password }
- { name: saslMechanism, value: {{ $kafka.external.saslMechanism | quote }} }
{{- end }}
{{- if $kafka.external.tls }}
- { name: disableTls, value: "false" }
{{- else }}
- { name: disableTls, value: "true" }
{{- end }}
{{- else }}
- { name: brokers, value: {{ printf "%s-kafka-kafka-bootstrap:9092" (include "todo.fullname" .) | quote }} }
- { name: authType, value: "none" }
- { name: disableTls, value: "true" }
{{- end }}
# A new consumer group reads from the start, so a service added later still sees earlier events.
- { name: initialOffset, value: "oldest" }
- { name: version, value: {{ $kafka.protocolVersion | quote }} }
{{- end -}}

{{/*
The one definition of a service: ServiceAccount, Deployment (or StatefulSet),
Service, HorizontalPodAutoscaler and PodDisruptionBudget, with probes,
resources, the hardened security context and the Dapr annotations.
templates/services.yaml renders it for every entry of .Values.services, so a
new service is a values entry (tests/chart fails when one lacks any of this).
(dict "root" $ "name" "chat-api")
*/}}
{{- define "todo.service" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := include "todo.serviceValues" . | fromYaml -}}
{{- $fullname := printf "%s-%s" (include "todo.fullname" $root) $name -}}
{{- $dapr := $root.Values.dapr -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "todo.componentLabels" (dict "root" $root "name" $name) | nindent 4 }}
automountServiceAccountToken: {{ $svc.dapr }}
---
apiVersion: apps/v1
kind: {{ $svc.workload }}
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "todo.componentLabels" (dict "root" $root "name" $name) | nindent 4 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicas }}
  {{- end }}
  {{- if eq $svc.workload "StatefulSet" }}
  serviceName: {{ $fullname }}
  podManagementPolicy: Parallel
  {{- end }}
  selector:
    matchLabels:
      {{- include "todo.selectorLabels" (dict "root" $root "name" $name) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "todo.componentLabels" (dict "root" $root "name" $name) | nindent 8 }}
      annotations:
        {{- if $svc.dapr }}
        dapr.io/enabled: "true"
        dapr.io/app-id: {{ $name | quote }}
        dapr.io/app-port: {{ $svc.port | quote }}
        dapr.io/config: {{ $dapr.config | quote }}
        dapr.io/log-level: {{ $dapr.logLevel | quote }}
        dapr.io/log-as-json: "true"
        dapr.io/enable-metrics: "true"
        dapr.io/sidecar-cpu-request: {{ $dapr.sidecar.cpuRequest | quote }}
        dapr.io/sidecar-cpu-limit: {{ $dapr.sidecar.cpuLimit | quote }}
        dapr.io/sidecar-memory-request: {{ $dapr.sidecar.memoryRequest | quote }}
        dapr.io/sidecar-memory-limit: {{ $dapr.sidecar.memoryLimit | quote }}
        dapr.io/sidecar-seccomp-profile-type: RuntimeDefault
        {{- if $dapr.appTokenSecret }}
        dapr.io/app-token-secret: {{ $dapr.appTokenSecret | quote }}
        {{- end }}
        {{- if $dapr.apiTokenSecret }}
        dapr.io/api-token-secret: {{ $dapr.apiTokenSecret | quote }}
        {{- end }}
        {{- else }}
        dapr.io/enabled: "false"
        {{- end }}
    spec:
      serviceAccountName: {{ $fullname }}
      automountServiceAccountToken: {{ $svc.dapr }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "todo.podSecurityContext" dict | nindent 8 }}
      # Long enough for in-flight event deliveries and open WebSockets to drain on SIGTERM.
      terminationGracePeriodSeconds: 30
      containers:
        - name: {{ $name }}
          image: {{ include "todo.image" (dict "root" $root "name" $name) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - { name: http, containerPort: {{ $svc.port }}, protocol: TCP }
          env:
            - { name: PORT, value: {{ $svc.port | quote }} }
            - { name: LOG_LEVEL, value: {{ $dapr.logLevel | quote }} }
            # Bun and the services write nothing but temporary files, to the /tmp emptyDir.
            - { name: TMPDIR, value: /tmp }
            {{- if $svc.dapr }}
            - { name: PUBSUB_NAME, value: {{ include "todo.pubsubOf" (dict "root" $root "name" $name "svc" $svc) | quote }} }
            - { name: STATE_STORE, value: {{ $dapr.components.stateStore | quote }} }
            - { name: SECRET_STORE, value: {{ $dapr.components.secretStore | quote }} }
            {{- if $dapr.appTokenSecret }}
            - name: APP_API_TOKEN
              valueFrom:
                secretKeyRef: { name: {{ $dapr.appTokenSecret | quote }}, key: token }
            {{- end }}
            {{- if $dapr.apiTokenSecret }}
            - name: DAPR_API_TOKEN
              valueFrom:
                secretKeyRef: { name: {{ $dapr.apiTokenSecret | quote }}, key: token }
            {{- end }}
            {{- end }}
            {{- if eq $svc.database "owner" }}
            {{- include "todo.databaseEnv" $root | nindent 12 }}
            {{- end }}
            {{- range $key, $value := $svc.env }}
            - { name: {{ $key }}, value: {{ $value | toString | quote }} }
            {{- end }}
          startupProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 2
            # Start-up includes database migrations (under an advisory lock) for the owners of tables.
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /readyz, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- include "todo.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
      volumes:
        - name: tmp
          emptyDir: { sizeLimit: 64Mi }
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "todo.componentLabels" (dict "root" $root "name" $name) | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "todo.selectorLabels" (dict "root" $root "name" $name) | nindent 4 }}
  ports:
    - { name: http, port: 80, targetPort: http, protocol: TCP }
{{- if $svc.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "todo.componentLabels" (dict "root" $root "name" $name) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ $svc.workload }}
    name: {{ $fullname }}
  minReplicas: {{ $svc.autoscaling.minReplicas }}
  maxReplicas: {{ $svc.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: { type: Utilization, averageUtilization: {{ $svc.autoscaling.targetCPUUtilizationPercentage }} }
{{- end }}
{{- if $svc.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "todo.componentLabels" (dict "root" $root "name" $name) | nindent 4 }}
spec:
  {{- if hasKey $svc.podDisruptionBudget "minAvailable" }}
  minAvailable: {{ $svc.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $svc.podDisruptionBudget.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "todo.selectorLabels" (dict "root" $root "name" $name) | nindent 6 }}
{{- end }}
{{- end -}}
