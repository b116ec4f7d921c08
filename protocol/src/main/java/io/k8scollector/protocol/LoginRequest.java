package io.k8scollector.protocol;

/** Body of {@code POST {loginEndpoint}/account/access_keys/login}. */
public record LoginRequest(String accessKey, String secretKey) {

    /** Keeps the secret out of logs and exception messages. */
    @Override
    public String toString() {
        return "LoginRequest[accessKey=" + accessKey + ", secretKey=***]";
    }
}
