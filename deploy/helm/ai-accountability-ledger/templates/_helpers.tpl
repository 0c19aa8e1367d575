{{/* Prefix of every resource name: the release name unless overridden. */}}
{{- define "aal.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "aal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every resource carries; `component` is the service (or part) it belongs to. */}}
{{- define "aal.labels" -}}
{{ include "aal.selectorLabels" . }}
app.kubernetes.io/part-of: {{ include "aal.name" .root }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "aal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aal.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Every pod of this release (services and the migration Job), for NetworkPolicy peers. */}}
{{- define "aal.releasePods" -}}
app.kubernetes.io/name: {{ include "aal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* One service's settings: serviceDefaults overridden by its entry in `services`. */}}
{{- define "aal.serviceConfig" -}}
{{- $entry := index .root.Values.services .name | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $entry)) -}}
{{- end -}}

{{/* `model-registry` → `MODEL_REGISTRY_PORT` (libs/contracts/src/services.ts, portVariable). */}}
{{- define "aal.portVariable" -}}
{{- printf "%s_PORT" (. | replace "-" "_" | upper) -}}
{{- end -}}

{{- define "aal.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "aal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aal.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "aal.keysSecret" -}}
{{- default (printf "%s-keys" (include "aal.fullname" .)) .Values.keys.existingSecret -}}
{{- end -}}

{{/* The CloudNativePG cluster's name; its read-write Service is `<name>-rw`. */}}
{{- define "aal.postgresCluster" -}}
{{- printf "%s-postgres" (include "aal.fullname" .) -}}
{{- end -}}

{{/* The Strimzi Kafka cluster's name; its bootstrap Service is `<name>-kafka-bootstrap`. */}}
{{- define "aal.kafkaCluster" -}}
{{- printf "%s-kafka" (include "aal.fullname" .) -}}
{{- end -}}

{{- define "aal.databaseHost" -}}
{{- if .Values.cloudnativepg.enabled -}}
{{- printf "%s-rw" (include "aal.postgresCluster" .) -}}
{{- else -}}
{{- required "database.host is required unless cloudnativepg.enabled" .Values.database.host -}}
{{- end -}}
{{- end -}}

{{/* Server and database without credentials: the services replace user and password with their own role's. */}}
{{- define "aal.databaseUrl" -}}
{{- $url := printf "postgres://%s:%v/%s" (include "aal.databaseHost" .) .Values.database.port .Values.database.name -}}
{{- if .Values.database.parameters -}}{{- $url = printf "%s?%s" $url .Values.database.parameters -}}{{- end -}}
{{- $url -}}
{{- end -}}

{{- define "aal.adminSecret" -}}
{{- if .Values.cloudnativepg.enabled -}}
{{- printf "%s-superuser" (include "aal.postgresCluster" .) -}}
{{- else -}}
{{- default (printf "%s-database-admin" (include "aal.fullname" .)) .Values.database.admin.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "aal.appPasswordSecret" -}}
{{- default (printf "%s-database-app" (include "aal.fullname" .)) .Values.database.appPassword.existingSecret -}}
{{- end -}}

{{- define "aal.kafkaBrokers" -}}
{{- if .Values.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap:9092" (include "aal.kafkaCluster" .) -}}
{{- else -}}
{{- required "kafka.brokers is required unless strimzi.enabled" .Values.kafka.brokers -}}
{{- end -}}
{{- end -}}

{{/* Environment every pod of the release shares: where Kafka and PostgreSQL are, and the app roles' password. */}}
{{- define "aal.commonEnv" -}}
- name: KAFKA_BROKERS
  value: {{ include "aal.kafkaBrokers" . | quote }}
- name: KAFKA_TOPIC_PREFIX
  value: {{ .Values.kafka.topicPrefix | quote }}
- name: DATABASE_APP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "aal.appPasswordSecret" . }}
      key: {{ .Values.database.appPassword.key }}
{{- end -}}

{{/*
When the Job may run: before the first install when Kafka and PostgreSQL already exist; after it
when this chart makes them (they do not exist before the release's own resources). Always before an
upgrade, so a new version starts on its migrated schema.
*/}}
{{- define "aal.migrationHook" -}}
{{- if or .Values.strimzi.enabled .Values.cloudnativepg.enabled -}}
post-install,pre-upgrade
{{- else -}}
pre-install,pre-upgrade
{{- end -}}
{{- end -}}

{{/* Egress every pod of the release needs: DNS, Kafka, PostgreSQL. */}}
{{- define "aal.baseEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns | nindent 4 }}
  ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
- to:
    {{- if .Values.strimzi.enabled }}
    - podSelector:
        matchLabels:
          strimzi.io/cluster: {{ include "aal.kafkaCluster" . }}
          strimzi.io/kind: Kafka
    {{- else }}
    {{- toYaml (required "kafka.networkPolicyPeers is required with networkPolicy.enabled and external Kafka" .Values.kafka.networkPolicyPeers) | nindent 4 }}
    {{- end }}
  ports:
    - { protocol: TCP, port: {{ ternary 9092 .Values.kafka.port .Values.strimzi.enabled }} }
- to:
    {{- if .Values.cloudnativepg.enabled }}
    - podSelector:
        matchLabels:
          cnpg.io/cluster: {{ include "aal.postgresCluster" . }}
    {{- else }}
    {{- toYaml (required "database.networkPolicyPeers is required with networkPolicy.enabled and external PostgreSQL" .Values.database.networkPolicyPeers) | nindent 4 }}
    {{- end }}
  ports:
    - { protocol: TCP, port: {{ ternary 5432 .Values.database.port .Values.cloudnativepg.enabled }} }
{{- end -}}

{{/* Pod-level security; `serviceAccount: false` for the migration hook, which may run before the release's ServiceAccount exists. */}}
{{- define "aal.podSecurity" -}}
{{- $root := .root -}}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- if .serviceAccount }}
serviceAccountName: {{ include "aal.serviceAccountName" $root }}
{{- end }}
automountServiceAccountToken: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
