{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "k8s-collector.fullname" -}}
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

{{- define "k8s-collector.selectorLabels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "k8s-collector.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "k8s-collector.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: collector
app.kubernetes.io/part-of: k8s-collector
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "k8s-collector.serviceAccountName" -}}
{{- default (include "k8s-collector.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "k8s-collector.clusterRoleName" -}}
{{- default (include "k8s-collector.fullname" .) .Values.clusterRole.name -}}
{{- end -}}

{{- define "k8s-collector.credentialsSecretName" -}}
{{- default (include "k8s-collector.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "k8s-collector.redactionSecretName" -}}
{{- default (printf "%s-redaction" (include "k8s-collector.fullname" .)) .Values.redaction.existingSecret -}}
{{- end -}}

{{/*
The default resource list as a JSON array: the entries of files/default-resources.txt, the one
list the collector embeds too (comment lines start with #).
*/}}
{{- define "k8s-collector.defaultTypes" -}}
{{- $types := list -}}
{{- range splitList "\n" (.Files.Get "files/default-resources.txt") -}}
{{- $line := trim . -}}
{{- if and $line (not (hasPrefix "#" $line)) -}}
{{- $types = append $types $line -}}
{{- end -}}
{{- end -}}
{{- toJson $types -}}
{{- end -}}

{{/* A removeTypes entry as an anchored regular expression (`*` matches anything). */}}
{{- define "k8s-collector.globRegex" -}}
{{- printf "^%s$" (. | replace "." "\\." | replace "*" ".*") -}}
{{- end -}}

{{/*
The selected types as a JSON array, in order: the default list, then addTypes, then `secrets`
when collectSecrets; duplicates dropped; every entry a removeTypes name or pattern matches left out.
*/}}
{{- define "k8s-collector.selectedTypes" -}}
{{- $candidates := concat (include "k8s-collector.defaultTypes" . | fromJsonArray) (.Values.addTypes | default list) -}}
{{- if .Values.collectSecrets -}}
{{- $candidates = append $candidates "secrets" -}}
{{- end -}}
{{- $selected := list -}}
{{- range $candidates | uniq -}}
{{- $type := . -}}
{{- $removed := false -}}
{{- range $.Values.removeTypes -}}
{{- if regexMatch (include "k8s-collector.globRegex" .) $type -}}
{{- $removed = true -}}
{{- end -}}
{{- end -}}
{{- if not $removed -}}
{{- $selected = append $selected $type -}}
{{- end -}}
{{- end -}}
{{- toJson $selected -}}
{{- end -}}

{{/*
Whether a type name is built in, by the collector's rule: the core group (a bare name), a group
without a dot, or a group ending in .k8s.io. The collector lists built-in types only when the
list names them; every other type (custom resources) unless excluded.
*/}}
{{- define "k8s-collector.builtIn" -}}
{{- $group := default "" (splitn "." 2 .)._1 -}}
{{- if or (not $group) (not (contains "." $group)) (hasSuffix ".k8s.io" $group) -}}
true
{{- end -}}
{{- end -}}

{{/*
The collector's excludeResources as a JSON array: the removeTypes entries that taking off the list
does not remove (custom resources, which the collector lists unless excluded; wildcards; names
of no listed type), then the excludeResources value.
*/}}
{{- define "k8s-collector.excludedTypes" -}}
{{- $known := concat (include "k8s-collector.defaultTypes" . | fromJsonArray) (.Values.addTypes | default list) -}}
{{- $excluded := list -}}
{{- range .Values.removeTypes -}}
{{- if or (contains "*" .) (not (has . $known)) (not (include "k8s-collector.builtIn" .)) -}}
{{- $excluded = append $excluded . -}}
{{- end -}}
{{- end -}}
{{- concat $excluded (.Values.excludeResources | default list) | uniq | toJson -}}
{{- end -}}

{{/*
Fails unless the URL given as .url is https://, on a loopback host, or allowed by
allowInsecureEndpoint: the collector refuses it too (exit 2), but every scheduled run would fail.
*/}}
{{- define "k8s-collector.checkEndpoint" -}}
{{- if and .url (not .root.Values.allowInsecureEndpoint) -}}
{{- $url := urlParse .url -}}
{{- $host := regexReplaceAll ":[0-9]*$" (lower $url.host) "" -}}
{{- if not (or (eq $url.scheme "https") (regexMatch "^(localhost|127\\.[0-9]+\\.[0-9]+\\.[0-9]+|\\[::1\\])$" $host)) -}}
{{- fail (printf "%s '%s' is not https: use https://, a loopback host (localhost, 127.x.x.x, [::1]), or set allowInsecureEndpoint=true (the keys then cross the network in clear)." .key .url) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
"true" when Helm renders against the cluster (install, upgrade, --dry-run=server), where lookup
reads it; empty under helm template, helm lint and Argo CD, where lookup finds nothing. The
kube-system Namespace always exists, and whoever may install this chart's ClusterRole may read it.
*/}}
{{- define "k8s-collector.clusterReachable" -}}
{{- if lookup "v1" "Namespace" "" "kube-system" -}}
true
{{- end -}}
{{- end -}}

{{/*
The collector's pod spec, shared by the CronJob's runs, the continuous Deployment and the `helm test`
check, so that the check runs as a run would: the same service account, config, keys, redaction key
and security settings. Called with a dict: root (the chart's context), command (arguments before the
run's flags, such as ["check"]; empty for a run) and continuous (true for the Deployment's pod: it
restarts, listens on the metrics port and is probed).
*/}}
{{- define "k8s-collector.podLabels" -}}
{{ include "k8s-collector.selectorLabels" . }}
{{- /* Only the Deployment's pods: its ReplicaSet must never adopt the bare pod of `helm test`. */}}
k8s-collector.io/run: continuous
{{- end -}}

{{- define "k8s-collector.podSpec" -}}
{{- $root := .root -}}
serviceAccountName: {{ include "k8s-collector.serviceAccountName" $root }}
restartPolicy: {{ if .continuous }}Always{{ else }}Never{{ end }}
{{- if .continuous }}
{{- /* SIGTERM: the collector ships what is pending within collector.shutdownSeconds, then exits. */}}
terminationGracePeriodSeconds: {{ add ($root.Values.continuous.shutdownSeconds | int) 10 }}
{{- end }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
containers:
  - name: collector
    image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag | default $root.Chart.AppVersion }}"
    imagePullPolicy: {{ $root.Values.image.pullPolicy }}
    args:
      {{- range .command }}
      - {{ . }}
      {{- end }}
      - -config
      - /etc/config
      {{- if $root.Values.debug }}
      - -debug
      {{- end }}
      - {{ $root.Values.clusterId | quote }}
    env:
      - name: CLUSTER_ID
        value: {{ $root.Values.clusterId | quote }}
      - name: INFRALIGHT_ACCESS_KEY
        valueFrom:
          secretKeyRef:
            name: {{ include "k8s-collector.credentialsSecretName" $root }}
            key: accessKey
      - name: INFRALIGHT_SECRET_KEY
        valueFrom:
          secretKeyRef:
            name: {{ include "k8s-collector.credentialsSecretName" $root }}
            key: secretKey
      - name: REDACTION_KEY
        valueFrom:
          secretKeyRef:
            name: {{ include "k8s-collector.redactionSecretName" $root }}
            key: redactionKey
      - name: JDK_JAVA_OPTIONS
        value: {{ $root.Values.jvmOptions | quote }}
      {{- with $root.Values.mallocArenaMax }}
      - name: MALLOC_ARENA_MAX
        value: {{ . | int | quote }}
      {{- end }}
      {{- with $root.Values.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    {{- if .continuous }}
    ports:
      - name: metrics
        containerPort: {{ $root.Values.continuous.metricsPort | int }}
        protocol: TCP
    {{- with $root.Values.continuous }}
    {{- /*
    /healthz answers as soon as the server listens and stays 200 while the collector makes progress
    (a first collection of any length included); the startup probe's budget covers a slow start.
    */}}
    startupProbe:
      httpGet:
        path: /healthz
        port: metrics
      periodSeconds: {{ .startupProbe.periodSeconds | int }}
      failureThreshold: {{ .startupProbe.failureThreshold | int }}
    livenessProbe:
      httpGet:
        path: /healthz
        port: metrics
      periodSeconds: 20
      timeoutSeconds: 5
      failureThreshold: 3
    readinessProbe:
      httpGet:
        path: /readyz
        port: metrics
      periodSeconds: 10
      timeoutSeconds: 5
      failureThreshold: 3
    {{- end }}
    {{- end }}
    securityContext:
      {{- toYaml $root.Values.securityContext | nindent 6 }}
    {{- with $root.Values.resources }}
    resources:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    volumeMounts:
      - name: config
        mountPath: /etc/config
        readOnly: true
      {{- /* The root filesystem is read-only; the JVM and the collector write to /tmp. */}}
      - name: tmp
        mountPath: /tmp
      {{- with $root.Values.extraVolumeMounts }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
volumes:
  - name: config
    configMap:
      name: {{ include "k8s-collector.fullname" $root }}
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
  {{- with $root.Values.extraVolumes }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with $root.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
