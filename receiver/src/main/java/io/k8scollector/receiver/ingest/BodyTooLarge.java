package io.k8scollector.receiver.ingest;

/** A request body passed one of the {@link Limits}; unchecked so that it crosses the JSON parser. */
final class BodyTooLarge extends RuntimeException {

    BodyTooLarge(String message) {
        super(message);
    }
}
