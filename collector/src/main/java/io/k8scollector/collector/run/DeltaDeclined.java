package io.k8scollector.collector.run;

import io.k8scollector.collector.CollectorException;

/** The endpoint took a delta sent in the middle of a relist as a full fetching: a full fetching follows. */
final class DeltaDeclined extends CollectorException {
    private static final long serialVersionUID = 1L;

    DeltaDeclined() {
        super("the endpoint did not take a delta as a delta");
    }
}
