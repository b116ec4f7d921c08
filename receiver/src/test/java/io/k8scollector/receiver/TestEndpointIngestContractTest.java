package io.k8scollector.receiver;

import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link IngestContract} against the collector's test endpoint, which must answer as the receiver does. */
class TestEndpointIngestContractTest extends IngestContract {

    private IngestEndpoint endpoint;

    @BeforeAll
    void startEndpoint() throws IOException {
        endpoint = new IngestEndpoint();
    }

    @AfterAll
    void stopEndpoint() {
        endpoint.close();
    }

    @Override
    URI base() {
        return endpoint.uri();
    }

    @Override
    LoginRequest key() {
        return new LoginRequest(IngestEndpoint.ACCESS_KEY, IngestEndpoint.SECRET_KEY);
    }
}
