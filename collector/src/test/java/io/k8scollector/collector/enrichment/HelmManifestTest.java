package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.HelmRelease.ResourceRef;
import org.junit.jupiter.api.Test;

class HelmManifestTest {

    @Test
    void readsPlainQuotedAndCommentedBlockDocuments() throws TooLarge {
        String manifest = """
                ---
                # Source: shop/templates/a.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  labels:
                    name: not-this-one
                  name: "quoted" # a comment
                  annotations:
                    namespace: not-this-either
                data:
                  kind: NotAKind
                  script: |
                    apiVersion: v9
                    kind: Fake
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                rules:
                - apiGroups: [""]
                  resources: [pods]
                  name: not-a-name
                metadata:
                  name: reader
                ---
                apiVersion: 'apps/v1'
                kind: Deployment
                metadata:
                    namespace: elsewhere
                    name: indented-by-four
                """;

        assertThat(HelmManifest.resources(manifest, "prod", HelmLimits.DEFAULT)).containsExactly(
                new ResourceRef("v1", "ConfigMap", "quoted", "prod"),
                new ResourceRef("rbac.authorization.k8s.io/v1", "Role", "reader", "prod"),
                new ResourceRef("apps/v1", "Deployment", "indented-by-four", "elsewhere"));
    }

    @Test
    void leavesDocumentsItCannotReadWithCertaintyToTheYamlParser() throws TooLarge {
        String manifest = "apiVersion: v1\r\nkind: Service\r\nmetadata: {name: flow, namespace: ns1}\r\n"
                + "--- # a marker with a comment\n"
                + "apiVersion: v1\nkind: Secret\nmetadata:\n  name: &anchor \"esc\\u0061ped\"\n"
                + "--- {apiVersion: v1, kind: ServiceAccount, metadata: {name: inline}}\n"
                + "---\n# only a comment\n"
                + "---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: team\n"
                + "...\n";

        assertThat(HelmManifest.resources(manifest, "prod", HelmLimits.DEFAULT)).containsExactly(
                new ResourceRef("v1", "Service", "flow", "ns1"),
                new ResourceRef("v1", "Secret", "escaped", "prod"),
                new ResourceRef("v1", "ServiceAccount", "inline", "prod"),
                new ResourceRef("v1", "Namespace", "team", null));
    }
}
