package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.protocol.HelmRelease.Chart;
import io.k8scollector.protocol.HelmRelease.ResourceRef;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Skipped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class HelmReleasesTest {

    private static final byte[] KEY = "a-helm-releases-test-key".getBytes(StandardCharsets.UTF_8);
    private static final KeyedDigest DIGEST = new KeyedDigest(KEY);

    private static final String MANIFEST = """
            ---
            # Source: shop/templates/serviceaccount.yaml
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: shop
            ---
            # Source: shop/templates/clusterrole.yaml
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: shop-reader
            ---
            # Source: shop/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shop
              namespace: elsewhere
              labels: {app: shop}
            spec:
              replicas: 2
            ---
            # Source: shop/templates/empty.yaml
            ---
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: ConfigMap
                metadata: {name: shop-settings}
              - apiVersion: example.com/v1
                kind: Widget
                metadata: {name: shop-widget}
            """;

    @Test
    void reportsTheNewestDeployedRevisionOfASecretStoredReleaseAndNoSupersededOne() {
        HelmReleases releases = new HelmReleases(DIGEST);
        releases.observe(HelmStorage.secret(revision("shop", 1, "superseded")));
        releases.observe(HelmStorage.secret(revision("shop", 3, "failed")));
        releases.observe(HelmStorage.secret(revision("shop", 2, "deployed")));

        assertThat(releases.releases()).singleElement().satisfies(release -> {
            assertThat(release.revision()).isEqualTo(2);
            assertThat(release.status()).isEqualTo("deployed");
            assertThat(release.storage()).isEqualTo("secret");
            assertThat(release.source()).isEqualTo("helm");
        });
    }

    @Test
    void reportsAReleaseWithoutADeployedRevisionByItsNewestRevisionAndStatus() {
        HelmReleases releases = new HelmReleases(DIGEST);
        releases.observe(HelmStorage.configMap(revision("broken", 2, "failed")));
        releases.observe(HelmStorage.configMap(revision("broken", 1, "failed")));

        assertThat(releases.releases()).extracting(HelmRelease::name, HelmRelease::revision, HelmRelease::status)
                .containsExactly(tuple("broken", 2, "failed"));
    }

    @Test
    void readsChartDatesDescriptionAndValuesDigestFromAConfigMapStoredRelease() {
        HelmReleases releases = new HelmReleases(DIGEST);
        releases.observe(HelmStorage.configMap(HelmStorage.release(
                "shop", "prod", 4, "deployed", "1.4.2", "{\"b\": {\"y\": 2, \"x\": 1}, \"a\": [true, null]}", "")));

        HelmRelease release = releases.releases().get(0);

        assertThat(release.storage()).isEqualTo("configmap");
        assertThat(release.namespace()).isEqualTo("prod");
        assertThat(release.chart()).isEqualTo(new Chart("shop-chart", "1.4.2", "2.0.4"));
        assertThat(release.firstDeployed()).isEqualTo(Instant.parse("2026-11-01T09:00:00.123456789Z"));
        assertThat(release.lastDeployed()).isEqualTo(Instant.parse("2026-11-04T12:00:00Z"));
        assertThat(release.description()).isEqualTo("Revision 4 deployed");
        assertThat(release.valuesDigest())
                .isEqualTo(DIGEST.ofJson(Json.MAPPER.readTree("{\"a\": [true, null], \"b\": {\"x\": 1, \"y\": 2}}")))
                .isEqualTo("hmac-sha256:" + hmacHex("{\"a\":[true,null],\"b\":{\"x\":1,\"y\":2}}"));
    }

    @Test
    void listsTheManifestsObjectsDefaultingTheNamespaceOfNamespacedKindsOnly() {
        HelmReleases releases = new HelmReleases(DIGEST);
        releases.observe(HelmStorage.secret(HelmStorage.release("shop", "prod", 1, "deployed", "1.0.0", "{}", MANIFEST)));

        assertThat(releases.releases().get(0).resources()).containsExactly(
                new ResourceRef("v1", "ServiceAccount", "shop", "prod"),
                new ResourceRef("rbac.authorization.k8s.io/v1", "ClusterRole", "shop-reader", null),
                new ResourceRef("apps/v1", "Deployment", "shop", "elsewhere"),
                new ResourceRef("v1", "ConfigMap", "shop-settings", "prod"),
                new ResourceRef("example.com/v1", "Widget", "shop-widget", "prod"));
    }

    @Test
    void keepsReleasesOfTheSameNameInDifferentNamespacesApart() {
        HelmReleases releases = new HelmReleases(DIGEST);
        releases.observe(HelmStorage.secret(HelmStorage.release("shop", "prod", 1, "deployed", "1.0.0", "{}", "")));
        releases.observe(HelmStorage.configMap(HelmStorage.release("shop", "staging", 5, "deployed", "1.1.0", "{}", "")));

        assertThat(releases.releases()).extracting(HelmRelease::namespace, HelmRelease::revision, HelmRelease::storage)
                .containsExactly(
                        tuple("prod", 1, "secret"),
                        tuple("staging", 5, "configmap"));
    }

    @Test
    void readsAnUncompressedPayloadAndSkipsOneThatDoesNotDecode() {
        ObjectNode plain = HelmStorage.configMap(revision("plain", 1, "deployed"));
        plain.withObject("data").put("release", HelmStorage.base64(
                revision("plain", 1, "deployed").toString().getBytes(StandardCharsets.UTF_8)));
        ObjectNode broken = HelmStorage.secret(revision("broken", 1, "deployed"));
        broken.withObject("data").put("release", HelmStorage.base64("H4sI-not-gzip".getBytes(StandardCharsets.UTF_8)));
        HelmReleases releases = new HelmReleases(DIGEST);

        releases.observe(plain);
        releases.observe(broken);

        assertThat(releases.releases()).extracting(HelmRelease::name).containsExactly("plain");
        assertThat(releases.skipped()).hasSize(1);
    }

    @Test
    void doesNotDecodeARevisionOlderThanADeployedOneAlreadyRead() {
        ObjectNode older = HelmStorage.secret(revision("shop", 2, "superseded"));
        older.withObject("data").put("release", HelmStorage.base64("not a release".getBytes(StandardCharsets.UTF_8)));
        ObjectNode newer = HelmStorage.secret(revision("shop", 11, "superseded"));
        newer.withObject("data").put("release", HelmStorage.base64("not a release".getBytes(StandardCharsets.UTF_8)));
        HelmReleases releases = new HelmReleases(DIGEST);

        releases.observe(HelmStorage.secret(revision("shop", 10, "deployed")));
        releases.observe(older);
        releases.observe(newer);

        assertThat(releases.skipped()).hasSize(1);
        assertThat(releases.releases()).extracting(HelmRelease::revision).containsExactly(10);
    }

    @Test
    void ignoresObjectsThatAreNotHelmStorage() {
        ObjectNode opaque = HelmStorage.secret(revision("shop", 1, "deployed"));
        opaque.put("type", "Opaque");
        ObjectNode unlabelled = HelmStorage.configMap(revision("shop", 1, "deployed"));
        unlabelled.withObject("metadata").withObject("labels").remove("owner");
        HelmReleases releases = new HelmReleases(DIGEST);

        releases.observe(opaque);
        releases.observe(unlabelled);

        assertThat(releases.releases()).isEmpty();
        assertThat(releases.skipped()).isEmpty();
    }

    @Test
    void givesTheSameAnswerWhenRevisionsArriveFromSeveralThreads() {
        HelmReleases releases = new HelmReleases(DIGEST);
        List<ObjectNode> stored = IntStream.rangeClosed(1, 40)
                .mapToObj(version -> HelmStorage.secret(revision("r" + version % 4, version, version % 3 == 0 ? "deployed" : "superseded")))
                .toList();

        stored.parallelStream().forEach(releases::observe);

        assertThat(releases.releases()).extracting(HelmRelease::name, HelmRelease::revision).containsExactly(
                tuple("r0", 36),
                tuple("r1", 33),
                tuple("r2", 30),
                tuple("r3", 39));
    }

    @Test
    void skipsAReleaseInflatingPastTheCapAsTooLargeWhicheverFieldHoldsTheBytes() throws Exception {
        HelmReleases releases = new HelmReleases(DIGEST, new HelmLimits(64 * 1024, 1024 * 1024, 1000, 1024, 100, 1024, 1024));
        ObjectNode bigSkipped = revision("skipped-field", 1, "deployed");
        bigSkipped.withObject("chart").putArray("files").addObject().put("data", "A".repeat(100_000));
        ObjectNode bigRead = revision("read-field", 1, "deployed");
        bigRead.put("manifest", "# " + "x".repeat(100_000));

        releases.observe(HelmStorage.secret(bigSkipped));
        releases.observe(HelmStorage.configMap(bigRead));
        releases.observe(HelmStorage.secret(revision("small", 1, "deployed")));

        assertThat(releases.releases()).extracting(HelmRelease::name).containsExactly("small");
        assertThat(releases.skipped()).extracting(Skipped::subject, Skipped::recordKind, Skipped::name, Skipped::reason)
                .containsExactly(
                        tuple("record", "helmRelease", "prod/read-field", "too-large"),
                        tuple("record", "helmRelease", "prod/skipped-field", "too-large"));
        assertThat(HelmReleases.MAX_INFLATED_BYTES).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void namesAnUndecodableReleaseAsASkippedRecordWithoutQuotingItsPayload() {
        ObjectNode broken = HelmStorage.secret(revision("broken", 1, "deployed"));
        broken.withObject("data").put("release", HelmStorage.base64("H4sI-not-gzip-s3cr3t".getBytes(StandardCharsets.UTF_8)));
        HelmReleases releases = new HelmReleases(DIGEST);

        releases.observe(broken);

        assertThat(releases.skipped()).singleElement().satisfies(entry -> {
            assertThat(entry.name()).isEqualTo("prod/broken");
            assertThat(entry.reason()).isEqualTo("unparseable");
            assertThat(entry.message()).contains("sh.helm.release.v1.broken.v1").doesNotContain("s3cr3t");
        });
    }

    private static ObjectNode revision(String name, int version, String status) {
        return HelmStorage.release(name, "prod", version, status, "1.0." + version, "{\"replicas\": " + version + "}", "");
    }

    /** HMAC-SHA256 under {@link #KEY} by the JDK alone, to check the digest against. */
    private static String hmacHex(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
