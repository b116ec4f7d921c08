package io.k8scollector.receiver.server;

import io.javalin.json.JsonMapper;
import io.k8scollector.protocol.Json;
import java.io.InputStream;
import java.lang.reflect.Type;

/** Javalin's JSON mapper over the protocol's Jackson 3 mapper, so that Jackson 2 is never needed. */
final class Jackson3Mapper implements JsonMapper {

    @Override
    public String toJsonString(Object obj, Type type) {
        return Json.MAPPER.writeValueAsString(obj);
    }

    @Override
    public <T> T fromJsonString(String json, Type targetType) {
        return Json.MAPPER.readValue(json, Json.MAPPER.constructType(targetType));
    }

    @Override
    public <T> T fromJsonStream(InputStream json, Type targetType) {
        return Json.MAPPER.readValue(json, Json.MAPPER.constructType(targetType));
    }
}
