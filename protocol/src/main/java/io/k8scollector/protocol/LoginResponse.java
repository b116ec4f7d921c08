package io.k8scollector.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The login answer: a bearer token and its lifetime in seconds. */
public record LoginResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("token_type") String tokenType) {

    @Override
    public String toString() {
        return "LoginResponse[accessToken=***, expiresIn=" + expiresIn + ", tokenType=" + tokenType + "]";
    }
}
