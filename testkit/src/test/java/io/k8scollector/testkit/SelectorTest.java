package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SelectorTest {

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(0).build());

    @BeforeAll
    static void labelConfigMaps() {
        String[][] labels = {{"a", "web", "prod"}, {"b", "web", "dev"}, {"c", "db", "prod"}, {"d", "db", null}};
        for (String[] entry : labels) {
            ObjectNode map = Json.MAPPER.createObjectNode();
            map.put("apiVersion", "v1");
            map.put("kind", "ConfigMap");
            ObjectNode metadata = map.putObject("metadata");
            metadata.put("name", "cm-" + entry[0]);
            metadata.put("namespace", "selectors");
            ObjectNode values = metadata.putObject("labels");
            values.put("app", entry[1]);
            if (entry[2] != null) {
                values.put("env", entry[2]);
            }
            running.cluster().store().put(map);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "app=web | cm-a cm-b",
        "app==db | cm-c cm-d",
        "app!=web | cm-c cm-d",
        "env in (prod,dev) | cm-a cm-b cm-c",
        "env notin (prod) | cm-b cm-d",
        "env | cm-a cm-b cm-c",
        "!env | cm-d",
        "app=db,env=prod | cm-c",
        "app in (web), env notin (dev) | cm-a",
    })
    void labelSelectorsPickTheMatchingObjects(String selector, String expected) {
        assertThat(names("labelSelector=" + encode(selector))).containsExactly(expected.split(" "));
    }

    @Test
    void fieldSelectorsOnNameAndNamespace() {
        assertThat(names("fieldSelector=metadata.name%3Dcm-b")).containsExactly("cm-b");
        assertThat(names("fieldSelector=metadata.name!%3Dcm-b,metadata.namespace%3Dselectors"))
                .containsExactly("cm-a", "cm-c", "cm-d");
    }

    @Test
    void selectedPagesCarryAContinueTokenButNoRemainingCount() {
        JsonNode page = running.client().json("/api/v1/namespaces/selectors/configmaps?limit=1&labelSelector=app%3Dweb");
        assertThat(page.path("metadata").path("continue").asString()).isNotEmpty();
        assertThat(page.path("metadata").has("remainingItemCount")).isFalse();
    }

    @Test
    void refusesMalformedSelectorsNamingThem() {
        JsonNode label = running.client().json("/api/v1/configmaps?labelSelector=" + encode("app in web"));
        assertThat(label.path("code").asInt()).isEqualTo(400);
        assertThat(label.path("message").asString()).contains("app in web");
        JsonNode field = running.client().json("/api/v1/configmaps?fieldSelector=spec.nodeName%3Dx");
        assertThat(field.path("code").asInt()).isEqualTo(400);
        assertThat(field.path("message").asString()).contains("spec.nodeName");
    }

    private static List<String> names(String query) {
        JsonNode list = running.client().json("/api/v1/namespaces/selectors/configmaps?" + query);
        List<String> names = new ArrayList<>();
        list.get("items").forEach(item -> names.add(item.path("metadata").path("name").asString()));
        return names;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
