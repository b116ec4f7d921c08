package io.k8scollector.receiver.ingest;

import io.k8scollector.bench.Pods;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Single-thread time per object of the receiver's page parser (keys, content hash, body address)
 * over one page of 145 generated Pods (the load test's), warmed up: 12 rounds of 400 parses, the
 * last rounds are the figure. Run by {@code bench/receiver-timing.sh parse}.
 */
public class ParseTiming {
    public static void main(String[] args) throws Exception {
        Random random = new Random(42);
        ObjectNode page = Json.MAPPER.createObjectNode();
        ArrayNode objects = page.putArray("objects");
        int n = 145;
        for (int i = 0; i < n; i++) objects.add(Pods.pod("c", i, random));
        byte[] bytes = Json.MAPPER.writeValueAsBytes(page);
        System.out.println("page_bytes=" + bytes.length + " objects=" + n);
        for (int round = 0; round < 12; round++) {
            long t = System.nanoTime();
            int iters = 400;
            for (int k = 0; k < iters; k++) {
                try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
                    if (PageParser.parse(parser, bytes, RecordKind.OBJECTS).size() != n) throw new AssertionError();
                }
            }
            System.out.printf("round %d: %.2f us/object%n", round, (System.nanoTime() - t) / 1e3 / iters / n);
        }
    }
}
