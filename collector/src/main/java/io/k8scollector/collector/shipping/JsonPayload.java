package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/** A small request body (login, start, commit): one value serialised with the protocol's mapper. */
final class JsonPayload implements Payload {

    private final byte[] json;
    private final Compressor compressor;

    JsonPayload(Object value, Compressor compressor) {
        this.json = Json.MAPPER.writeValueAsBytes(value);
        this.compressor = compressor;
    }

    @Override
    public Body encoded() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream(json.length / 4 + 64);
        try (OutputStream out = compressor.wrap(wire)) {
            out.write(json);
        } catch (IOException e) {
            return plain();
        }
        return new Body(wire.toByteArray(), compressor.encoding(), json.length);
    }

    @Override
    public Body plain() {
        return new Body(json, Optional.empty(), json.length);
    }
}
