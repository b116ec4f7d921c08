package io.k8scollector.testkit.generator;

import static io.k8scollector.testkit.generator.Seeded.metadata;
import static io.k8scollector.testkit.generator.Seeded.strings;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Helm 3 release storage as Helm writes it: one Secret of type {@code helm.sh/release.v1} per revision
 * ({@code sh.helm.release.v1.<name>.v<rev>}, labels owner, name, status, version) whose
 * {@code release} is base64 of gzip of the release JSON (and base64 again on the wire, as Secret data
 * is), and one release kept in ConfigMaps (the storage driver {@code configmap}), newest revision
 * deployed, older ones superseded.
 */
final class HelmReleases {

    private final Seeded seeded;
    private final ObjectStore store;

    HelmReleases(Seeded seeded, ObjectStore store) {
        this.seeded = seeded;
        this.store = store;
    }

    /** The revision of {@code storefront} that {@link #releases} makes last. */
    static final int STOREFRONT_REVISIONS = 3;

    void releases(String namespace) {
        for (int revision = 1; revision <= STOREFRONT_REVISIONS; revision++) {
            store.put(storefront(namespace, revision, STOREFRONT_REVISIONS));
        }
        for (int revision = 1; revision <= 2; revision++) {
            ObjectNode config = seeded.object("v1", "ConfigMap", namespace, "sh.helm.release.v1.legacy-cache.v"
                    + revision);
            labels(config, "legacy-cache", revision, 2);
            strings(config, "data", "release", encode(release("legacy-cache", namespace, revision, 2, "redis",
                    "19.0." + revision)));
            store.put(config);
        }
    }

    /**
     * The Secret of one revision of the release {@code storefront}, as Helm stores it.
     *
     * @param latest the newest revision: that one is deployed, older ones superseded
     */
    ObjectNode storefront(String namespace, int revision, int latest) {
        ObjectNode secret = seeded.object("v1", "Secret", namespace, storefrontSecret(revision));
        secret.put("type", "helm.sh/release.v1");
        labels(secret, "storefront", revision, latest);
        String release = encode(release("storefront", namespace, revision, latest, "storefront", "1.4." + revision));
        strings(secret, "data", "release", Seeded.base64(release));
        return secret;
    }

    /** The name of the Secret of a revision of {@code storefront}. */
    static String storefrontSecret(int revision) {
        return "sh.helm.release.v1.storefront.v" + revision;
    }

    private static void labels(ObjectNode object, String name, int revision, int latest) {
        strings(metadata(object), "labels", "owner", "helm", "name", name,
                "status", revision == latest ? "deployed" : "superseded", "version", Integer.toString(revision));
    }

    private ObjectNode release(String name, String namespace, int revision, int latest, String chart,
            String chartVersion) {
        ObjectNode release = Json.MAPPER.createObjectNode();
        release.put("name", name);
        ObjectNode info = release.putObject("info");
        info.put("first_deployed", "2026-01-05T08:00:00.000000000Z");
        info.put("last_deployed", seeded.timestamp());
        info.put("deleted", "");
        info.put("description", revision == 1 ? "Install complete" : "Upgrade complete");
        info.put("status", revision == latest ? "deployed" : "superseded");
        ObjectNode chartNode = release.putObject("chart");
        ObjectNode chartMeta = chartNode.putObject("metadata");
        chartMeta.put("name", chart);
        chartMeta.put("version", chartVersion);
        chartMeta.put("description", "A Helm chart for " + chart);
        chartMeta.put("apiVersion", "v2");
        chartMeta.put("appVersion", "2.14." + revision);
        chartMeta.put("type", "application");
        ObjectNode defaults = chartNode.putObject("values");
        defaults.put("replicaCount", 1);
        defaults.putObject("image").put("repository", "ghcr.io/example/" + chart);
        ObjectNode config = release.putObject("config");
        config.put("replicaCount", 1 + revision);
        config.putObject("image").put("tag", "2.14." + revision);
        release.put("manifest", """
                ---
                # Source: %1$s/templates/service.yaml
                apiVersion: v1
                kind: Service
                metadata:
                  name: %2$s
                  namespace: %3$s
                spec:
                  ports:
                  - port: 80
                ---
                # Source: %1$s/templates/deployment.yaml
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %2$s
                  namespace: %3$s
                spec:
                  replicas: %4$d
                """.formatted(chart, name, namespace, 1 + revision));
        release.put("version", revision);
        release.put("namespace", namespace);
        return release;
    }

    /** Helm's own encoding of a release: base64 of gzip of the JSON. */
    private static String encode(ObjectNode release) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(Json.MAPPER.writeValueAsBytes(release));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot gzip a Helm release in memory", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
