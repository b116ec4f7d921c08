package io.k8scollector.collector.enrichment;

/**
 * What one stored Helm release may make the collector hold while it is decoded, so that the heap
 * a release takes stays small whatever its payload: the inflated size alone does not bound it, as
 * a Jackson tree takes some 80 bytes a node and 64 MiB of tiny values ({@code [{},{},...]}) would
 * be twenty million of them (docs/redaction.md, Helm releases).
 *
 * @param inflatedBytes the most the release JSON may hold once inflated, read or skipped
 * @param stringChars the longest string the release JSON may hold (its manifest is one)
 * @param treeNodes the most nodes a tree read from the release may hold: its values, or a
 *     manifest document that the YAML parser reads
 * @param treeChars the most characters of names and strings such a tree may hold
 * @param resources the most resource references a manifest may give
 * @param resourceChars the most characters those references may hold together
 * @param summaryChars the most characters the summary's other texts (names, status,
 *     description, chart) may hold together: summaries are kept to the end of the run
 */
record HelmLimits(
        long inflatedBytes,
        int stringChars,
        int treeNodes,
        long treeChars,
        int resources,
        long resourceChars,
        int summaryChars) {

    /**
     * 64 MiB inflated, strings of 8 Mi characters, trees of 250,000 nodes and 4 Mi characters,
     * 10,000 references of 1 Mi characters, summary texts of 64 Ki characters.
     */
    static final HelmLimits DEFAULT = new HelmLimits(HelmReleases.MAX_INFLATED_BYTES, 8 * 1024 * 1024, 250_000,
            4L * 1024 * 1024, 10_000, 1024L * 1024, 64 * 1024);
}
