package io.k8scollector.collector.digest;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code hmac-sha256:<hex>} digests under the run's redaction key: equal values give equal
 * digests across runs with the same key, and nothing can be learnt from a digest without the key.
 * Thread-safe (one {@link Mac} per thread).
 */
public final class KeyedDigest {

    /** What every digest starts with. */
    public static final String PREFIX = "hmac-sha256:";

    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> macs;

    /** Digests under {@code key}. */
    public KeyedDigest(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    /** The digest of {@code value}'s bytes. */
    public String of(byte[] value) {
        return PREFIX + HexFormat.of().formatHex(macs.get().doFinal(value));
    }

    /** The digest of {@code value}'s UTF-8 bytes. */
    public String of(String value) {
        return of(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of {@code value}'s canonical JSON (see {@link CanonicalJson}). */
    public String ofJson(JsonNode value) {
        Mac mac = macs.get();
        CanonicalJson.write(value, new OutputStream() {
            @Override
            public void write(int b) {
                mac.update((byte) b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                mac.update(bytes, offset, length);
            }
        });
        return PREFIX + HexFormat.of().formatHex(mac.doFinal());
    }

    /**
     * The digest of a field of values, one way for every kind that holds them: of the text for a
     * string (Helm values as YAML), else of the canonical JSON.
     */
    public String ofValue(JsonNode value) {
        return value.isString() ? of(value.stringValue()) : ofJson(value);
    }

    /**
     * Replaces every string value of {@code values}, when it is an object, by its digest: of the
     * base64-decoded bytes when {@code base64} (a Secret's {@code data}), else of the UTF-8 text.
     */
    public void replaceValues(JsonNode values, boolean base64) {
        if (values instanceof ObjectNode map) {
            for (String name : List.copyOf(map.propertyNames())) {
                JsonNode value = map.get(name);
                if (value.isString()) {
                    map.put(name, of(bytes(value.stringValue(), base64)));
                }
            }
        }
    }

    /** The bytes of a stored value: base64-decoded when {@code base64} and it decodes, else its UTF-8 text. */
    public static byte[] bytes(String value, boolean base64) {
        if (base64) {
            try {
                return Base64.getMimeDecoder().decode(value);
            } catch (IllegalArgumentException notBase64) {
                // the API server never sends this; digest the text so that nothing leaks either way
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
