package io.k8scollector.collector.listing;

import io.k8scollector.protocol.Skipped;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.sym.PropertyNameMatcher;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A list response's parser that refuses one item at a time. An object nested deeper than
 * {@value #MAX_DEPTH} levels of JSON (counted from the list document, which nests its items as a
 * request body nests its records), holding a number longer than {@value #MAX_NUMBER_LENGTH}
 * characters or a property name longer than {@value #MAX_NAME_LENGTH} makes the item's reader
 * throw {@link Refused}; {@link #skipItem()} then reads on to the item's end, so that the rest of
 * the page and of the type is still collected.
 *
 * <p>That works because the limits are checked here, on tokens the underlying parser has read
 * whole, and not by the underlying parser itself, whose own refusal could leave it in the middle
 * of a token: its limits are far wider ({@value #STREAM_MAX_DEPTH} levels; numbers and names as
 * long as the response), and past them the page fails as a whole and is retried, as for any
 * broken response.
 * Strings keep Jackson's limit of 100 million characters: no API server stores an object that
 * large (etcd's limit is 1.5 MiB).
 */
final class ItemLimits extends JsonParserDelegate {

    /** The deepest nesting the protocol lets a request body have, and so a listed object. */
    static final int MAX_DEPTH = 500;
    /** Jackson's own limit on a number's length. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Jackson's own limit on a property name's length. */
    static final int MAX_NAME_LENGTH = StreamReadConstraints.DEFAULT_MAX_NAME_LEN;
    /** Deeper than this the response is broken, not one object. */
    private static final int STREAM_MAX_DEPTH = 100_000;

    /** Parses list responses with the wide limits; the item limits are checked by {@link ItemLimits}. */
    static final JsonMapper LIST_RESPONSES = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(STREAM_MAX_DEPTH)
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxNameLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .build();

    /** How deep a list response nests its items: they are parsed alone, but their depth counts from the list. */
    static final int ITEM_NESTING = 2;

    private final int outside;
    private int itemDepth = Integer.MAX_VALUE;
    private String name;
    private String namespace;

    /** Checks the items {@code parser} reads, as nested {@code outside} levels deep. */
    ItemLimits(JsonParser parser, int outside) {
        super(parser);
        this.outside = outside;
    }

    /** Marks the {@code START_OBJECT} the parser is at as the item whose limits are checked. */
    void startItem() {
        itemDepth = delegate.streamReadContext().getNestingDepth();
        name = null;
        namespace = null;
    }

    /**
     * Reads on, unchecked, past the end of the item that {@link Refused} stopped: the underlying
     * parser always stands on a whole token then.
     */
    void skipItem() {
        while (delegate.streamReadContext().getNestingDepth() >= itemDepth) {
            JsonToken token = delegate.nextToken();
            if (token == null) {
                return;
            }
            if (token.isStructStart()) {
                delegate.skipChildren();
            }
        }
    }

    /** The refused item's {@code metadata.name}, if it was read before the refusal. */
    String itemName() {
        return name;
    }

    /** The refused item's {@code metadata.namespace}, if it was read before the refusal. */
    String itemNamespace() {
        return namespace;
    }

    @Override
    public JsonToken nextToken() {
        return checked(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() {
        return checked(delegate.nextValue());
    }

    @Override
    public String nextName() {
        String name = delegate.nextName();
        if (name != null) {
            checkName(name);
        }
        return name;
    }

    @Override
    public boolean nextName(SerializableString expected) {
        boolean matched = delegate.nextName(expected);
        checkCurrentName();
        return matched;
    }

    @Override
    public int nextNameMatch(PropertyNameMatcher matcher) {
        int match = delegate.nextNameMatch(matcher);
        checkCurrentName();
        return match;
    }

    private void checkCurrentName() {
        if (delegate.currentToken() == JsonToken.PROPERTY_NAME) {
            checkName(delegate.currentName());
        }
    }

    private static void checkName(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new Refused("it holds a property name of " + name.length() + " characters, over " + MAX_NAME_LENGTH);
        }
    }

    private JsonToken checked(JsonToken token) {
        if (token == null) {
            return null;
        }
        TokenStreamContext context = delegate.streamReadContext();
        switch (token) {
            case START_OBJECT, START_ARRAY -> {
                if (context.getNestingDepth() + outside > MAX_DEPTH) {
                    throw new Refused("it nests deeper than " + MAX_DEPTH + " levels of JSON");
                }
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                int length = delegate.getTextLength();
                if (length > MAX_NUMBER_LENGTH) {
                    throw new Refused("it holds a number of " + length + " characters, over " + MAX_NUMBER_LENGTH);
                }
            }
            case PROPERTY_NAME -> checkName(delegate.currentName());
            case VALUE_STRING -> remember(context);
            default -> { }
        }
        return token;
    }

    /** Keeps the item's name and namespace as they pass, to name the item if it is refused later. */
    private void remember(TokenStreamContext context) {
        if (context.getNestingDepth() != itemDepth + 1 || !"metadata".equals(context.getParent().currentName())) {
            return;
        }
        String field = context.currentName();
        if ("name".equals(field)) {
            name = delegate.getString();
        } else if ("namespace".equals(field)) {
            namespace = delegate.getString();
        }
    }

    /** An item past the limits; its message says which, never what it holds. */
    static final class Refused extends StreamConstraintsException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }

        /** The skipped entry naming the refused item. */
        Skipped entry(String group, String version, String resource, String namespace, String name) {
            return Skipped.object(group, version, resource, namespace, name, Skipped.Reason.UNPARSEABLE,
                    "the collector's parser refused it: " + getOriginalMessage() + ".");
        }
    }
}
