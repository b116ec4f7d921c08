package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The redaction key Secret is generated on first install and kept on upgrade: rendered with helm
 * against the test cluster (a real API server on loopback), whose Secrets {@code lookup} reads.
 */
class RedactionKeyTest {

    private static final String SECRET_NAME = "collector-k8s-collector-redaction";

    @RegisterExtension
    static final HelmCluster CLUSTER = new HelmCluster(3);

    @TempDir
    static Path dir;

    @Test
    void anUpgradeKeepsTheKeyTheClusterHolds() {
        String stored = "a-key-from-the-first-install-0123456789";
        CLUSTER.cluster().store().put(redactionSecret(stored));
        try {
            String rendered = key(new Helm(dir).renderAgainst(CLUSTER.kubeconfig(), ValueSets.REQUIRED));

            assertThat(rendered).isEqualTo(stored);
        } finally {
            CLUSTER.cluster().store().delete("", "secrets", "inventory", SECRET_NAME);
        }
    }

    @Test
    void aFirstInstallGeneratesAKey() {
        String rendered = key(new Helm(dir).renderAgainst(CLUSTER.kubeconfig(), ValueSets.REQUIRED));

        assertThat(rendered).hasSize(48).matches("[A-Za-z0-9]+");
    }

    @Test
    void renderingAgainstTheClusterRaisesNoWarningAboutTheKey() {
        Command.Result against = new Helm(dir).templateAgainst(CLUSTER.kubeconfig(), ValueSets.REQUIRED);
        Command.Result offline = new Helm(dir).template(ValueSets.REQUIRED);

        assertThat(against.succeeded()).as(against.stderr()).isTrue();
        assertThat(against.stdout()).contains("kind: Secret").doesNotContain("Rendered without access to the cluster");
        assertThat(offline.stdout()).contains("Rendered without access to the cluster");
    }

    private static String key(Manifests manifests) {
        String encoded = manifests.named("Secret", SECRET_NAME).path("data").path("redactionKey").asString();
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    private static ObjectNode redactionSecret(String key) {
        ObjectNode secret = new JsonMapper().createObjectNode();
        secret.put("apiVersion", "v1").put("kind", "Secret").put("type", "Opaque");
        ObjectNode metadata = secret.putObject("metadata").put("name", SECRET_NAME).put("namespace", "inventory");
        HelmCluster.ownedByRelease(metadata, "collector");
        secret.putObject("data").put("redactionKey",
                Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)));
        return secret;
    }
}
