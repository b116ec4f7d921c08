package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.TreeNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TreeJsonTest {

    /** Shipped records must not change with the writer: the receiver compares their digests. */
    @Test
    void writesTheBytesTheProtocolsMapperWrites() {
        Random random = new Random(14);
        for (int i = 0; i < 200; i++) {
            TreeNode tree = tree(random, 0);
            assertThat(TreeJson.bytes(tree)).isEqualTo(Json.MAPPER.writeValueAsBytes(tree));
        }
    }

    @Test
    void leavesOutNullFieldsAndEscapesText() {
        TreeNode tree = new TreeNode(null, "v1", "Namespace", "quote \" and \u00e9 and \u0001", null, null);

        byte[] json = TreeJson.bytes(tree);

        assertThat(json).isEqualTo(Json.MAPPER.writeValueAsBytes(tree));
        assertThat(Json.MAPPER.readValue(json, TreeNode.class)).isEqualTo(tree);
    }

    private static TreeNode tree(Random random, int depth) {
        List<TreeNode> children = new ArrayList<>();
        int count = depth < 3 ? random.nextInt(4) : 0;
        for (int i = 0; i < count; i++) {
            children.add(tree(random, depth + 1));
        }
        String namespace = random.nextBoolean() ? "ns-" + random.nextInt(20) : null;
        return new TreeNode(UUID.randomUUID().toString(), random.nextBoolean() ? "apps/v1" : "v1",
                random.nextBoolean() ? "ReplicaSet" : "Pod", "name-" + random.nextInt(), namespace, children);
    }
}
