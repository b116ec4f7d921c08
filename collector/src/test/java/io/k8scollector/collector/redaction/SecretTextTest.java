package io.k8scollector.collector.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.digest.KeyedDigest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The default sensitive-name pattern and the rules for secrets inside text. */
class SecretTextTest {

    private static final KeyedDigest DIGEST = new KeyedDigest("a-secret-text-test-key".getBytes(StandardCharsets.UTF_8));
    private static final SensitiveNames NAMES = new SensitiveNames(
            Pattern.compile(RedactionSettings.DEFAULT_SENSITIVE_PATTERN, Pattern.CASE_INSENSITIVE));
    private static final SecretText TEXT = new SecretText(NAMES, DIGEST);

    @ParameterizedTest
    @ValueSource(strings = {"DB_PASSWORD", "DB_PASS", "db-pass", "db.pass", "PGPASS", "adminPass", "DB_PW", "PASSPHRASE",
            "DSN", "SENTRY_DSN", "dsn_url", "sentryDsn", "DATABASE_CONNECTION_STRING", "connectionString", "conn_str",
            "CONNSTR", "BASIC_AUTH", "proxyAuth", "HTTP_AUTHORIZATION", "auth_header", "BEARER_TOKEN", "bearer",
            "SESSION", "session_id", "SESSION_KEY", "COOKIE", "CLIENT_SECRET", "private.key", "private-key", "PRIVATEKEY",
            "tls.key", "SSH_KEY", "signing_key", "JWT", "API_KEY", "apikey", "ACCESS_KEY", "credentials", "token"})
    void marksCommonSecretNamesSensitive(String name) {
        assertThat(NAMES.isSensitive(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PASSTHROUGH", "PASS_COUNT", "PASSES", "AUTHOR", "AUTH_MODE", "authorization-mode",
            "OAUTH_CLIENT_ID", "SESSION_TIMEOUT", "SESSION_AFFINITY", "COOKIE_DOMAIN", "LOG_LEVEL", "KEYCLOAK_URL",
            "PRIMARY_KEY_COLUMN", "DATABASE_URL", "PORT", ""})
    void leavesOrdinaryNamesAlone(String name) {
        assertThat(NAMES.isSensitive(name)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgres://app:s3cret@db:5432/shop|postgres://app:<<s3cret>>@db:5432/shop",
            "redis://:s3cret@cache:6379/0|redis://:<<s3cret>>@cache:6379/0",
            "see https://admin:p@ss:w0rd@ops.example.com/x?y=1 now|see https://admin:<<p@ss:w0rd>>@ops.example.com/x?y=1 now",
            "https://git@github.com/org/repo|https://git@github.com/org/repo",
            "https://example.com/a@b|https://example.com/a@b",
            "PGPASSWORD=s3cret psql -h db|PGPASSWORD=<<s3cret>> psql -h db",
            "export TOKEN=\"s3 cret\"; app|export TOKEN=\"<<s3 cret>>\"; app",
            "env DB_PASS='s3cret' app|env DB_PASS='<<s3cret>>' app",
            "--set db.password=s3cret --set replicas=2|--set db.password=<<s3cret>> --set replicas=2",
            "LOG_LEVEL=debug PORT=80 app|LOG_LEVEL=debug PORT=80 app",
            "{\"user\":\"app\",\"password\":\"s3cret\"}|{\"user\":\"app\",\"password\":\"<<s3cret>>\"}",
            "app --token s3cret --port 80|app --token <<s3cret>> --port 80",
            "-Xmx1g -Dspring.datasource.password=s3cret|-Xmx1g -Dspring.datasource.password=<<s3cret>>",
            "kubectl rollout restart deploy/web|kubectl rollout restart deploy/web",
            "app --token \"s3 cret\" --port 80|app --token \"<<s3 cret>>\" --port 80",
            "app --password='s3 cret' -v|app --password='<<s3 cret>>' -v",
            "app --token \"s3 \\\" cret\" -v|app --token \"<<s3 \\\" cret>>\" -v",
            "app --token 's3 cret|app --token <<'s3 cret>>",
            "curl -H \"Authorization: Bearer s3cret\" https://x|curl -H \"Authorization: <<Bearer s3cret>>\" https://x",
            "curl -H 'X-Api-Key: s3 cret' -H 'Accept: text/plain' https://x|curl -H 'X-Api-Key: <<s3 cret>>' -H 'Accept: text/plain' https://x",
            "Cookie: a=s3cret; b=2|Cookie: <<a=s3cret; b=2>>",
            "X-Request-Id: 42|X-Request-Id: 42",
            "at 2026-01-17T17:33:46Z Authorization: Bearer s3cret|at 2026-01-17T17:33:46Z Authorization: <<Bearer s3cret>>",
            "10:00 X-Api-Key : s3cret|10:00 X-Api-Key : <<s3cret>>",
            "x_Authorization: s3cret|x_Authorization: s3cret",
            "http://host/Authorization: s3cret|http://host/Authorization: s3cret",
            "--port=80 PGPASSWORD=s3cret|--port=80 PGPASSWORD=<<s3cret>>",
            "echo $PGPASSWORD=s3cret|echo $PGPASSWORD=s3cret",
            "a-b.PGPASSWORD=s3cret|a-b.PGPASSWORD=<<s3cret>>",
            "kubectl run x -- sh -c \"app --token s3cret --port 80\"|kubectl run x -- sh -c \"app --token <<s3cret>> --port 80\"",
            "su app -c 'deploy --api-key=\"s3 cret\" -v'|su app -c 'deploy --api-key=\"<<s3 cret>>\" -v'",
            "su -c \"sh -c 'app --token s3cret'\"|su -c \"sh -c 'app --token <<s3cret>>'\"",
            "sh -c \"app --token s3cret|sh -c \"app --token <<s3cret>>",
            "git clone https://token:s3cret@github.com/org/repo|git clone https://token:<<s3cret>>@github.com/org/repo",
            "redis://:it's@cache:6379|redis://:<<it's>>@cache:6379",
            "https://u:p#q?x@host/p|https://u:<<p#q?x>>@host/p",
            "{\"a\":\"redis://:s3cret@cache\",\"b\":\"ops@example.com\"}|{\"a\":\"redis://:<<s3cret>>@cache\",\"b\":\"ops@example.com\"}"})
    void replacesOnlyTheSecretInsideALine(String line, String expected) {
        assertThat(TEXT.line(line)).isEqualTo(digested(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "database:\\n  password: s3cret\\n  port: 5432|database:\\n  password: <<s3cret>>\\n  port: 5432",
            "DB_PASS=s3cret\\nLOG_LEVEL=info|DB_PASS=<<s3cret>>\\nLOG_LEVEL=info",
            "spring.datasource.password = s3cret|spring.datasource.password = <<s3cret>>",
            "password = 's3cret'|password = <<'s3cret'>>",
            "  \"api_token\": \"s3cret\",|  \"api_token\": <<\"s3cret\",>>",
            "server {\\n  listen 80;\\n}|server {\\n  listen 80;\\n}"})
    void replacesTheValueOfASensitiveConfigurationLine(String config, String expected) {
        assertThat(TEXT.config(config.replace("\\n", "\n"))).isEqualTo(digested(expected).replace("\\n", "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PGPASSWORD=s3cret psql", "redis://:s3cret@cache", "app --token s3cret", "{\"token\":\"s3cret\"}",
            "app --token \"s3 cret\"", "curl -H 'Authorization: Bearer s3cret'", "redis://:it's-s3cret@cache"})
    void givesTheSameTextWhenAppliedTwice(String line) {
        String once = TEXT.config(line);

        assertThat(once).doesNotContain("s3cret");
        assertThat(TEXT.config(once)).isEqualTo(once).isEqualTo(TEXT.line(once));
    }

    @Test
    @Timeout(30)
    void readsHostileTextInLinearTimeAndWithoutDeepRecursion() {
        String spaced = "password: x" + " ".repeat(200_000) + "y";
        String escaped = "{\"token\":\"" + "\\\"".repeat(100_000) + "\"}";
        String words = "a".repeat(200_000) + "://" + "b".repeat(200_000) + "=" + "c".repeat(200_000);
        String quotes = " -x \"'".repeat(50_000);
        String nested = ("-x '" + " -x \"").repeat(50_000);
        String headers = "a: ".repeat(100_000) + "token: x";

        assertThat(TEXT.config(spaced)).isEqualTo("password: " + DIGEST.of("x" + " ".repeat(200_000) + "y"));
        assertThat(TEXT.config(escaped)).isEqualTo("{\"token\":\"" + DIGEST.of("\\\"".repeat(100_000)) + "\"}");
        assertThat(TEXT.config(words)).isEqualTo(words);
        assertThat(TEXT.line(quotes)).isEqualTo(quotes);
        assertThat(TEXT.line(nested)).isEqualTo(nested);
        assertThat(TEXT.line(headers)).isEqualTo("a: ".repeat(100_000) + "token: " + DIGEST.of("x"));
    }

    /** {@code expected} with each {@code <<value>>} replaced by the value's digest. */
    private static String digested(String expected) {
        return Pattern.compile("<<(.*?)>>").matcher(expected).replaceAll(match -> DIGEST.of(match.group(1)));
    }
}
