package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.keys.Caller;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code keys create|list|revoke} through the command line, on a SQLite file. */
class KeysCommandTest {

    @TempDir
    Path dir;


    @Test
    void aCreatedKeyLogsInIsListedWithoutItsSecretAndDiesWhenRevoked() {
        String db = TestDatabases.sqlite(dir);
        CommandRun created = CommandRun.of("keys", "create", "--cluster", "prod", "--cluster", "staging", "--scope", "ingest,read",
                "--db", db);
        assertThat(created.code()).isZero();
        JsonNode key = Json.MAPPER.readTree(created.out());
        String accessKey = key.get("accessKey").asString();
        String secretKey = key.get("secretKey").asString();

        try (Database database = Database.open(db)) {
            AccessKeys keys = new AccessKeys(database);
            String token = keys.login(accessKey, secretKey, Instant.now()).orElseThrow();
            assertThat(keys.caller(token, Instant.now()).orElseThrow().clusters()).containsExactlyInAnyOrder("prod", "staging");
            assertThat(keys.login(accessKey, secretKey + "x", Instant.now())).isEmpty();

            CommandRun listed = CommandRun.of("keys", "list", "--db", db);
            assertThat(listed.code()).isZero();
            assertThat(listed.out()).contains(accessKey).contains("\"revoked\":false").doesNotContain(secretKey)
                    .contains("\"scopes\":[\"ingest\",\"read\"]");

            assertThat(CommandRun.of("keys", "revoke", accessKey, "--db", db).code()).isZero();
            assertThat(keys.caller(token, Instant.now())).isEmpty();
            assertThat(keys.login(accessKey, secretKey, Instant.now())).isEmpty();
            assertThat(CommandRun.of("keys", "list", "--db", db).out()).contains("\"revoked\":true");
        }
    }

    @Test
    void createNeedsClustersOrAllClustersAndDefaultsToTheIngestScope() {
        String db = TestDatabases.sqlite(dir);
        CommandRun neither = CommandRun.of("keys", "create", "--db", db);
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("--cluster").contains("--all-clusters");
        CommandRun both = CommandRun.of("keys", "create", "--cluster", "a", "--all-clusters", "--db", db);
        assertThat(both.code()).isEqualTo(2);
        CommandRun badScope = CommandRun.of("keys", "create", "--all-clusters", "--scope", "write", "--db", db);
        assertThat(badScope.code()).isEqualTo(2);
        assertThat(badScope.err()).contains("'write'").contains("ingest,read");

        CommandRun all = CommandRun.of("keys", "create", "--all-clusters", "--db", db);
        CommandRun reader = CommandRun.of("keys", "create", "--cluster", "a", "--scope", "read", "--db", db);
        assertThat(all.code()).isZero();
        assertThat(reader.code()).isZero();
        try (Database database = Database.open(db)) {
            AccessKeys keys = new AccessKeys(database);
            JsonNode key = Json.MAPPER.readTree(all.out());
            Caller caller = keys.caller(keys.login(key.get("accessKey").asString(), key.get("secretKey").asString(),
                    Instant.now()).orElseThrow(), Instant.now()).orElseThrow();
            assertThat(caller.scopes()).containsExactly(Scope.INGEST);
            assertThat(caller.allows("any-cluster")).isTrue();
        }
        assertThat(CommandRun.of("keys", "list", "--db", db).out()).contains("\"scopes\":[\"ingest\"]")
                .contains("\"scopes\":[\"read\"]");
    }

    @Test
    void theVersionIsTheBuildsNotAWrittenOne() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher parent = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertThat(parent.find()).isTrue();

        CommandRun version = CommandRun.of("--version");

        assertThat(version.code()).isZero();
        assertThat(version.out().strip()).isEqualTo("k8s-receiver " + parent.group(1));
    }

    @Test
    void aFailureThatIsNotBadInputExitsOneNamingIt() {
        CommandRun unsupported = CommandRun.of("keys", "list", "--db", "jdbc:mysql://localhost/inventory");

        assertThat(unsupported.code()).isEqualTo(1);
        assertThat(unsupported.err()).contains("k8s-receiver: ").contains("jdbc:mysql://localhost/inventory");
        CommandRun halfTls = CommandRun.of("serve", "--tls-cert", dir.resolve("cert.pem").toString(), "--db", TestDatabases.sqlite(dir));
        assertThat(halfTls.code()).isEqualTo(2);
        assertThat(halfTls.err()).contains("--tls-cert and --tls-key go together");
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String[] command : List.of(new String[] {"--help"}, new String[] {"serve", "--help"},
                new String[] {"keys", "--help"}, new String[] {"keys", "create", "--help"},
                new String[] {"keys", "list", "--help"}, new String[] {"keys", "revoke", "--help"})) {
            CommandRun help = CommandRun.of(command);
            assertThat(help.code()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("Usage:");
        }
        assertThat(CommandRun.of("serve", "--help").out()).contains("--trusted-proxy-header");
        assertThat(CommandRun.of("keys", "create", "--help").out()).contains("--all-clusters").contains("--scope");
    }

    @Test
    void keysMadeBeforeScopesKeepBothAfterTheMigration() throws Exception {
        String db = TestDatabases.sqlite(dir);
        Flyway.configure().dataSource(db, null, null).locations("classpath:db/migration")
                .placeholders(Map.of("serial", "INTEGER PRIMARY KEY AUTOINCREMENT", "bytes", "BLOB"))
                .target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO access_keys (access_key, secret_hash, clusters, created_at, revoked)"
                    + " VALUES ('AKOLD', 'x', '', 0, FALSE)");
        }
        try (Database database = Database.open(db)) {
            assertThat(new AccessKeys(database).list()).singleElement()
                    .satisfies(k -> assertThat(k.scopes()).containsExactly("ingest", "read"));
        }
    }

    @Test
    void badInputExitsWithCode2AndOneLineNamingTheValue() {
        String db = TestDatabases.sqlite(dir);
        CommandRun badCluster = CommandRun.of("keys", "create", "--cluster", "Not Valid", "--db", db);
        assertThat(badCluster.code()).isEqualTo(2);
        assertThat(badCluster.err().strip()).contains("'Not Valid'").contains("lowercase").doesNotContain("\n");

        CommandRun unknown = CommandRun.of("keys", "revoke", "AKNOPE", "--db", db);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("AKNOPE");

        CommandRun badRetain = CommandRun.of("serve", "--retain", "0", "--db", db);
        assertThat(badRetain.code()).isEqualTo(2);
        assertThat(badRetain.err()).contains("--retain 0");
        CommandRun badHours = CommandRun.of("serve", "--retain-hours", "-1", "--db", db);
        assertThat(badHours.code()).isEqualTo(2);
        assertThat(badHours.err()).contains("--retain-hours -1").contains("0 or more");

        CommandRun badWindow = CommandRun.of("serve", "--open-fetching-idle", "soon", "--db", db);
        assertThat(badWindow.code()).isEqualTo(2);
        assertThat(badWindow.err()).contains("'soon'").contains("15m").doesNotContain("\n ");
        CommandRun longWindow = CommandRun.of("serve", "--open-fetching-idle", "25h", "--db", db);
        assertThat(longWindow.code()).isEqualTo(2);
        assertThat(longWindow.err()).contains("--open-fetching-idle 1500m").contains("24h");
    }
}
