package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.UidBits;
import io.k8scollector.protocol.TreeNode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the ownership trees keep of one object: a few dozen bytes besides its name. Its uid as two
 * longs, shared strings for apiVersion, kind and namespace, its owners' uids, and what implied
 * links need (a slice's service name, a claim's volume, a StatefulSet's claim templates).
 */
final class OwnershipRef {

    static final String[] NO_LINKS = new String[0];
    private static final Pattern ORDINAL = Pattern.compile("-\\d+$");

    final long uidHigh;
    final long uidLow;
    /** The uid's text when it is not a canonical UUID (only then; real clusters always use UUIDs). */
    final String uidText;
    final String apiVersion;
    final String kind;
    final String name;
    final String namespace;
    /** Owner uids as pairs of longs, the controller's first; null when the object has no owner. */
    final long[] owners;
    final String[] links;

    OwnershipRef(String uid, String apiVersion, String kind, String name, String namespace, long[] owners,
            String[] links) {
        UidBits bits = UidBits.of(uid);
        this.uidHigh = bits.high();
        this.uidLow = bits.low();
        this.uidText = bits.text().equals(uid) ? null : uid;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.name = name;
        this.namespace = namespace;
        this.owners = owners;
        this.links = links;
    }

    UidBits bits() {
        return new UidBits(uidHigh, uidLow);
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

    /** This object as a node of a tree, with {@code children}. */
    TreeNode node(List<TreeNode> children) {
        return new TreeNode(uid(), apiVersion, kind, name, namespace, children);
    }

    /** Whether {@code other} makes the same tree node (uid, apiVersion, kind, name, namespace). */
    boolean sameNode(OwnershipRef other) {
        return uidHigh == other.uidHigh && uidLow == other.uidLow && Objects.equals(uidText, other.uidText)
                && apiVersion.equals(other.apiVersion) && kind.equals(other.kind) && name.equals(other.name)
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
            case "Endpoints" -> service(name);
            case "EndpointSlice" -> links.length > 0 ? service(links[0]) : null;
            case "PersistentVolumeClaim" -> template(ORDINAL.matcher(name).replaceFirst(""));
            case "PersistentVolume" -> volume(name);
            default -> null;
        };
    }

    /** The implied links this object is the parent under, none repeated: a Service's, a StatefulSet's templates', a claim's volume's. */
    String[] offers() {
        return switch (linkKind()) {
            case "Service" -> new String[] {service(name)};
            case "StatefulSet" -> Arrays.stream(links).distinct().map(template -> template(template + "-" + name))
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
