package io.k8scollector.receiver.store;

/** The database could not be opened, migrated or used; the message names the database or table. */
public final class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
