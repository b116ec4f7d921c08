package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.UidBits;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.TreeNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One object of an {@link ObjectIndex}: what the ownership trees read of it (its uid as two longs,
 * shared strings for apiVersion, kind and namespace, its name as UTF-8 bytes, its owners' uids,
 * what implied links need: a slice's service name, a claim's volume, a StatefulSet's claim
 * templates) and, once it was shipped, its type and resourceVersion. The tree's part is fixed (a
 * changed object is a new reference); the shipped part changes in place, under the index's lock.
 */
final class OwnershipRef {

    static final String[] NO_LINKS = new String[0];
    /** In the ownership trees: observed, and neither deleted nor forgotten since. */
    static final byte IN_TREE = 1;
    /** In what the endpoint holds: its type and resourceVersion are set. */
    static final byte SHIPPED = 2;
    private static final Pattern ORDINAL = Pattern.compile("-\\d+$");

    /** The uid's bits, or for an object without a uid those of its record key. */
    final long uidHigh;
    final long uidLow;
    /** The uid's text when it is not a canonical UUID (only then; real clusters always use UUIDs); empty for none. */
    final String uidText;
    final String apiVersion;
    final String kind;
    private final byte[] name;
    /** Null for a cluster-scoped object. */
    final String namespace;
    /** Owner uids as pairs of longs, the controller's first; null when the object has no owner. */
    final long[] owners;
    final String[] links;

    byte flags;
    ResourceType type;
    /** The shipped resourceVersion as a number, when {@link #textVersion} is null. */
    long version;
    String textVersion;
    /** The last listing round that saw the object; 0 for none. */
    int round;

    /** An object of {@code uid} (empty for none), keyed by {@code bits}: the uid's, else its record key's. */
    OwnershipRef(UidBits bits, String uid, String apiVersion, String kind, String name, String namespace,
            long[] owners, String[] links) {
        this.uidHigh = bits.high();
        this.uidLow = bits.low();
        this.uidText = uid.isEmpty() ? "" : bits.text().equals(uid) ? null : uid;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.name = name.getBytes(StandardCharsets.UTF_8);
        this.namespace = namespace;
        this.owners = owners;
        this.links = links;
    }

    UidBits bits() {
        return new UidBits(uidHigh, uidLow);
    }

    boolean is(byte flag) {
        return (flags & flag) != 0;
    }

    /** Takes over what {@code old}, the entry of the same uid, says was shipped. */
    void shippedAs(OwnershipRef old) {
        flags = (byte) (old.flags & SHIPPED);
        type = old.type;
        version = old.version;
        textVersion = old.textVersion;
        round = old.round;
    }

    UidBits owner(int index) {
        return new UidBits(owners[2 * index], owners[2 * index + 1]);
    }

    int ownerCount() {
        return owners == null ? 0 : owners.length / 2;
    }

    String uid() {
        return Objects.requireNonNullElseGet(uidText, () -> new UidBits(uidHigh, uidLow).text());
    }

    String name() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** This object as a node of a tree, with {@code children}. */
    TreeNode node(List<TreeNode> children) {
        return new TreeNode(uid(), apiVersion, kind, name(), namespace, children);
    }

    /** Whether {@code other} makes the same tree node (uid, apiVersion, kind, name, namespace). */
    boolean sameNode(OwnershipRef other) {
        return uidHigh == other.uidHigh && uidLow == other.uidLow && Objects.equals(uidText, other.uidText)
                && apiVersion.equals(other.apiVersion) && kind.equals(other.kind) && Arrays.equals(name, other.name)
                && Objects.equals(namespace, other.namespace);
    }

    /** Whether this object wins over {@code other} when both offer the same implied link: the lower uid does. */
    boolean precedes(OwnershipRef other) {
        return uidHigh != other.uidHigh ? uidHigh < other.uidHigh : uidLow < other.uidLow;
    }

    /**
     * The implied link this object looks for a parent under, or null: only an object without any
     * owner has one (an Endpoints its Service's, an EndpointSlice its labelled Service's, a claim
     * its StatefulSet template's, a volume its bound claim's).
     */
    String seeks() {
        if (owners != null) {
            return null;
        }
        return switch (linkKind()) {
            case "Endpoints" -> service(name());
            case "EndpointSlice" -> links.length > 0 ? service(links[0]) : null;
            case "PersistentVolumeClaim" -> template(ORDINAL.matcher(name()).replaceFirst(""));
            case "PersistentVolume" -> volume(name());
            default -> null;
        };
    }

    /** The implied links this object is the parent under, none repeated: a Service's, a StatefulSet's templates', a claim's volume's. */
    String[] offers() {
        return switch (linkKind()) {
            case "Service" -> new String[] {service(name())};
            case "StatefulSet" -> Arrays.stream(links).distinct().map(template -> template(template + "-" + name()))
                    .toArray(String[]::new);
            case "PersistentVolumeClaim" -> links.length > 0 ? new String[] {volume(links[0])} : NO_LINKS;
            default -> NO_LINKS;
        };
    }

    private String service(String serviceName) {
        return "Service " + namespace + "/" + serviceName;
    }

    private String template(String claimPrefix) {
        return "StatefulSet " + namespace + "/" + claimPrefix;
    }

    private static String volume(String volumeName) {
        return "PersistentVolume " + volumeName;
    }

    /** The kind, when it is one of the built-in kinds that implied links join; else empty. */
    private String linkKind() {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return switch (group) {
            case "" -> kind;
            case "apps" -> "StatefulSet".equals(kind) ? kind : "";
            case "discovery.k8s.io" -> "EndpointSlice".equals(kind) ? kind : "";
            default -> "";
        };
    }
}
