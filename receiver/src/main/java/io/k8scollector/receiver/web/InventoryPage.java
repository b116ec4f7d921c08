package io.k8scollector.receiver.web;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Serves the inventory page. It signs in with an access/secret key pair through the protocol's
 * login, keeps the token in the tab's sessionStorage, and shows what the query API answers. Its
 * Content-Security-Policy lets run only the page's own script and style, by their SHA-256
 * hashes: no other inline script, no inline style attribute and nothing from another origin.
 */
public final class InventoryPage {

    private final byte[] html;
    private final String policy;

    public InventoryPage() {
        try (InputStream in = InventoryPage.class.getResourceAsStream("/web/index.html")) {
            if (in == null) {
                throw new IllegalStateException("web/index.html is missing from the receiver's jar");
            }
            html = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read web/index.html from the receiver's jar", e);
        }
        String text = new String(html, StandardCharsets.UTF_8);
        policy = "default-src 'self'; script-src " + hash(text, "script") + "; style-src " + hash(text, "style")
                + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** The CSP source of the one {@code <tag>} element of the page: the SHA-256 of its text. */
    private static String hash(String page, String tag) {
        int open = page.indexOf("<" + tag + ">");
        int close = page.indexOf("</" + tag + ">", open + 1);
        if (open < 0 || close < 0 || page.indexOf("<" + tag + ">", open + 1) >= 0) {
            throw new IllegalStateException("web/index.html must hold exactly one <" + tag + "> element");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(page.substring(open + tag.length() + 2, close).getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java has no SHA-256", e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", policy)
                .header("X-Content-Type-Options", "nosniff")
                .result(html));
    }
}
