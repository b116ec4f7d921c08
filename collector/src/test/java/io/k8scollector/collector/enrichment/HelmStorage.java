package io.k8scollector.collector.enrichment;

import io.k8scollector.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.node.ObjectNode;

/** Helm 3 release storage exactly as Helm writes it: release JSON, gzip, base64 (and base64 again on a Secret's wire). */
final class HelmStorage {

    private HelmStorage() {}

    /** A release revision in Helm's JSON shape, with a chart template, default values and a hook to skip. */
    static ObjectNode release(
            String name, String namespace, int version, String status, String chartVersion, String values, String manifest) {
        ObjectNode release = Json.MAPPER.createObjectNode();
        release.put("name", name);
        ObjectNode info = release.putObject("info");
        info.put("first_deployed", "2026-11-01T10:00:00.123456789+01:00");
        info.put("last_deployed", "2026-11-0" + version + "T12:00:00Z");
        info.put("deleted", "");
        info.put("description", "Revision " + version + " " + status);
        info.put("status", status);
        info.put("notes", "Thank you for installing " + name);
        ObjectNode chart = release.putObject("chart");
        ObjectNode metadata = chart.putObject("metadata");
        metadata.put("name", name + "-chart");
        metadata.put("version", chartVersion);
        metadata.put("appVersion", "2.0." + version);
        metadata.put("apiVersion", "v2");
        chart.putArray("templates").addObject()
                .put("name", "templates/deployment.yaml")
                .put("data", base64("kind: Deployment\n".getBytes(StandardCharsets.UTF_8)));
        chart.putObject("values").put("replicas", 1);
        release.set("config", Json.MAPPER.readTree(values));
        release.put("manifest", manifest);
        release.putArray("hooks").addObject().put("name", "pre-install").put("manifest", "kind: Job\n");
        release.put("version", version);
        release.put("namespace", namespace);
        return release;
    }

    /** Helm's own encoding: gzip, then base64. */
    static String helmEncoded(ObjectNode release) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            Json.MAPPER.writeValue(gzip, release);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return base64(bytes.toByteArray());
    }

    /**
     * The Secret storing {@code release} with its {@code field} replaced by {@code open}, then
     * {@code count} times {@code unit}, then {@code close} (raw JSON text): written straight into
     * gzip, so that a payload of many MiB inflated takes a few hundred KiB here.
     */
    static ObjectNode secretRepeating(ObjectNode release, String field, String open, String unit, int count, String close) {
        String mark = "repeated-here";
        ObjectNode marked = release.deepCopy();
        marked.put(field, mark);
        String json = Json.MAPPER.writeValueAsString(marked);
        int at = json.indexOf('"' + mark + '"');
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer gzip = new OutputStreamWriter(new GZIPOutputStream(bytes, 64 * 1024), StandardCharsets.UTF_8)) {
            gzip.write(json, 0, at);
            gzip.write(open);
            for (int i = 0; i < count; i++) {
                gzip.write(unit);
            }
            gzip.write(close);
            gzip.write(json, at + mark.length() + 2, json.length() - at - mark.length() - 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return storage("Secret", release, base64(base64(bytes.toByteArray()).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The Secret the Secret driver stores (its data base64 on the wire, so the release is base64 twice). */
    static ObjectNode secret(ObjectNode release) {
        return storage("Secret", release, base64(helmEncoded(release).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The ConfigMap the ConfigMap driver stores (Helm's base64 as the plain value). */
    static ObjectNode configMap(ObjectNode release) {
        return storage("ConfigMap", release, helmEncoded(release));
    }

    private static ObjectNode storage(String kind, ObjectNode release, String payload) {
        String name = release.get("name").stringValue();
        int version = release.get("version").intValue();
        ObjectNode object = Json.MAPPER.createObjectNode();
        object.put("apiVersion", "v1");
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", "sh.helm.release.v1." + name + ".v" + version);
        metadata.put("namespace", release.get("namespace").stringValue());
        metadata.put("uid", java.util.UUID.randomUUID().toString());
        metadata.putObject("labels")
                .put("owner", "helm")
                .put("name", name)
                .put("status", release.path("info").path("status").stringValue())
                .put("version", String.valueOf(version));
        if ("Secret".equals(kind)) {
            object.put("type", "helm.sh/release.v1");
        }
        object.putObject("data").put("release", payload);
        return object;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
