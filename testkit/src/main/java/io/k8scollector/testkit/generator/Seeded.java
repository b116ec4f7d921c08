package io.k8scollector.testkit.generator;

import io.k8scollector.testkit.KubeObjects;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generator's source of names, uids, times and addresses: one seeded random sequence, so the
 * same seed and the same order of calls give the same cluster.
 */
final class Seeded {

    /** Objects are made between this instant and a few weeks later. */
    private static final Instant EPOCH = Instant.parse("2026-01-05T08:00:00Z");
    private static final String HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final Random random;
    private int nextPodIp;

    Seeded(long seed) {
        this.random = new Random(seed);
    }

    /** A random (version 4) uid. */
    String uid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** A time in the weeks after the epoch, to the second. */
    String timestamp() {
        return EPOCH.plusSeconds(random.nextInt(30 * 24 * 3600)).toString();
    }

    /** A suffix as controllers make them ({@code 7d9f8b6c5d} style, of {@code length} characters). */
    String hash(int length) {
        StringBuilder hash = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            hash.append(HASH_ALPHABET.charAt(random.nextInt(HASH_ALPHABET.length())));
        }
        return hash.toString();
    }

    /** A number in {@code [from, to]}. */
    int between(int from, int to) {
        return from + random.nextInt(to - from + 1);
    }

    /** One of the values. */
    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Whether an event of the given probability happens. */
    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** The next pod IP, unique in the cluster (10.244.0.0/14). */
    String podIp() {
        int n = nextPodIp++;
        return "10.244." + ((n >> 8) & 0x3FF) + "." + (n & 0xFF);
    }

    /** A fake secret value; clearly not a real one. */
    String fakeSecret() {
        return "fake-" + hash(16);
    }

    /**
     * A new object with its type and metadata (name, namespace when given, uid, creationTimestamp).
     *
     * @param namespace null for cluster-scoped objects
     */
    ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode object = KubeObjects.object(apiVersion, kind, namespace, name);
        ObjectNode metadata = object.withObject("metadata");
        metadata.put("uid", uid());
        metadata.put("creationTimestamp", timestamp());
        return object;
    }

    /** Adds {@code key=value} pairs as an object named {@code field}. */
    static ObjectNode strings(ObjectNode parent, String field, String... pairs) {
        ObjectNode map = parent.putObject(field);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Adds an array of strings named {@code field}. */
    static ArrayNode array(ObjectNode parent, String field, String... values) {
        ArrayNode array = parent.putArray(field);
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    /** Base64 of the UTF-8 bytes, as Secret data carries values. */
    static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The object's metadata node. */
    static ObjectNode metadata(ObjectNode object) {
        return (ObjectNode) object.get("metadata");
    }

    /** Adds a controller ownerReference to {@code owner}. */
    static void ownedBy(ObjectNode object, ObjectNode owner) {
        ObjectNode ownerMeta = metadata(owner);
        ObjectNode reference = metadata(object).putArray("ownerReferences").addObject();
        reference.put("apiVersion", owner.get("apiVersion").asString());
        reference.put("kind", owner.get("kind").asString());
        reference.put("name", ownerMeta.get("name").asString());
        reference.put("uid", ownerMeta.get("uid").asString());
        reference.put("controller", true);
        reference.put("blockOwnerDeletion", true);
    }

    /** The object's name. */
    static String name(ObjectNode object) {
        return metadata(object).get("name").asString();
    }

    /** The object's uid. */
    static String uid(ObjectNode object) {
        return metadata(object).get("uid").asString();
    }
}
