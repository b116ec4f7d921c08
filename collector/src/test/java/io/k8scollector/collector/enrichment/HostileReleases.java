package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Skipped;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ObjectNode;

/**
 * Releases built to exhaust a decoder that holds what it reads: each inflates to nearly
 * {@link HelmReleases#MAX_INFLATED_BYTES} or holds many small things. {@link #main} reads them
 * all under the default limits, one after the other, and prints what became of each, for a test
 * to run in a JVM with a small heap.
 */
final class HostileReleases {

    /** Tiny values: {@code {"a":[{},{},...]}}, one node every three bytes. */
    static ObjectNode tinyValues(int count) {
        return HelmStorage.secretRepeating(release("tiny-values"), "config", "{\"a\":[", "{},", count, "{}]}");
    }

    /** One string in the values as long as {@code length}. */
    static ObjectNode longValue(int length) {
        return HelmStorage.secretRepeating(release("long-value"), "config", "{\"a\":\"", "x", length, "\"}");
    }

    /** A manifest of {@code count} tiny documents, each of which the line reader takes. */
    static ObjectNode tinyDocuments(int count) {
        return HelmStorage.secretRepeating(release("tiny-documents"), "manifest", "\"",
                "kind: A\\nmetadata:\\n  name: a\\n---\\n", count, "\"");
    }

    /** A manifest of one flow-style {@code List} with {@code count} empty items, which the YAML parser reads. */
    static ObjectNode flowList(int count) {
        return HelmStorage.secretRepeating(release("flow-list"), "manifest", "\"{kind: List, items: [",
                "{}, ", count, "{}]}\"");
    }

    private static ObjectNode release(String name) {
        return HelmStorage.release(name, "prod", 1, "deployed", "1.0.0", "{}", "");
    }

    public static void main(String[] args) {
        long inflated = HelmReleases.MAX_INFLATED_BYTES - 4096;
        HelmReleases releases = new HelmReleases(new KeyedDigest("a-hostile-test-key".getBytes(StandardCharsets.UTF_8)));
        releases.observe(tinyValues((int) (inflated / 3)));
        releases.observe(longValue((int) inflated));
        releases.observe(tinyDocuments(HelmLimits.DEFAULT.stringChars() / 33));
        releases.observe(flowList(HelmLimits.DEFAULT.stringChars() / 8));
        releases.observe(HelmStorage.secret(HelmStorage.release("small", "prod", 1, "deployed", "1.0.0", "{}", "")));
        for (Skipped skipped : releases.skipped()) {
            System.out.println(skipped.name() + " " + skipped.reason() + " " + skipped.message());
        }
        for (HelmRelease release : releases.releases()) {
            System.out.println(release.namespace() + "/" + release.name() + " read");
        }
    }

    private HostileReleases() {}
}
