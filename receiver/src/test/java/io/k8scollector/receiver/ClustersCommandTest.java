package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code clusters list|delete} and {@code serve --stale-after} through the command line, on a SQLite file. */
class ClustersCommandTest {

    @TempDir
    Path dir;


    @Test
    void listShowsEachClustersHealthAndDeleteRemovesOne() {
        String db = TestDatabases.sqlite(dir);
        try (TestReceiver receiver = new TestReceiver(db, 3)) {
            receiver.snapshot("alpha", FetchingId.generate(Instant.now()), List.of(configMap("a1", "a", "one", "x", "1")),
                    List.of());
            receiver.start("beta", FetchingId.generate(Instant.now()), "uid-beta");
        }

        CommandRun listed = CommandRun.of("clusters", "list", "--db", db);
        assertThat(listed.code()).as(listed.err()).isZero();
        List<JsonNode> lines = listed.out().lines().map(Json.MAPPER::readTree).toList();
        assertThat(lines).extracting(l -> l.get("id").asString() + "=" + l.get("health").asString())
                .containsExactly("alpha=ok", "beta=stale");
        assertThat(CommandRun.of("clusters", "list", "--stale-after", "2h", "--db", db).out()).isEqualTo(listed.out());

        CommandRun deleted = CommandRun.of("clusters", "delete", "beta", "--db", db);
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.err()).contains("beta").contains("fetchings=1");
        assertThat(CommandRun.of("clusters", "list", "--db", db).out().lines()).hasSize(1);

        CommandRun unknown = CommandRun.of("clusters", "delete", "beta", "--db", db);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("'beta'").contains("clusters list");
        CommandRun invalid = CommandRun.of("clusters", "delete", "Not Valid", "--db", db);
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err()).contains("'Not Valid'").contains("lowercase");
    }

    @Test
    void aBadStaleAfterExitsWith2NamingTheValueAndTheAllowedForm() {
        String db = TestDatabases.sqlite(dir);
        for (String bad : List.of("soon", "45", "-5m", "1d")) {
            CommandRun serve = CommandRun.of("serve", "--stale-after", bad, "--db", db);
            assertThat(serve.code()).as(bad).isEqualTo(2);
            assertThat(serve.err()).contains("--stale-after").contains("'" + bad + "'").contains("s, m or h");
        }
        assertThat(CommandRun.of("clusters", "--help").out()).contains("list").contains("delete");
        assertThat(CommandRun.of("serve", "--help").out()).contains("--stale-after");
    }
}
