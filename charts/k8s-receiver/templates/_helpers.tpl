{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "k8s-receiver.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "k8s-receiver.selectorLabels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "k8s-receiver.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "k8s-receiver.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: receiver
app.kubernetes.io/part-of: k8s-collector
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Where the image keeps its runtime and jar: the command of `kubectl exec`, which has no shell to find them. */}}
{{- define "k8s-receiver.launcher" -}}
/opt/java/bin/java -jar /app/k8s-receiver.jar
{{- end -}}

{{/* The folder of the SQLite database (the volume's mount point) and the Secret mounts. */}}
{{- define "k8s-receiver.dataDir" -}}/var/lib/k8s-receiver{{- end -}}
{{- define "k8s-receiver.databaseDir" -}}/etc/k8s-receiver/database{{- end -}}
{{- define "k8s-receiver.metricsDir" -}}/etc/k8s-receiver/metrics{{- end -}}
{{- define "k8s-receiver.tlsDir" -}}/etc/k8s-receiver/tls{{- end -}}

{{/*
The --db argument: the mounted Secret's file for PostgreSQL (picocli reads an @FILE argument from
the file, so the URL and its password are never on a command line), else the SQLite file.
*/}}
{{- define "k8s-receiver.databaseArg" -}}
{{- if .Values.database.existingSecret -}}
@{{ include "k8s-receiver.databaseDir" . }}/url
{{- else -}}
jdbc:sqlite:{{ include "k8s-receiver.dataDir" . }}/receiver.db
{{- end -}}
{{- end -}}

{{/* The scheme the receiver serves: HTTPS only when it holds the certificate. */}}
{{- define "k8s-receiver.scheme" -}}
{{- if .Values.tls.existingSecret -}}HTTPS{{- else -}}HTTP{{- end -}}
{{- end -}}

{{/*
The schema version of the release running now: the annotation on its Deployment, read with lookup;
empty under helm template, helm lint and GitOps (no access to the cluster) and on first install.
*/}}
{{- define "k8s-receiver.runningSchemaVersion" -}}
{{- $running := lookup "apps/v1" "Deployment" .Release.Namespace (include "k8s-receiver.fullname" .) -}}
{{- if $running -}}
{{- index ($running.metadata.annotations | default dict) "k8s-receiver/schema-version" | default "" -}}
{{- end -}}
{{- end -}}

{{/*
The Deployment's strategy (see updateStrategy in values.yaml). Fails for a setting that would run
two pods on one SQLite file or two replicas on SQLite at all.
*/}}
{{- define "k8s-receiver.strategy" -}}
{{- $sqlite := not .Values.database.existingSecret -}}
{{- if and $sqlite (gt (int .Values.replicaCount) 1) -}}
{{- fail (printf "replicaCount %d needs PostgreSQL: set database.existingSecret (a Secret with key url); SQLite runs one replica." (int .Values.replicaCount)) -}}
{{- end -}}
{{- if and $sqlite (eq .Values.updateStrategy "RollingUpdate") -}}
{{- fail "updateStrategy RollingUpdate needs PostgreSQL (database.existingSecret): on SQLite the new pod would open the file beside the old one; use Recreate or leave it empty." -}}
{{- end -}}
{{- if .Values.updateStrategy -}}
{{- .Values.updateStrategy -}}
{{- else if $sqlite -}}
Recreate
{{- else if eq (include "k8s-receiver.runningSchemaVersion" .) (index .Chart.Annotations "k8s-receiver/schema-version") -}}
RollingUpdate
{{- else -}}
Recreate
{{- end -}}
{{- end -}}
