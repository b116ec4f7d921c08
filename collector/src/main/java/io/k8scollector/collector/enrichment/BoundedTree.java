package io.k8scollector.collector.enrichment;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the value a parser is at as a tree, counting what it builds: one node per value, and the
 * characters of every name and string. Past {@code maxNodes} or {@code maxChars} it throws
 * {@link TooLarge} before building more, so that the tree's heap is bounded by the budget, not
 * by the input. Scalars are read by the parser's own mapper, so the tree is the one
 * {@code readValueAsTree} gives. One instance per tree.
 */
final class BoundedTree {

    private final String what;
    private final int maxNodes;
    private final long maxChars;
    private int nodes;
    private long chars;

    /** A budget for {@code what}, as the error names it ("its values", "a document of its manifest"). */
    BoundedTree(String what, int maxNodes, long maxChars) {
        this.what = what;
        this.maxNodes = maxNodes;
        this.maxChars = maxChars;
    }

    /** The tree of the value {@code parser} is at; the parser is left on its last token. */
    JsonNode read(JsonParser parser) throws TooLarge {
        node();
        return switch (parser.currentToken()) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> {
                chars(parser.getString().length());
                yield parser.readValueAsTree();
            }
            default -> parser.readValueAsTree();
        };
    }

    /** The nodes built so far. */
    int nodes() {
        return nodes;
    }

    private ObjectNode object(JsonParser parser) throws TooLarge {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            chars(name.length());
            parser.nextToken();
            object.set(name, read(parser));
        }
        return object;
    }

    private ArrayNode array(JsonParser parser) throws TooLarge {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(read(parser));
        }
        return array;
    }

    private void node() throws TooLarge {
        if (nodes == maxNodes) {
            throw new TooLarge(what + ": more than " + maxNodes + " nodes");
        }
        nodes++;
    }

    private void chars(int length) throws TooLarge {
        chars += length;
        if (chars > maxChars) {
            throw new TooLarge(what + ": more than " + maxChars + " characters of names and strings");
        }
    }
}
