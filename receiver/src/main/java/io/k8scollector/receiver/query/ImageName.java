package io.k8scollector.receiver.query;

/**
 * A container image reference split as the container runtime reads it:
 * {@code [registry/]repository[:tag][@digest]}. A reference with neither tag nor digest means
 * the tag {@code latest}.
 *
 * @param tag null when the reference pins a digest only
 * @param digest null when the reference names a tag only
 */
record ImageName(String reference, String repository, String tag, String digest) {

    static ImageName parse(String reference) {
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        // A colon before the last slash is a registry's port (registry:5000/app), not a tag.
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageName(reference, rest, tag == null && digest == null ? "latest" : tag, digest);
    }

    /** The digest a container status's {@code imageID} names ({@code ...@sha256:...}), or null. */
    static String digestOf(String imageId) {
        int at = imageId == null ? -1 : imageId.lastIndexOf('@');
        return at < 0 ? null : imageId.substring(at + 1);
    }
}
