package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.protocol.HelmRelease.Chart;
import io.k8scollector.protocol.HelmRelease.ResourceRef;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ArgoApplicationsTest {

    private static final KeyedDigest DIGEST =
            new KeyedDigest("an-argo-applications-test-key".getBytes(StandardCharsets.UTF_8));

    static final String HELM_APPLICATION = """
            {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
             "metadata": {"name": "shop", "namespace": "argocd", "uid": "5b1c3f9e-0000-4000-8000-000000000001"},
             "spec": {"destination": {"server": "https://kubernetes.default.svc", "namespace": "prod"},
                      "source": {"repoURL": "https://charts.example.com", "chart": "shop", "targetRevision": "1.4.2",
                                 "helm": {"values": "db:\\n  password: planted-argo-values\\n",
                                          "valuesObject": {"api": {"token": "planted-argo-object"}},
                                          "parameters": [{"name": "db.password", "value": "planted-argo-param"}]}}},
             "status": {"sourceType": "Helm", "health": {"status": "Healthy"}, "sync": {"status": "Synced"},
                        "history": [{"id": 3, "revision": "1.4.1", "deployedAt": "2026-11-20T08:00:00Z"},
                                    {"id": 4, "revision": "1.4.2", "deployedAt": "2026-11-26T09:30:00Z"}],
                        "resources": [{"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "prod", "name": "shop"},
                                      {"version": "v1", "kind": "Service", "namespace": "prod", "name": "shop"},
                                      {"group": "rbac.authorization.k8s.io", "version": "v1", "kind": "ClusterRole", "name": "shop"}]}}
            """;

    @Test
    void mapsAHelmApplicationToAReleaseOfItsOwnNamespace() {
        ArgoApplications applications = new ArgoApplications(DIGEST);

        applications.observe(object(HELM_APPLICATION));

        assertThat(applications.releases()).singleElement().satisfies(release -> {
            assertThat(release.name()).isEqualTo("shop");
            assertThat(release.namespace()).isEqualTo("argocd");
            assertThat(release.destinationNamespace()).isEqualTo("prod");
            assertThat(release.source()).isEqualTo("argocd");
            assertThat(release.storage()).isEqualTo("argocd");
            assertThat(release.chart()).isEqualTo(new Chart("shop", "1.4.2", null));
            assertThat(release.revision()).isEqualTo(4);
            assertThat(release.status()).isEqualTo("Healthy");
            assertThat(release.firstDeployed()).isEqualTo(Instant.parse("2026-11-20T08:00:00Z"));
            assertThat(release.lastDeployed()).isEqualTo(Instant.parse("2026-11-26T09:30:00Z"));
            assertThat(release.resources()).containsExactly(
                    new ResourceRef("apps/v1", "Deployment", "shop", "prod"),
                    new ResourceRef("v1", "Service", "shop", "prod"),
                    new ResourceRef("rbac.authorization.k8s.io/v1", "ClusterRole", "shop", null));
            assertThat(release.valuesDigest()).isEqualTo(DIGEST.ofJson(Json.MAPPER.readTree("""
                    [{"parameters": [{"name": "db.password", "value": "planted-argo-param"}],
                      "values": "db:\\n  password: planted-argo-values\\n",
                      "valuesObject": {"api": {"token": "planted-argo-object"}}}]
                    """)));
        });
    }

    @Test
    void mapsADirectoryApplicationWithoutHistoryOrValues() {
        ArgoApplications applications = new ArgoApplications(DIGEST);

        applications.observe(object("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "infra", "namespace": "argocd"},
                 "spec": {"destination": {"namespace": "infra"},
                          "source": {"repoURL": "https://git.example.com/infra.git", "path": "clusters/prod", "targetRevision": "main"}},
                 "status": {"sourceType": "Directory"}}
                """));

        HelmRelease release = applications.releases().get(0);
        assertThat(release.chart()).isEqualTo(new Chart("clusters/prod", "main", null));
        assertThat(release.revision()).isZero();
        assertThat(release.status()).isNull();
        assertThat(release.valuesDigest()).isNull();
        assertThat(release.resources()).isEmpty();
    }

    @Test
    void ignoresKustomizeApplicationsAndOtherKinds() {
        ArgoApplications applications = new ArgoApplications(DIGEST);

        applications.observe(object("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "k", "namespace": "argocd"},
                 "spec": {"source": {"path": "overlays/prod"}}, "status": {"sourceType": "Kustomize"}}
                """));
        applications.observe(object("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject", "metadata": {"name": "p", "namespace": "argocd"}}
                """));
        applications.observe(object("""
                {"apiVersion": "example.com/v1", "kind": "Application", "metadata": {"name": "x", "namespace": "argocd"}}
                """));

        assertThat(applications.releases()).isEmpty();
    }

    static ObjectNode object(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }
}
