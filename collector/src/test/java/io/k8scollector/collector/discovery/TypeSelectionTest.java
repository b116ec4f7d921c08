package io.k8scollector.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.DefaultResources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TypeSelectionTest {

    private static final List<String> LIST = List.of("get", "list", "watch");

    private static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", true, LIST);
    private static final ResourceType EVENTS = new ResourceType("", "v1", "Event", "events", true, LIST);
    private static final ResourceType SECRETS = new ResourceType("", "v1", "Secret", "secrets", true, LIST);
    private static final ResourceType BINDINGS = new ResourceType("", "v1", "Binding", "bindings", true, List.of("create"));
    private static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "Deployment", "deployments", true, LIST);
    private static final ResourceType NEW_EVENTS = new ResourceType("events.k8s.io", "v1", "Event", "events", true, LIST);
    private static final ResourceType POD_METRICS = new ResourceType("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", true, LIST);
    private static final ResourceType WIDGETS = new ResourceType("example.com", "v1", "Widget", "widgets", true, LIST);
    private static final ResourceType APPLICATIONS = new ResourceType("argoproj.io", "v1alpha1", "Application", "applications", true, LIST);

    private static final List<ResourceType> SERVED =
            List.of(PODS, EVENTS, SECRETS, BINDINGS, DEPLOYMENTS, NEW_EVENTS, POD_METRICS, WIDGETS, APPLICATIONS);

    private static Set<ResourceType> select(List<String> resources, Map<String, Boolean> toggles, List<String> excludes) {
        return TypeSelection.of(new Selection(resources, toggles, excludes, null, Set.of(), null)).select(SERVED);
    }

    @Test
    void theDefaultListTakesNamedBuiltInsAndEveryCustomTypeButNotMetrics() {
        assertThat(select(DefaultResources.names(), Map.of(), List.of()))
                .containsExactlyInAnyOrder(PODS, DEPLOYMENTS, WIDGETS, APPLICATIONS);
    }

    @Test
    void takesCustomResourcesInGroupsUnderK8sIoByDefaultAndBuiltInsOnlyWhenNamed() {
        ResourceType routes = new ResourceType("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", true, LIST);
        ResourceType ingresses = new ResourceType("networking.k8s.io", "v1", "Ingress", "ingresses", true, LIST);

        assertThat(TypeSelection.of(new Selection(List.of("pods"), Map.of(), List.of(), null, Set.of(), null))
                        .select(List.of(PODS, routes, ingresses)))
                .containsExactlyInAnyOrder(PODS, routes);
    }

    @Test
    void aBareNameMeansTheCoreGroupsTypeAndResourceDotGroupNamesOnePrecisely() {
        assertThat(select(List.of("events", "pods"), Map.of(), List.of()))
                .containsExactlyInAnyOrder(EVENTS, PODS, WIDGETS, APPLICATIONS);
        assertThat(select(List.of("events.events.k8s.io", "pods.metrics.k8s.io"), Map.of(), List.of()))
                .containsExactlyInAnyOrder(NEW_EVENTS, POD_METRICS, WIDGETS, APPLICATIONS);
    }

    @Test
    void togglesOverrideTheListBothWays() {
        assertThat(select(List.of("pods"), Map.of("secrets", true, "pods", false, "applications", false), List.of()))
                .containsExactlyInAnyOrder(SECRETS, WIDGETS);
    }

    @Test
    void exclusionsWithWildcardsWinOverEverything() {
        assertThat(select(List.of("pods", "deployments.apps"), Map.of("secrets", true), List.of("*.example.com", "secrets", "deploy*")))
                .containsExactlyInAnyOrder(PODS, APPLICATIONS);
    }

    @Test
    void typesWithoutTheListVerbAreNeverSelected() {
        assertThat(select(List.of("bindings"), Map.of("bindings", true), List.of())).doesNotContain(BINDINGS);
    }
}
