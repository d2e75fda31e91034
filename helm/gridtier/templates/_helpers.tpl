{{/*
The chart's name, or nameOverride.
*/}}
{{- define "gridtier.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's resource prefix: "<release>-<chart>", or just the release name when it already
contains the chart name, or fullnameOverride. Truncated to 63 characters (DNS label).
*/}}
{{- define "gridtier.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "gridtier.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels every resource carries.
*/}}
{{- define "gridtier.labels" -}}
helm.sh/chart: {{ include "gridtier.chart" . }}
{{ include "gridtier.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gridtier
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Labels that identify the release's pods (never change them on upgrade: selectors are immutable).
*/}}
{{- define "gridtier.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gridtier.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Component label values (one place, so that selectors, monitors and policies agree).
*/}}
{{- define "gridtier.jobComponent" -}}segmentation-job{{- end }}
{{- define "gridtier.serviceComponent" -}}tier-service{{- end }}

{{/*
The FlinkDeployment's name. Flink's kubernetes.cluster-id is limited to 45 characters.
*/}}
{{- define "gridtier.jobName" -}}
{{- printf "%s-job" (include "gridtier.fullname" . | trunc 41 | trimSuffix "-") }}
{{- end }}

{{- define "gridtier.jobConfigName" -}}
{{- printf "%s-job-config" (include "gridtier.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{- define "gridtier.serviceName" -}}
{{- printf "%s-tier-service" (include "gridtier.fullname" . | trunc 50 | trimSuffix "-") }}
{{- end }}

{{/*
Images: repository:tag, the tag defaulting to the chart's appVersion.
*/}}
{{- define "gridtier.jobImage" -}}
{{- printf "%s:%s" .Values.job.image.repository (default .Chart.AppVersion .Values.job.image.tag) }}
{{- end }}

{{- define "gridtier.serviceImage" -}}
{{- printf "%s:%s" .Values.tierService.image.repository (default .Chart.AppVersion .Values.tierService.image.tag) }}
{{- end }}

{{/*
Whether the Kafka protocol uses SASL, and the Secret the service's credentials come from.
*/}}
{{- define "gridtier.kafkaSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.security.protocol }}true{{ end }}
{{- end }}

{{- define "gridtier.serviceKafkaSecret" -}}
{{- default .Values.kafka.security.existingSecret .Values.tierService.kafka.existingSecret }}
{{- end }}

{{- define "gridtier.serviceKafkaSecretKey" -}}
{{- default .Values.kafka.security.jaasConfigKey .Values.tierService.kafka.jaasConfigKey }}
{{- end }}

{{/*
The model YAML: --set-file model=..., else the chart's copy.
*/}}
{{- define "gridtier.model" -}}
{{- if .Values.model }}
{{- .Values.model }}
{{- else }}
{{- .Files.Get "files/model/gridtier-model-v1.yaml" }}
{{- end }}
{{- end }}

{{/*
Rules the schema cannot express; each failure says what to set.
*/}}
{{- define "gridtier.validate" -}}
{{- if and (include "gridtier.kafkaSasl" .) (not .Values.kafka.security.existingSecret) }}
{{- fail "kafka.security.existingSecret: name the existing Secret holding sasl.jaas.config (protocol is SASL_*); the chart never inlines Kafka credentials" }}
{{- end }}
{{- if and .Values.tierService.enabled (not .Values.tierService.apiTokens.existingSecret) }}
{{- fail "tierService.apiTokens.existingSecret: name the existing Secret holding the API token hashes" }}
{{- end }}
{{- if and .Values.job.enabled (ne .Values.job.upgradeMode "stateless") (not .Values.job.savepoints.dir) }}
{{- fail "job.savepoints.dir: upgradeMode savepoint/last-state needs a savepoint directory (an object-store URI)" }}
{{- end }}
{{- if and .Values.job.enabled (eq .Values.job.upgradeMode "last-state") (not .Values.job.highAvailability.enabled) }}
{{- fail "job.upgradeMode last-state needs job.highAvailability.enabled: true (the operator reads the last checkpoint from the HA metadata)" }}
{{- end }}
{{- if and .Values.tierService.enabled .Values.tierService.ingress.enabled (not .Values.tierService.ingress.hosts) }}
{{- fail "tierService.ingress.hosts: give at least one host when the ingress is enabled" }}
{{- end }}
{{- end }}
