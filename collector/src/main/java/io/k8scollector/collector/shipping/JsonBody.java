package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Json;

/** A small request body (login, start, commit): one value serialised with the protocol's mapper. */
final class JsonBody implements RequestBody {

    private final byte[] json;
    private final BodyEncoder encoder;

    JsonBody(Object value, BodyEncoder encoder) {
        this.json = Json.MAPPER.writeValueAsBytes(value);
        this.encoder = encoder;
    }

    @Override
    public Form encoded() {
        return encoder.encode(out -> out.write(json), json.length);
    }

    @Override
    public Form plain() {
        return BodyEncoder.plain(out -> out.write(json), json.length);
    }
}
