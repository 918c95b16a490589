{{/* Name of every object: the release name, or <release>-kaflowsql when the release name does not contain it. */}}
{{- define "kaflowsql.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kaflowsql.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kaflowsql.labels" -}}
{{ include "kaflowsql.selectorLabels" . }}
app.kubernetes.io/component: node
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* cluster.min-size: the value given, else a majority of the replicas. */}}
{{- define "kaflowsql.minSize" -}}
{{- if gt (int .Values.cluster.minSize) 0 -}}
{{- .Values.cluster.minSize -}}
{{- else -}}
{{- add (div (int .Values.replicaCount) 2) 1 -}}
{{- end -}}
{{- end -}}

{{- define "kaflowsql.adminSecret" -}}
{{- if .Values.adminToken.value -}}
{{- include "kaflowsql.fullname" . }}-admin
{{- else -}}
{{- .Values.adminToken.existingSecret -}}
{{- end -}}
{{- end -}}
