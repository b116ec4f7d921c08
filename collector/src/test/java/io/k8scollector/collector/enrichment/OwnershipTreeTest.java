package io.k8scollector.collector.enrichment;

import static io.k8scollector.testkit.KubeObjects.identified;
import static io.k8scollector.testkit.KubeObjects.owned;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.TreeNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class OwnershipTreeTest {

    @Test
    void hangsAPodUnderItsReplicaSetUnderItsDeployment() {
        ObjectNode deployment = identified("apps/v1", "Deployment", "shop", "web");
        ObjectNode replicaSet = owned(identified("apps/v1", "ReplicaSet", "shop", "web-7d9f"), deployment, true);
        ObjectNode pod = owned(identified("v1", "Pod", "shop", "web-7d9f-abcde"), replicaSet, true);
        OwnershipTree tree = new OwnershipTree();

        List.of(pod, deployment, replicaSet).forEach(tree::observe);

        assertThat(tree.roots()).singleElement().satisfies(root -> {
            assertThat(root.kind()).isEqualTo("Deployment");
            assertThat(root.uid()).isEqualTo(uid(deployment));
            assertThat(root.apiVersion()).isEqualTo("apps/v1");
            assertThat(root.namespace()).isEqualTo("shop");
            TreeNode child = root.children().get(0);
            assertThat(child.name()).isEqualTo("web-7d9f");
            assertThat(child.children()).extracting(TreeNode::uid).containsExactly(uid(pod));
            assertThat(child.children().get(0).children()).isEmpty();
        });
    }

    @Test
    void prefersTheControllerOwnerElseTheFirstCollectedOwner() {
        ObjectNode first = identified("example.com/v1", "Widget", "shop", "first");
        ObjectNode controller = identified("example.com/v1", "Widget", "shop", "controller");
        ObjectNode missing = identified("example.com/v1", "Widget", "shop", "missing");
        ObjectNode controlled = owned(owned(identified("v1", "ConfigMap", "shop", "controlled"), first, false), controller, true);
        ObjectNode orphaned = owned(owned(identified("v1", "ConfigMap", "shop", "orphaned"), missing, true), first, false);
        OwnershipTree tree = new OwnershipTree();

        List.of(first, controller, controlled, orphaned).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::name).containsExactly("controller", "first");
        assertThat(tree.roots().get(0).children()).extracting(TreeNode::name).containsExactly("controlled");
        assertThat(tree.roots().get(1).children()).extracting(TreeNode::name).containsExactly("orphaned");
    }

    @Test
    void makesAnObjectWhoseOwnersWereNotCollectedARootAndSendsNoChildlessRoot() {
        ObjectNode notCollected = identified("apps/v1", "Deployment", "shop", "gone");
        ObjectNode replicaSet = owned(identified("apps/v1", "ReplicaSet", "shop", "gone-1"), notCollected, true);
        ObjectNode pod = owned(identified("v1", "Pod", "shop", "gone-1-x"), replicaSet, true);
        ObjectNode lonely = identified("v1", "ConfigMap", "shop", "lonely");
        OwnershipTree tree = new OwnershipTree();

        List.of(replicaSet, pod, lonely).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::name).containsExactly("gone-1");
    }

    @Test
    void linksAServiceToItsEndpointsAndEndpointSlicesWhenTheyHaveNoOwner() {
        ObjectNode service = identified("v1", "Service", "shop", "web");
        ObjectNode endpoints = identified("v1", "Endpoints", "shop", "web");
        ObjectNode slice = identified("discovery.k8s.io/v1", "EndpointSlice", "shop", "web-abc12");
        slice.withObject("metadata").putObject("labels").put("kubernetes.io/service-name", "web");
        ObjectNode otherNamespace = identified("v1", "Endpoints", "other", "web");
        OwnershipTree tree = new OwnershipTree();

        List.of(endpoints, slice, service, otherNamespace).forEach(tree::observe);

        assertThat(tree.roots()).singleElement().satisfies(root -> {
            assertThat(root.uid()).isEqualTo(uid(service));
            assertThat(root.children()).extracting(TreeNode::kind).containsExactly("EndpointSlice", "Endpoints");
        });
    }

    @Test
    void linksAStatefulSetToTheClaimsOfItsTemplatesAndAClaimToItsVolume() {
        ObjectNode statefulSet = identified("apps/v1", "StatefulSet", "shop", "db");
        statefulSet.withObject("spec").putArray("volumeClaimTemplates").addObject().putObject("metadata").put("name", "data");
        ObjectNode claim0 = identified("v1", "PersistentVolumeClaim", "shop", "data-db-0");
        claim0.withObject("spec").put("volumeName", "pvc-1234");
        ObjectNode claim1 = identified("v1", "PersistentVolumeClaim", "shop", "data-db-1");
        ObjectNode unrelated = identified("v1", "PersistentVolumeClaim", "shop", "data-dbx-0");
        ObjectNode volume = identified("v1", "PersistentVolume", null, "pvc-1234");
        OwnershipTree tree = new OwnershipTree();

        List.of(volume, claim1, claim0, unrelated, statefulSet).forEach(tree::observe);

        assertThat(tree.roots()).singleElement().satisfies(root -> {
            assertThat(root.name()).isEqualTo("db");
            assertThat(root.children()).extracting(TreeNode::name).containsExactly("data-db-0", "data-db-1");
            assertThat(root.children().get(0).children()).singleElement().satisfies(pv -> {
                assertThat(pv.kind()).isEqualTo("PersistentVolume");
                assertThat(pv.namespace()).isNull();
            });
        });
    }

    @Test
    void prefersARealOwnerToAnImpliedLink() {
        ObjectNode service = identified("v1", "Service", "shop", "web");
        ObjectNode controller = identified("example.com/v1", "Mesh", "shop", "mesh");
        ObjectNode endpoints = owned(identified("v1", "Endpoints", "shop", "web"), controller, true);
        OwnershipTree tree = new OwnershipTree();

        List.of(service, controller, endpoints).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::name).containsExactly("mesh");
    }

    @Test
    void carriesReferencesOnlyNeverBodies() {
        ObjectNode deployment = identified("apps/v1", "Deployment", "shop", "web");
        deployment.withObject("spec").put("marker", "body-marker");
        ObjectNode replicaSet = owned(identified("apps/v1", "ReplicaSet", "shop", "web-1"), deployment, true);
        replicaSet.withObject("status").put("marker", "body-marker");
        OwnershipTree tree = new OwnershipTree();

        List.of(deployment, replicaSet).forEach(tree::observe);

        String json = Json.MAPPER.writeValueAsString(tree.roots());
        assertThat(json).doesNotContain("body-marker").doesNotContain("spec").doesNotContain("metadata");
        assertThat(Json.MAPPER.readTree(json).get(0).propertyNames())
                .containsExactlyInAnyOrder("uid", "apiVersion", "kind", "name", "namespace", "children");
    }

    @Test
    void putsAnObjectSeenTwiceInTheTreeOnce() {
        ObjectNode deployment = identified("apps/v1", "Deployment", "shop", "web");
        ObjectNode replicaSet = owned(identified("apps/v1", "ReplicaSet", "shop", "web-1"), deployment, true);
        OwnershipTree tree = new OwnershipTree();

        List.of(deployment, replicaSet, replicaSet, deployment).forEach(tree::observe);

        assertThat(tree.roots()).singleElement()
                .satisfies(root -> assertThat(root.children()).extracting(TreeNode::name).containsExactly("web-1"));
    }

    @Test
    void keepsAUidThatIsNotACanonicalUuidAsItWas() {
        ObjectNode owner = identified("v1", "Service", "shop", "web");
        owner.withObject("metadata").put("uid", "not-a-uuid-17");
        ObjectNode endpoints = identified("v1", "Endpoints", "shop", "web");
        OwnershipTree tree = new OwnershipTree();

        List.of(owner, endpoints).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::uid).containsExactly("not-a-uuid-17");
    }

    @Test
    void cutsAChainOfTwoHundredAndFiftyOwnersAtTwoHundredLevelsWithinTheBodyNestingLimit() {
        OwnershipTree tree = new OwnershipTree();
        ObjectNode owner = identified("example.com/v1", "Link", "chain", "link-0");
        tree.observe(owner);
        for (int i = 1; i < 250; i++) {
            ObjectNode link = owned(identified("example.com/v1", "Link", "chain", "link-" + i), owner, true);
            tree.observe(link);
            owner = link;
        }
        ObjectNode deployment = identified("apps/v1", "Deployment", "shop", "web");
        tree.observe(deployment);
        tree.observe(owned(identified("apps/v1", "ReplicaSet", "shop", "web-1"), deployment, true));

        List<TreeNode> roots = tree.roots();

        TreeNode chain = roots.stream().filter(root -> root.name().equals("link-0")).findFirst().orElseThrow();
        int levels = 1;
        for (TreeNode node = chain; !node.children().isEmpty(); node = node.children().get(0)) {
            levels++;
        }
        assertThat(levels).isEqualTo(OwnershipTree.MAX_LEVELS);
        assertThat(tree.cut()).isEqualTo(50);
        byte[] body = Json.MAPPER.writeValueAsBytes(java.util.Map.of("trees", roots));
        assertThat(Json.MAPPER.readTree(body).path("trees")).hasSize(2);
    }

    static String uid(ObjectNode object) {
        return object.at("/metadata/uid").stringValue();
    }
}
