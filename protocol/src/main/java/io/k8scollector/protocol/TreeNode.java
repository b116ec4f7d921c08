package io.k8scollector.protocol;

import java.util.List;

/** A node of an ownership tree: a reference to an object and the objects it owns; never a body. */
public record TreeNode(
        String uid, String apiVersion, String kind, String name, String namespace, List<TreeNode> children) {

    public TreeNode {
        children = children == null ? List.of() : List.copyOf(children);
    }
}
