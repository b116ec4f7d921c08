package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.TreeNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class OwnershipTreeTest {

    @Test
    void hangsAPodUnderItsReplicaSetUnderItsDeployment() {
        ObjectNode deployment = object("apps/v1", "Deployment", "web", "shop");
        ObjectNode replicaSet = owned(object("apps/v1", "ReplicaSet", "web-7d9f", "shop"), deployment, true);
        ObjectNode pod = owned(object("v1", "Pod", "web-7d9f-abcde", "shop"), replicaSet, true);
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
        ObjectNode first = object("example.com/v1", "Widget", "first", "shop");
        ObjectNode controller = object("example.com/v1", "Widget", "controller", "shop");
        ObjectNode missing = object("example.com/v1", "Widget", "missing", "shop");
        ObjectNode controlled = owned(owned(object("v1", "ConfigMap", "controlled", "shop"), first, false), controller, true);
        ObjectNode orphaned = owned(owned(object("v1", "ConfigMap", "orphaned", "shop"), missing, true), first, false);
        OwnershipTree tree = new OwnershipTree();

        List.of(first, controller, controlled, orphaned).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::name).containsExactly("controller", "first");
        assertThat(tree.roots().get(0).children()).extracting(TreeNode::name).containsExactly("controlled");
        assertThat(tree.roots().get(1).children()).extracting(TreeNode::name).containsExactly("orphaned");
    }

    @Test
    void makesAnObjectWhoseOwnersWereNotCollectedARootAndSendsNoChildlessRoot() {
        ObjectNode notCollected = object("apps/v1", "Deployment", "gone", "shop");
        ObjectNode replicaSet = owned(object("apps/v1", "ReplicaSet", "gone-1", "shop"), notCollected, true);
        ObjectNode pod = owned(object("v1", "Pod", "gone-1-x", "shop"), replicaSet, true);
        ObjectNode lonely = object("v1", "ConfigMap", "lonely", "shop");
        OwnershipTree tree = new OwnershipTree();

        List.of(replicaSet, pod, lonely).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::name).containsExactly("gone-1");
    }

    @Test
    void linksAServiceToItsEndpointsAndEndpointSlicesWhenTheyHaveNoOwner() {
        ObjectNode service = object("v1", "Service", "web", "shop");
        ObjectNode endpoints = object("v1", "Endpoints", "web", "shop");
        ObjectNode slice = object("discovery.k8s.io/v1", "EndpointSlice", "web-abc12", "shop");
        slice.withObject("metadata").putObject("labels").put("kubernetes.io/service-name", "web");
        ObjectNode otherNamespace = object("v1", "Endpoints", "web", "other");
        OwnershipTree tree = new OwnershipTree();

        List.of(endpoints, slice, service, otherNamespace).forEach(tree::observe);

        assertThat(tree.roots()).singleElement().satisfies(root -> {
            assertThat(root.uid()).isEqualTo(uid(service));
            assertThat(root.children()).extracting(TreeNode::kind).containsExactly("EndpointSlice", "Endpoints");
        });
    }

    @Test
    void linksAStatefulSetToTheClaimsOfItsTemplatesAndAClaimToItsVolume() {
        ObjectNode statefulSet = object("apps/v1", "StatefulSet", "db", "shop");
        statefulSet.withObject("spec").putArray("volumeClaimTemplates").addObject().putObject("metadata").put("name", "data");
        ObjectNode claim0 = object("v1", "PersistentVolumeClaim", "data-db-0", "shop");
        claim0.withObject("spec").put("volumeName", "pvc-1234");
        ObjectNode claim1 = object("v1", "PersistentVolumeClaim", "data-db-1", "shop");
        ObjectNode unrelated = object("v1", "PersistentVolumeClaim", "data-dbx-0", "shop");
        ObjectNode volume = object("v1", "PersistentVolume", "pvc-1234", null);
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
        ObjectNode service = object("v1", "Service", "web", "shop");
        ObjectNode controller = object("example.com/v1", "Mesh", "mesh", "shop");
        ObjectNode endpoints = owned(object("v1", "Endpoints", "web", "shop"), controller, true);
        OwnershipTree tree = new OwnershipTree();

        List.of(service, controller, endpoints).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::name).containsExactly("mesh");
    }

    @Test
    void carriesReferencesOnlyNeverBodies() {
        ObjectNode deployment = object("apps/v1", "Deployment", "web", "shop");
        deployment.withObject("spec").put("marker", "body-marker");
        ObjectNode replicaSet = owned(object("apps/v1", "ReplicaSet", "web-1", "shop"), deployment, true);
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
        ObjectNode deployment = object("apps/v1", "Deployment", "web", "shop");
        ObjectNode replicaSet = owned(object("apps/v1", "ReplicaSet", "web-1", "shop"), deployment, true);
        OwnershipTree tree = new OwnershipTree();

        List.of(deployment, replicaSet, replicaSet, deployment).forEach(tree::observe);

        assertThat(tree.roots()).singleElement()
                .satisfies(root -> assertThat(root.children()).extracting(TreeNode::name).containsExactly("web-1"));
    }

    @Test
    void keepsAUidThatIsNotACanonicalUuidAsItWas() {
        ObjectNode owner = object("v1", "Service", "web", "shop");
        owner.withObject("metadata").put("uid", "not-a-uuid-17");
        ObjectNode endpoints = object("v1", "Endpoints", "web", "shop");
        OwnershipTree tree = new OwnershipTree();

        List.of(owner, endpoints).forEach(tree::observe);

        assertThat(tree.roots()).extracting(TreeNode::uid).containsExactly("not-a-uuid-17");
    }

    @Test
    void cutsAChainOfTwoHundredAndFiftyOwnersAtTwoHundredLevelsWithinTheBodyNestingLimit() {
        OwnershipTree tree = new OwnershipTree();
        ObjectNode owner = object("example.com/v1", "Link", "link-0", "chain");
        tree.observe(owner);
        for (int i = 1; i < 250; i++) {
            ObjectNode link = owned(object("example.com/v1", "Link", "link-" + i, "chain"), owner, true);
            tree.observe(link);
            owner = link;
        }
        ObjectNode deployment = object("apps/v1", "Deployment", "web", "shop");
        tree.observe(deployment);
        tree.observe(owned(object("apps/v1", "ReplicaSet", "web-1", "shop"), deployment, true));

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

    static ObjectNode object(String apiVersion, String kind, String name, String namespace) {
        ObjectNode object = Json.MAPPER.createObjectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("uid", UUID.randomUUID().toString());
        return object;
    }

    static ObjectNode owned(ObjectNode object, ObjectNode owner, boolean controller) {
        object.withObject("metadata").withArray("ownerReferences").addObject()
                .put("apiVersion", owner.get("apiVersion").stringValue())
                .put("kind", owner.get("kind").stringValue())
                .put("name", owner.at("/metadata/name").stringValue())
                .put("uid", uid(owner))
                .put("controller", controller);
        return object;
    }

    static String uid(ObjectNode object) {
        return object.at("/metadata/uid").stringValue();
    }
}
