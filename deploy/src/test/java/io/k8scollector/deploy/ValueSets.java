package io.k8scollector.deploy;

/** Values files the chart tests share. */
final class ValueSets {

    /** Only the values the chart requires. */
    static final String REQUIRED = """
            clusterId: prod-eu_1
            accessKey: the-access-key
            secretKey: the-secret-key
            apiEndpoint: https://ingest.example.test/api
            """;

    /** Every value changed from its default, the way a careful user would. */
    static final String NON_DEFAULT = """
            clusterId: staging-2
            overrideUniqueClusterId: true
            schedule: "7 */2 * * *"
            existingSecret: collector-keys
            apiEndpoint: https://ingest.example.test/api
            loginEndpoint: https://login.example.test
            allowInsecureEndpoint: true
            image:
              repository: registry.example.test/inventory/collector
              tag: "2.0.0"
              pullPolicy: Always
            imagePullSecrets:
              - name: pull
            serviceAccount:
              name: inventory-reader
              annotations:
                iam.example.test/role: reader
            clusterRole:
              name: inventory-read-only
            fetchEverything: false
            addTypes: [applications.argoproj.io, horizontalpodautoscalers.autoscaling]
            removeTypes: [leases.coordination.k8s.io, "*.flowcontrol.apiserver.k8s.io", widgets.example.test]
            collectSecrets: true
            helmReleases: false
            watchNamespace: shop
            ignoreNamespaces: [kube-system, kube-public]
            excludeResources: [events]
            labelSelector: "tier!=cache"
            secrets: drop
            redactAnnotations: [example.test/token]
            sensitivePattern: "(?i)passw"
            redaction:
              existingSecret: collector-redaction
            tuning:
              pageSizeKb: 256
              maxGoRoutines: 2
              listPageSize: 100
              listConcurrency: 3
              apiQps: 12
              maxItemSizeKb: 900
              gzipLevel: 6
              retryMaxAttempts: 4
              retryDeadlineSeconds: 60
              connectTimeoutSeconds: 5
              requestTimeoutSeconds: 30
            endpointCaFile: /etc/endpoint-ca/ca.pem
            debug: true
            jvmOptions: "-Xmx300m"
            mallocArenaMax: 4
            extraEnv:
              - name: HTTPS_PROXY
                value: http://proxy.example.test:3128
            extraVolumes:
              - name: endpoint-ca
                configMap:
                  name: endpoint-ca
            extraVolumeMounts:
              - name: endpoint-ca
                mountPath: /etc/endpoint-ca
                readOnly: true
            resources:
              limits:
                memory: 1Gi
            concurrencyPolicy: Replace
            successfulJobsHistoryLimit: 1
            failedJobsHistoryLimit: 5
            activeDeadlineSeconds: 3000
            backoffLimit: 0
            startingDeadlineSeconds: 60
            suspend: true
            networkPolicy:
              enabled: true
              apiServerCidrs: [10.0.0.1/32, "fd00:10::1/128"]
              apiServerPorts: [8443]
              endpointCidrs: [203.0.113.0/24]
              endpointPorts: [443, 3128]
              dnsPodLabels:
                k8s-app: coredns
              extraEgress:
                - to:
                    - ipBlock:
                        cidr: 169.254.20.10/32
                  ports:
                    - protocol: UDP
                      port: 53
            podAnnotations:
              example.test/owner: platform
            podLabels:
              team: platform
            nodeSelector:
              kubernetes.io/os: linux
            tolerations:
              - key: dedicated
                operator: Equal
                value: infra
                effect: NoSchedule
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions:
                        - key: kubernetes.io/arch
                          operator: In
                          values: [amd64]
            fullnameOverride: inventory
            """;

    /** The receiver chart's values for PostgreSQL with every value changed from its default. */
    static final String RECEIVER_NON_DEFAULT = """
            replicaCount: 3
            image:
              repository: registry.example.test/inventory/receiver
              tag: "2.0.0"
              pullPolicy: Always
            imagePullSecrets:
              - name: pull
            database:
              existingSecret: receiver-database
            persistence:
              enabled: false
              size: 50Gi
              storageClass: fast
            tls:
              existingSecret: receiver-tls
            retain: 40
            metrics:
              existingSecret: receiver-metrics
            service:
              type: LoadBalancer
              port: 443
              annotations:
                lb.example.test/internal: "true"
            serviceMonitor:
              enabled: true
              interval: 30s
              labels:
                release: prometheus
              tlsConfig:
                serverName: receiver.example.test
            updateStrategy: RollingUpdate
            jvmOptions: "-Xmx2g"
            extraArgs: ["--host", "0.0.0.0"]
            extraEnv:
              - name: TZ
                value: UTC
            resources:
              limits:
                memory: 3Gi
            podAnnotations:
              example.test/owner: platform
            podLabels:
              team: platform
            nodeSelector:
              node.example.test/pool: inventory
            tolerations:
              - key: inventory
                operator: Exists
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 100
                    podAffinityTerm:
                      topologyKey: kubernetes.io/hostname
                      labelSelector:
                        matchLabels:
                          app.kubernetes.io/name: k8s-receiver
            fullnameOverride: inventory-receiver
            """;

    private ValueSets() {
    }
}
