package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.cli.Main;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code keys create|list|revoke} through the command line, on a SQLite file. */
class KeysCommandTest {

    @TempDir
    Path dir;

    /** Runs the command line, returning its exit code, stdout and stderr. */
    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aCreatedKeyLogsInIsListedWithoutItsSecretAndDiesWhenRevoked() {
        String db = TestDatabases.sqlite(dir);
        Run created = run("keys", "create", "--cluster", "prod", "--cluster", "staging", "--db", db);
        assertThat(created.code()).isZero();
        JsonNode key = Json.MAPPER.readTree(created.out());
        String accessKey = key.get("accessKey").asString();
        String secretKey = key.get("secretKey").asString();

        try (Database database = Database.open(db)) {
            AccessKeys keys = new AccessKeys(database);
            String token = keys.login(accessKey, secretKey, Instant.now()).orElseThrow();
            assertThat(keys.caller(token, Instant.now()).orElseThrow().clusters()).containsExactlyInAnyOrder("prod", "staging");
            assertThat(keys.login(accessKey, secretKey + "x", Instant.now())).isEmpty();

            Run listed = run("keys", "list", "--db", db);
            assertThat(listed.code()).isZero();
            assertThat(listed.out()).contains(accessKey).contains("\"revoked\":false").doesNotContain(secretKey);

            assertThat(run("keys", "revoke", accessKey, "--db", db).code()).isZero();
            assertThat(keys.caller(token, Instant.now())).isEmpty();
            assertThat(keys.login(accessKey, secretKey, Instant.now())).isEmpty();
            assertThat(run("keys", "list", "--db", db).out()).contains("\"revoked\":true");
        }
    }

    @Test
    void badInputExitsWithCode2AndOneLineNamingTheValue() {
        String db = TestDatabases.sqlite(dir);
        Run badCluster = run("keys", "create", "--cluster", "Not Valid", "--db", db);
        assertThat(badCluster.code()).isEqualTo(2);
        assertThat(badCluster.err().strip()).contains("'Not Valid'").contains("lowercase").doesNotContain("\n");

        Run unknown = run("keys", "revoke", "AKNOPE", "--db", db);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("AKNOPE");

        Run badRetain = run("serve", "--retain", "0", "--db", db);
        assertThat(badRetain.code()).isEqualTo(2);
        assertThat(badRetain.err()).contains("--retain 0");
    }
}
