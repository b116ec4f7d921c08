package io.k8scollector.collector.shipping;

import java.util.Optional;

/**
 * A request body the endpoint can be sent in two forms: encoded (gzip, the normal case) and plain
 * JSON, the fallback after a {@code 415} or when compression failed.
 */
interface RequestBody {

    /** The body as normally sent; plain when compression failed. */
    Form encoded();

    /** The body as plain JSON, without {@code Content-Encoding}. */
    Form plain();

    /**
     * One form of the body: bytes as they go on the wire.
     *
     * @param encoding the {@code Content-Encoding}, empty for plain JSON
     * @param plainSize the size before compression
     */
    record Form(byte[] bytes, Optional<String> encoding, long plainSize) {}
}
