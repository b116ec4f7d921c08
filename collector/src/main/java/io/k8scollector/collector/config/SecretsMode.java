package io.k8scollector.collector.config;

import java.util.List;
import java.util.Locale;

/** What happens to the values of a Secret's {@code data} and {@code stringData}: {@code collector.secrets}. */
public enum SecretsMode {
    /** Each value becomes {@code hmac-sha256:<hex>} of its decoded bytes (the default). */
    HASH,
    /** The values are removed; the keys stay. */
    DROP,
    /** The values are sent as they are: an explicit opt-in, warned about every run. */
    KEEP;

    /** The configuration values, in lower case. */
    public static List<String> names() {
        return List.of("hash", "drop", "keep");
    }

    static SecretsMode of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
