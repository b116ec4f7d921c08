package io.k8scollector.receiver.cli;

import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keys create|list|revoke}: manages access keys in the receiver's database. */
@Command(name = "keys", description = "Create, list and revoke access keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    /** The database option every keys subcommand takes. */
    static final class DatabaseOption {
        @Option(names = "--db", defaultValue = Database.DEFAULT_URL,
                description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB (default ${DEFAULT-VALUE}).")
        String url;
    }

    @Command(name = "create", description = "Create a key pair and print it once as JSON.")
    static final class Create implements Runnable {
        @picocli.CommandLine.Mixin
        DatabaseOption db;

        @Option(names = "--cluster", description = "Limit the key to this cluster id (repeatable; default: all).")
        List<String> clusters = new ArrayList<>();

        @Override
        public void run() {
            try (Database database = Database.open(db.url)) {
                System.out.println(Json.MAPPER.writeValueAsString(new AccessKeys(database).create(clusters, Instant.now())));
            }
        }
    }

    @Command(name = "list", description = "List the keys (never their secrets) as JSON lines.")
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

    @Command(name = "revoke", description = "Revoke a key; its tokens stop working at once.")
    static final class Revoke implements Runnable {
        @picocli.CommandLine.Mixin
        DatabaseOption db;

        @Parameters(paramLabel = "ACCESS_KEY")
        String accessKey;

        @Override
        public void run() {
            try (Database database = Database.open(db.url)) {
                if (!new AccessKeys(database).revoke(accessKey)) {
                    throw new IllegalArgumentException("Unknown access key '" + accessKey + "': see keys list.");
                }
                System.err.println("Revoked " + accessKey);
            }
        }
    }
}
