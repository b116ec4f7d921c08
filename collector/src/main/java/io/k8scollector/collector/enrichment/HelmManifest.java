package io.k8scollector.collector.enrichment;

import io.k8scollector.protocol.HelmRelease.ResourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The objects a release's rendered manifest holds: one reference per YAML document (and per item
 * of a {@code List} document). A document without a namespace is in the release's namespace,
 * unless its kind is one of the cluster-scoped kinds named here; a custom kind is assumed to be
 * namespaced, since the manifest alone cannot say.
 *
 * <p>Helm renders block-style YAML, whose top-level keys start at column 0, so a document is first
 * read line by line for {@code apiVersion}, {@code kind} and {@code metadata}'s {@code name} and
 * {@code namespace}, since a YAML parser took most of the decoder's time on a large manifest
 * (docs/redaction.md, Benchmarks). A document this cannot read with certainty (flow style,
 * anchors, block scalars, a {@code List}, a missing kind or name) is read by the YAML parser,
 * into a tree bounded as the values are. The references are bounded in number and in size
 * ({@link HelmLimits}): a manifest of a million tiny documents is refused, not listed.
 */
final class HelmManifest {

    /** Built-in cluster-scoped kinds, and those of widespread add-ons (cert-manager, Gatekeeper...). */
    static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace", "Node", "PersistentVolume", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
            "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService", "PriorityClass",
            "PriorityLevelConfiguration", "FlowSchema", "RuntimeClass", "IngressClass", "PodSecurityPolicy",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
            "CertificateSigningRequest", "ComponentStatus", "VolumeSnapshotClass", "VolumeSnapshotContent",
            "ClusterIssuer", "ConstraintTemplate", "GatewayClass", "DeviceClass", "ClusterTrustBundle",
            "StorageVersionMigration");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private HelmManifest() {}

    /**
     * The references in {@code manifest}, defaulting namespaces to {@code releaseNamespace}.
     *
     * @throws TooLarge past the limits on references, or on the tree of a document the YAML parser reads
     * @throws tools.jackson.core.JacksonException when a document needs the YAML parser and it fails
     */
    static List<ResourceRef> resources(String manifest, String releaseNamespace, HelmLimits limits) throws TooLarge {
        References refs = new References(limits);
        int start = 0;
        while (start < manifest.length()) {
            int end = documentEnd(manifest, start);
            Document document = Document.scan(manifest, start, end);
            if (document.certain()) {
                refs.add(document.ref(releaseNamespace));
            } else if (document.hasContent) {
                parse(manifest.substring(start, end), releaseNamespace, refs, limits);
            }
            start = end;
        }
        return refs.list;
    }

    /** Where the document starting at {@code start} ends: at the next {@code ---} line, or the end. */
    private static int documentEnd(String manifest, int start) {
        int line = start;
        if (manifest.startsWith("---", line)) {
            line = nextLine(manifest, line);
        }
        while (line < manifest.length() && !isSeparator(manifest, line)) {
            line = nextLine(manifest, line);
        }
        return line;
    }

    private static boolean isSeparator(String text, int line) {
        return text.startsWith("---", line)
                && (line + 3 == text.length() || Character.isWhitespace(text.charAt(line + 3)));
    }

    private static int nextLine(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline + 1;
    }

    private static void parse(String yaml, String releaseNamespace, References refs, HelmLimits limits)
            throws TooLarge {
        try (JsonParser documents = YAML.createParser(yaml)) {
            while (documents.nextToken() != null) {
                JsonNode document = new BoundedTree("a document of its manifest", limits.treeNodes(), limits.treeChars())
                        .read(documents);
                if (document.isObject()) {
                    add(document, releaseNamespace, refs);
                }
            }
        }
    }

    private static void add(JsonNode document, String releaseNamespace, References refs) throws TooLarge {
        String kind = document.path("kind").asString("");
        if (kind.isEmpty()) {
            return;
        }
        if (kind.endsWith("List") && document.path("items").isArray()) {
            for (JsonNode item : document.path("items")) {
                add(item, releaseNamespace, refs);
            }
            return;
        }
        JsonNode metadata = document.path("metadata");
        refs.add(ref(document.path("apiVersion").asString(""), kind, metadata.path("name").asString(""),
                metadata.path("namespace").asString(""), releaseNamespace));
    }

    private static ResourceRef ref(String apiVersion, String kind, String name, String namespace, String releaseNamespace) {
        if (namespace.isEmpty()) {
            namespace = CLUSTER_SCOPED_KINDS.contains(kind) ? null : releaseNamespace;
        }
        return new ResourceRef(apiVersion, kind, name, namespace);
    }

    /** The references found so far, refused past the limits' count or size. */
    private static final class References {
        final List<ResourceRef> list = new ArrayList<>();
        private final HelmLimits limits;
        private long chars;

        References(HelmLimits limits) {
            this.limits = limits;
        }

        void add(ResourceRef ref) throws TooLarge {
            if (list.size() == limits.resources()) {
                throw new TooLarge("its manifest: more than " + limits.resources() + " resources");
            }
            chars += length(ref.apiVersion()) + length(ref.kind()) + length(ref.name()) + length(ref.namespace());
            if (chars > limits.resourceChars()) {
                throw new TooLarge("its manifest: more than " + limits.resourceChars() + " characters of resource references");
            }
            list.add(ref);
        }

        private static int length(String text) {
            return text == null ? 0 : text.length();
        }
    }

    /** What a line-by-line reading of one block-style document found. */
    private static final class Document {
        String apiVersion = "";
        String kind = "";
        String name = "";
        String namespace = "";
        boolean hasContent;
        boolean uncertain;

        static Document scan(String text, int start, int end) {
            Document document = new Document();
            boolean inMetadata = false;
            int metadataIndent = -1;
            for (int line = start; line < end; line = nextLine(text, line)) {
                int lineEnd = Math.min(end, nextLine(text, line));
                String content = text.substring(line, lineEnd).stripTrailing();
                String trimmed = content.stripLeading();
                if (isSeparator(text, line)) {
                    String rest = trimmed.substring(3).strip();
                    // content on the marker's own line is valid YAML, but rare: the parser reads it
                    document.uncertain |= !rest.isEmpty() && !rest.startsWith("#");
                    document.hasContent |= document.uncertain;
                    continue;
                }
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                document.hasContent = true;
                int indent = content.length() - trimmed.length();
                if (indent == 0 && (trimmed.equals("-") || trimmed.startsWith("- "))) {
                    // an entry of a top-level key's sequence, written without indentation (rules:, subjects:)
                    inMetadata = false;
                } else if (indent == 0) {
                    inMetadata = trimmed.equals("metadata:");
                    document.readTopLevel(trimmed);
                } else if (inMetadata) {
                    if (metadataIndent < 0) {
                        metadataIndent = indent;
                    }
                    if (indent == metadataIndent) {
                        document.readMetadata(trimmed);
                    }
                }
            }
            return document;
        }

        boolean certain() {
            return hasContent && !uncertain && !kind.isEmpty() && !name.isEmpty() && !kind.endsWith("List");
        }

        ResourceRef ref(String releaseNamespace) {
            return HelmManifest.ref(apiVersion, kind, name, namespace, releaseNamespace);
        }

        private void readTopLevel(String line) {
            if (line.startsWith("apiVersion:")) {
                apiVersion = value(line, "apiVersion:".length());
            } else if (line.startsWith("kind:")) {
                kind = value(line, "kind:".length());
            } else if (line.startsWith("metadata:") && !line.equals("metadata:")) {
                uncertain = true;
            } else if (!Character.isLetterOrDigit(line.charAt(0)) && line.charAt(0) != '_') {
                // a directive, a flow collection, an anchor or a quoted key: the parser decides
                uncertain = true;
            }
        }

        private void readMetadata(String line) {
            if (line.startsWith("name:")) {
                name = value(line, "name:".length());
            } else if (line.startsWith("namespace:")) {
                namespace = value(line, "namespace:".length());
            }
        }

        /** A plain or quoted scalar after a key; anything fancier makes the document uncertain. */
        private String value(String line, int from) {
            String value = line.substring(from).strip();
            if (value.isEmpty()) {
                uncertain = true;
                return "";
            }
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.length() > 1 && value.indexOf(first, 1) == value.length() - 1
                    && value.indexOf('\\') < 0) {
                return value.substring(1, value.length() - 1);
            }
            int comment = value.indexOf(" #");
            if (comment >= 0) {
                value = value.substring(0, comment).strip();
            }
            if ("{[&*!|>'\"%@`".indexOf(first) >= 0 || value.contains(": ")) {
                uncertain = true;
            }
            return value;
        }
    }
}
