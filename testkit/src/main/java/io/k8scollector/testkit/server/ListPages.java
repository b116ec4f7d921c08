package io.k8scollector.testkit.server;

import io.k8scollector.testkit.catalog.TypeKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The serialised bodies of list pages served at the store's current revision, so that a page asked
 * for again (every client paging through the same list, every benchmark round) is written from one
 * array instead of being assembled item by item. Any write to the store moves its revision on, and a
 * page is served only at the revision it was assembled at: a cached page is never older than the
 * last completed write. Bounded by bytes; when full it keeps what it holds and takes nothing more
 * until the next write empties it, so that a list larger than the budget still finds its first
 * pages (a least-recently-used cache would find none in a sequential pass). Thread-safe.
 */
final class ListPages {

    private final long budgetBytes;
    private final Map<Request, byte[]> pages = new HashMap<>();
    private long revision = Long.MIN_VALUE;
    private long bytes;

    /** @param budgetBytes the most bytes of page bodies held at once */
    ListPages(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** A budget of a quarter of the heap the JVM may grow to. */
    static ListPages sizedToHeap() {
        return new ListPages(Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * The body of a page assembled at {@code revision}, if one is held. A newer revision than any
     * seen before forgets every page held.
     *
     * @param revision the store's revision, read before the page is looked up or assembled
     */
    synchronized Optional<byte[]> get(Request request, long revision) {
        moveTo(revision);
        return revision == this.revision ? Optional.ofNullable(pages.get(request)) : Optional.empty();
    }

    /**
     * Keeps a page assembled from the store as it was at {@code revision} or later; dropped when the
     * store has moved on since, or the budget is spent.
     */
    synchronized void put(Request request, long revision, byte[] body) {
        moveTo(revision);
        if (revision == this.revision && bytes + body.length <= budgetBytes && pages.putIfAbsent(request, body) == null) {
            bytes += body.length;
        }
    }

    private void moveTo(long revision) {
        if (revision > this.revision) {
            pages.clear();
            bytes = 0;
            this.revision = revision;
        }
    }

    /**
     * Everything a list page's body depends on besides the store's contents: the same request at the
     * same revision gets the same bytes.
     *
     * @param version the version the type is listed in, which items of custom types carry
     * @param namespace null for every namespace
     * @param labelSelector as given, null when absent
     * @param fieldSelector as given, null when absent
     * @param continueToken as given, null when absent
     * @param form objects, or their metadata only
     */
    record Request(TypeKey type, String version, String namespace, String labelSelector, String fieldSelector,
            int limit, String continueToken, ListForm form) {}
}
