package io.k8scollector.bench;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The load generators' login to the receiver under test. */
final class ReceiverLogin {

    private ReceiverLogin() {}

    /** Logs in at {@code url} with the key pair; the bearer token. */
    static String token(String url, String accessKey, String secretKey) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + Paths.LOGIN))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(new LoginRequest(accessKey, secretKey))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Login failed with " + answer.statusCode() + ": " + answer.body());
        }
        return Json.MAPPER.readValue(answer.body(), LoginResponse.class).accessToken();
    }
}
