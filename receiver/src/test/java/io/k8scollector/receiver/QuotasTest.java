package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.keys.NewKey;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.Quotas;
import io.k8scollector.receiver.server.RateLimiter;
import io.k8scollector.receiver.server.ReceiverSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one caller may take of a replica: logins, requests in flight, slow bodies (SQLite; nothing here is stored). */
class QuotasTest {

    @TempDir
    Path dir;

    private TestReceiver receiver(Quotas quotas, String trustedProxyHeader) {
        return new TestReceiver(TestDatabases.sqlite(dir), ReceiverSettings.onPort(0).withHost("127.0.0.1")
                .withQuotas(quotas).withTrustedProxyHeader(trustedProxyHeader));
    }

    private static HttpResponse<String> login(TestReceiver receiver, String accessKey, String forwardedFor) {
        HttpRequest.Builder request = HttpRequest.newBuilder(receiver.uri(Paths.LOGIN)).POST(HttpRequest.BodyPublishers
                .ofString(Json.MAPPER.writeValueAsString(new LoginRequest(accessKey, "wrong-secret"))));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return receiver.send(request.build());
    }

    @Test
    void loginsPastTheRatePerKeyOrPerAddressGet429WithRetryAfter() {
        // Rates that refill far slower than a test runs, so that only the bursts count; the
        // receiver's own first login (its test key) takes one from 127.0.0.1.
        Quotas slow = Quotas.DEFAULT.withLogins(new RateLimiter.Rate(0.001, 5), new RateLimiter.Rate(0.001, 2));
        try (TestReceiver receiver = receiver(slow, null)) {
            assertThat(login(receiver, "AKONE", null).statusCode()).isEqualTo(401);
            assertThat(login(receiver, "AKONE", null).statusCode()).isEqualTo(401);
            HttpResponse<String> perKey = login(receiver, "AKONE", null);
            assertThat(perKey.statusCode()).isEqualTo(429);
            assertThat(perKey.body()).contains("too_many_requests").contains("AKONE");
            assertThat(perKey.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                    s -> assertThat(s).isPositive());

            assertThat(login(receiver, "AKTWO", null).statusCode()).isEqualTo(401);
            HttpResponse<String> perAddress = login(receiver, "AKTHREE", null);
            assertThat(perAddress.statusCode()).isEqualTo(429);
            assertThat(perAddress.body()).contains("127.0.0.1");
        }
    }

    @Test
    void oversizedAndGarbledLoginsTakeTheirAddresssTokenToo() {
        // Burst 3: the receiver's own login of its test key, then one oversized and one garbled.
        Quotas three = Quotas.DEFAULT.withLogins(new RateLimiter.Rate(0.001, 3), new RateLimiter.Rate(0.001, 100));
        try (TestReceiver receiver = receiver(three, null)) {
            String padded = "{\"accessKey\": \"AKBIG\", \"secretKey\": \"" + "x".repeat(8 << 10) + "\"}";
            assertThat(rawLogin(receiver, padded).statusCode()).isEqualTo(413);
            assertThat(rawLogin(receiver, "{\"accessKey\": ").statusCode()).isEqualTo(400);

            HttpResponse<String> refused = rawLogin(receiver, padded);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("127.0.0.1");
            assertThat(login(receiver, "AKFINE", null).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aGarbledLoginTakesNoTokenOfAKey() {
        Quotas oneEach = Quotas.DEFAULT.withLogins(new RateLimiter.Rate(0.001, 100), new RateLimiter.Rate(0.001, 1));
        try (TestReceiver receiver = receiver(oneEach, null)) {
            assertThat(rawLogin(receiver, "{\"accessKey\": \"AKONCE\", \"secretKey\": ").statusCode()).isEqualTo(400);
            assertThat(login(receiver, "AKONCE", null).statusCode()).isEqualTo(401);
            assertThat(login(receiver, "AKONCE", null).statusCode()).isEqualTo(429);
        }
    }

    private static HttpResponse<String> rawLogin(TestReceiver receiver, String body) {
        return receiver.send(HttpRequest.newBuilder(receiver.uri(Paths.LOGIN))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void behindATrustedProxyTheClientIsTheHeadersLastEntry() {
        Quotas twoEach = Quotas.DEFAULT.withLogins(new RateLimiter.Rate(0.001, 2), new RateLimiter.Rate(0.001, 100));
        try (TestReceiver receiver = receiver(twoEach, "X-Forwarded-For")) {
            assertThat(login(receiver, "AKA", "203.0.113.7").statusCode()).isEqualTo(401);
            assertThat(login(receiver, "AKB", "198.51.100.1, 203.0.113.7").statusCode()).isEqualTo(401);
            assertThat(login(receiver, "AKC", "203.0.113.7, 198.51.100.1").statusCode()).isEqualTo(401);
            assertThat(login(receiver, "AKF", "203.0.113.7").statusCode()).isEqualTo(429);
            assertThat(login(receiver, "AKD", null).statusCode()).isEqualTo(401);
            assertThat(login(receiver, "AKE", null).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aKeyWithItsRequestsInFlightGets429UntilOneEndsYetCanSignOut() throws Exception {
        // No minimum data rate here: Jetty checks it whenever the handler asks for more of a body,
        // against the time since its first byte, so a held request (one byte sent) that asked a
        // few milliseconds late, as under load, got 408 and gave its place back early.
        try (TestReceiver receiver = receiver(Quotas.DEFAULT.withRequestsInFlightPerKey(2)
                .withBodyLimits(Duration.ofSeconds(60), 0), null)) {
            NewKey key = receiver.keys.create(List.of(), Set.of(Scope.INGEST, Scope.READ), Instant.now());
            String token = receiver.login(key);
            String otherSession = receiver.login(key);
            String fetching = FetchingId.generate(Instant.now());
            receiver.start("inflight", fetching, "uid-inflight");
            byte[] page = Json.MAPPER.writeValueAsBytes(Map.of("objects",
                    List.of(TestObjects.configMap("i1", "a", "one", "x", "1"))));
            awaitRequestsInFlight(receiver, 0);
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(startPage(receiver, token, Paths.records("inflight", fetching, RecordKind.OBJECTS), page));
            }
            awaitRequestsInFlight(receiver, 2);

            HttpResponse<String> third = get(receiver, token);
            assertThat(third.statusCode()).as("a third request while two are held").isEqualTo(429);
            assertThat(third.body()).contains("too_many_requests");
            // Signing out takes no place: a key at its quota can still revoke a token.
            HttpResponse<String> signOut = receiver.send(HttpRequest.newBuilder(receiver.uri("/account/access_keys/logout"))
                    .header("Authorization", "Bearer " + otherSession).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(signOut.statusCode()).as(signOut.body()).isEqualTo(204);

            endPage(held.get(0), page);
            awaitRequestsInFlight(receiver, 1);
            assertThat(get(receiver, token).statusCode()).as("a request once one of the two ended").isEqualTo(200);
            assertThat(get(receiver, otherSession).statusCode()).as("the signed-out token").isEqualTo(401);
            endPage(held.get(1), page);
        }
    }

    /**
     * Waits until the receiver's gauge of requests holding a place in their key's quota reads
     * {@code n}; asking takes no place ({@code /metrics} is not a key's request).
     */
    private static void awaitRequestsInFlight(TestReceiver receiver, long n) throws InterruptedException {
        String gauge = "\nreceiver_requests_in_flight " + n + "\n";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!receiver.get("/metrics").body().contains(gauge)) {
            assertThat(System.nanoTime() - deadline).as("time left for %d requests in flight", n).isNegative();
            Thread.sleep(10);
        }
    }

    /** Sends the rest of a page {@link #startPage} began, and expects it stored. */
    private static void endPage(Socket socket, byte[] page) throws IOException {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(page, 1, page.length - 1);
            out.flush();
            assertThat(statusLine(socket.getInputStream())).contains(" 204 ");
        }
    }

    @Test
    void aRequestBodyThatStallsIsCutOff() throws Exception {
        try (TestReceiver receiver = receiver(Quotas.DEFAULT.withBodyLimits(Duration.ofMillis(500), 0), null);
                Socket socket = new Socket("127.0.0.1", receiver.server.port())) {
            startLogin(socket, 200, "{\"accessKey\":");
            String answer = statusLine(socket.getInputStream());
            assertThat(answer).as("the answer to a stalled body, or the connection closed").satisfiesAnyOf(
                    a -> assertThat(a).isEmpty(), a -> assertThat(a).matches("HTTP/1.1 (400|408).*"));
        }
    }

    @Test
    void aRequestBodyThatTricklesIsRefusedWith408() throws Exception {
        try (TestReceiver receiver = receiver(Quotas.DEFAULT.withBodyLimits(Duration.ofSeconds(30), 1024), null);
                Socket socket = new Socket("127.0.0.1", receiver.server.port())) {
            OutputStream out = startLogin(socket, 2000, "{");
            String answer = "";
            // One byte every 100 ms, far under 1 KiB/s: Jetty refuses the body at a read after the first second.
            for (int i = 0; i < 200 && answer.isEmpty(); i++) {
                Thread.sleep(100);
                out.write(' ');
                out.flush();
                if (socket.getInputStream().available() > 0) {
                    answer = statusLine(socket.getInputStream());
                }
            }
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
    }

    /** Sends a login's headers announcing {@code length} bytes and the body's {@code start}. */
    private static OutputStream startLogin(Socket socket, int length, String start) throws IOException {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + Paths.LOGIN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n" + start).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return out;
    }

    /** Sends a page's headers and its first byte, and leaves the rest unsent. */
    private static Socket startPage(TestReceiver receiver, String token, String path, byte[] page) throws IOException {
        Socket socket = new Socket("127.0.0.1", receiver.server.port());
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + page.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(page, 0, 1);
        out.flush();
        return socket;
    }

    private static HttpResponse<String> get(TestReceiver receiver, String token) {
        return receiver.send(HttpRequest.newBuilder(receiver.uri("/v1/clusters"))
                .header("Authorization", "Bearer " + token).build());
    }

    /** The first line of an HTTP answer, or "" when the connection closes first. */
    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
