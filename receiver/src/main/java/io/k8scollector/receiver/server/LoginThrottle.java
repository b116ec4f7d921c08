package io.k8scollector.receiver.server;

import io.javalin.http.Context;

/**
 * Rate limits on logins, in this replica's memory: per client address before the body is read
 * (so an oversized or garbled login takes its token too), then per access key (an unknown key
 * too) once the body is parsed, each a token bucket; past either the login gets {@code 429}
 * with {@code Retry-After}, before its secret is hashed (BCrypt is the expensive part of a login).
 * The client address is the socket's peer, unless a trusted proxy's header is named: then it is
 * the header's last entry (the address that proxy saw), else the peer when the header is absent.
 */
public final class LoginThrottle {

    private final RateLimiter perAddress;
    private final RateLimiter perKey;
    private final String trustedProxyHeader;

    public LoginThrottle(Quotas quotas, String trustedProxyHeader) {
        this.perAddress = new RateLimiter(quotas.loginsPerAddress());
        this.perKey = new RateLimiter(quotas.loginsPerKey());
        this.trustedProxyHeader = trustedProxyHeader;
    }

    /** Takes one login of the request's client address, or answers 429; before its body is read. */
    public void admitAddress(Context ctx) {
        String clientAddress = clientAddress(ctx.req().getRemoteAddr(),
                trustedProxyHeader == null ? null : ctx.header(trustedProxyHeader));
        long wait = perAddress.retryAfterSeconds(clientAddress);
        if (wait > 0) {
            throw ApiException.tooManyRequests("Too many logins from " + clientAddress + ": try again in " + wait + " s.", wait);
        }
    }

    /** Takes one login with {@code accessKey}, or answers 429; once the body is parsed. */
    public void admitKey(String accessKey) {
        long wait = perKey.retryAfterSeconds(String.valueOf(accessKey));
        if (wait > 0) {
            throw ApiException.tooManyRequests("Too many logins with access key " + accessKey + ": try again in " + wait
                    + " s.", wait);
        }
    }

    /** The client's address: the trusted proxy header's last entry, else the socket's peer. */
    String clientAddress(String peer, String headerValue) {
        if (trustedProxyHeader == null || headerValue == null) {
            return peer;
        }
        String[] hops = headerValue.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty()) {
                return hop;
            }
        }
        return peer;
    }
}
