package io.k8scollector.receiver.keys;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a key's tokens may do: {@link #INGEST} logs in and runs fetchings (start, pages, commit),
 * {@link #READ} queries and signs in to the inventory page. A collector needs only the first, a
 * person or a dashboard only the second.
 */
public enum Scope {
    INGEST, READ;

    /** The scope's name in {@code --scope} and in the database: {@code ingest} or {@code read}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code ingest}, {@code read} or {@code ingest,read}; the error names the bad value and what is allowed. */
    public static Set<Scope> parse(String list) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String part : list.split(",", -1)) {
            String label = part.trim();
            Scope scope = switch (label) {
                case "ingest" -> INGEST;
                case "read" -> READ;
                default -> throw new IllegalArgumentException("Invalid --scope '" + list
                        + "': use ingest, read or ingest,read.");
            };
            scopes.add(scope);
        }
        return scopes;
    }

    /** The database's spelling of {@code scopes}: labels joined by commas, in declaration order. */
    static String join(Set<Scope> scopes) {
        return String.join(",", EnumSet.copyOf(scopes).stream().map(Scope::label).toList());
    }
}
