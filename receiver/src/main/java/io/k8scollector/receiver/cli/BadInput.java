package io.k8scollector.receiver.cli;

/**
 * A value on the command line that is not allowed: the command exits 2 with this message, one
 * line that names the value and what is allowed. Only the command line throws it, before anything
 * is served or written.
 */
final class BadInput extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message);
    }
}
