package io.k8scollector.testkit.server;

import java.time.Duration;

/**
 * How the server paces its watches.
 *
 * @param bookmarkInterval how often a watch that allows bookmarks gets one
 * @param maxWatch the longest a watch stays open, whatever its {@code timeoutSeconds} asks
 */
public record WatchLimits(Duration bookmarkInterval, Duration maxWatch) {}
