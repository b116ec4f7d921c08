package io.k8scollector.collector.config;

import io.k8scollector.collector.CollectorException;

/**
 * Bad input or configuration, found before anything is contacted: the run exits with code 2.
 * The message names the key, the bad value and what is allowed.
 */
public final class ConfigException extends CollectorException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** {@code key: 'value' is not valid; allowed: ...}. */
    public static ConfigException invalid(String key, String value, String allowed) {
        return new ConfigException(key, key + ": '" + value + "' is not valid; allowed: " + allowed + ".");
    }

    /** The configuration key, flag or environment variable concerned. */
    public String key() {
        return key;
    }
}
