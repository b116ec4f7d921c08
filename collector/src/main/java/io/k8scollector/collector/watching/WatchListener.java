package io.k8scollector.collector.watching;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Skipped;
import java.time.Duration;

/**
 * What a {@link TypeWatch} tells its caller. Calls for one watch come one at a time, from the HTTP
 * client's threads (events, progress, refused objects) or the watch's own thread (the rest), and
 * none after {@link TypeWatch#close()} returned. A listener must not block for long: while it runs,
 * the watch reads nothing more.
 */
public interface WatchListener {

    /** An object was added, modified or deleted; its resourceVersion is now the watch's. */
    void changed(WatchEvent event);

    /** The watch has seen every change up to {@code resourceVersion} (a bookmark, or a skipped event). */
    void progressed(ResourceType type, String resourceVersion);

    /**
     * The server no longer has the history after the watch's resourceVersion ({@code 410 Gone}, as
     * an {@code ERROR} event or as the answer): the watch has ended, the caller lists the type again.
     */
    void expired(ResourceType type);

    /**
     * The type may not or cannot be watched (401/403: {@code forbidden}; 404: {@code not-found};
     * another 4xx: {@code failed}): the watch has ended.
     *
     * @param message names the type, the URL and the status
     */
    void refused(ResourceType type, Skipped.Reason reason, String message);

    /**
     * The stream ended and the watch starts again from its resourceVersion after {@code delay}.
     *
     * @param failures consecutive failed attempts so far; 0 when the stream ended after working (the
     *     server's timeout), which is resumed at once
     * @param why what ended it: the server's end, a dropped connection, an {@code ERROR} event, an
     *     HTTP status, a silent connection; naming the URL
     */
    void restarting(ResourceType type, int failures, Duration delay, String why);

    /**
     * An event whose object the parser refused (nested too deep, a number or name too long, a line
     * too large): the watch reads on. The object's state is unknown until a list.
     */
    void refusedObject(ResourceType type, Skipped skipped);
}
