package io.k8scollector.collector.enrichment;

import java.io.IOException;

/** A stored Helm release holds more than one of the {@link HelmLimits}; the message says which, never quoting the payload. */
final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
        super(message);
    }
}
