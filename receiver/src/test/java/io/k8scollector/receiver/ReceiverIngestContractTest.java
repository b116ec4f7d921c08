package io.k8scollector.receiver;

import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.receiver.keys.NewKey;
import io.k8scollector.receiver.keys.Scope;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link IngestContract} against the receiver, on SQLite. */
class ReceiverIngestContractTest extends IngestContract {

    @TempDir
    static Path dir;

    private TestReceiver receiver;
    private NewKey key;

    @BeforeAll
    void startReceiver() {
        receiver = new TestReceiver(TestDatabases.sqlite(dir), 3);
        key = receiver.keys.create(List.of(), Set.of(Scope.values()), Instant.now());
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    @Override
    URI base() {
        return receiver.uri("");
    }

    @Override
    LoginRequest key() {
        return new LoginRequest(key.accessKey(), key.secretKey());
    }
}
