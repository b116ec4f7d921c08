package io.k8scollector.receiver.cli;

import io.k8scollector.protocol.ClusterId;
import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keys create|list|revoke}: manages access keys in the receiver's database. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke access keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    /** The database option every keys subcommand takes. */
    static final class DatabaseOption {
        @Option(names = "--db", defaultValue = Database.DEFAULT_URL,
                description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB (default ${DEFAULT-VALUE}).")
        String url;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key pair and print it once as JSON. Give --cluster or --all-clusters.")
    static final class Create implements Runnable {
        @picocli.CommandLine.Mixin
        DatabaseOption db;

        @Option(names = "--cluster", paramLabel = "ID", description = "Limit the key to this cluster id (repeatable).")
        List<String> clusters = new ArrayList<>();

        @Option(names = "--all-clusters", description = "Let the key reach every cluster, present and future.")
        boolean allClusters;

        @Option(names = "--scope", defaultValue = "ingest", paramLabel = "SCOPES",
                description = "ingest (log in and send fetchings), read (query and sign in to the page)"
                        + " or ingest,read (default ${DEFAULT-VALUE}).")
        String scope;

        @Override
        public void run() {
            if (clusters.isEmpty() == !allClusters) {
                throw new BadInput(allClusters
                        ? "keys create takes --cluster ID or --all-clusters, not both."
                        : "keys create needs --cluster ID (repeatable) or --all-clusters.");
            }
            for (String cluster : clusters) {
                if (!ClusterId.isValid(cluster)) {
                    throw new BadInput("Invalid cluster id '" + cluster + "': use " + ClusterId.RULE + ".");
                }
            }
            Set<Scope> scopes;
            try {
                scopes = Scope.parse(scope);
            } catch (IllegalArgumentException e) {
                throw new BadInput(e.getMessage());
            }
            try (Database database = Database.open(db.url)) {
                System.out.println(Json.MAPPER.writeValueAsString(
                        new AccessKeys(database).create(clusters, scopes, Instant.now())));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never their secrets) as JSON lines.")
    static final class ListKeys implements Runnable {
        @picocli.CommandLine.Mixin
        DatabaseOption db;

        @Override
        public void run() {
            try (Database database = Database.open(db.url)) {
                new AccessKeys(database).list().forEach(k -> System.out.println(Json.MAPPER.writeValueAsString(k)));
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key; its tokens stop working at once.")
    static final class Revoke implements Runnable {
        @picocli.CommandLine.Mixin
        DatabaseOption db;

        @Parameters(paramLabel = "ACCESS_KEY")
        String accessKey;

        @Override
        public void run() {
            try (Database database = Database.open(db.url)) {
                if (!new AccessKeys(database).revoke(accessKey)) {
                    throw new BadInput("Unknown access key '" + accessKey + "': see keys list.");
                }
                System.err.println("Revoked " + accessKey);
            }
        }
    }
}
