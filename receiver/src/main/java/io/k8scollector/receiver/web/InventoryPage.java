package io.k8scollector.receiver.web;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the inventory page. It signs in with an access/secret key pair through the protocol's
 * login, keeps the token in the tab's sessionStorage, and shows what the query API answers.
 */
public final class InventoryPage {

    private final byte[] html;

    public InventoryPage() {
        try (InputStream in = InventoryPage.class.getResourceAsStream("/web/index.html")) {
            if (in == null) {
                throw new IllegalStateException("web/index.html is missing from the receiver's jar");
            }
            html = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read web/index.html from the receiver's jar", e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline';"
                        + " script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .result(html));
    }
}
