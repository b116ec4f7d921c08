package io.k8scollector.collector.redaction;

import io.k8scollector.collector.config.ConfigException;
import io.k8scollector.collector.config.ConfigSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the run redacts: the Secret mode, the key of every {@code hmac-sha256:} digest, the extra
 * annotations to remove and the pattern that marks an env variable or flag name as sensitive.
 * The key never appears in {@link #toString()}.
 *
 * @param secrets what happens to Secret values ({@code collector.secrets})
 * @param key the HMAC key: configured, derived from the secret key, or random for this run
 * @param randomKey whether {@code key} is random for this run (a dry-run without keys): digests
 *     then do not match those of any other run, and the run summary says so
 * @param redactAnnotations annotations removed from every object, besides
 *     {@value #LAST_APPLIED}
 * @param sensitivePattern found anywhere in a name (case-insensitive) to make its value secret
 * @param valuesFields fields holding Helm values ({@value #VALUES_FIELDS}), besides the known ones
 */
public record RedactionSettings(
        SecretsMode secrets,
        byte[] key,
        boolean randomKey,
        List<String> redactAnnotations,
        Pattern sensitivePattern,
        List<ValuesField> valuesFields) {

    public static final String SECRETS = "collector.secrets";
    public static final String REDACTION_KEY = "collector.redactionKey";
    public static final String REDACTION_KEY_ENV = "REDACTION_KEY";
    public static final String REDACT_ANNOTATIONS = "collector.redactAnnotations";
    public static final String SENSITIVE_PATTERN = "collector.sensitivePattern";
    public static final String VALUES_FIELDS = "collector.valuesFields";

    /**
     * Names whose values are secret unless {@code collector.sensitivePattern} says otherwise,
     * matched case-insensitively in a name as it is and with {@code -} and {@code .} read as
     * {@code _}. The anchored parts keep common names out ({@code PASSTHROUGH}, {@code PASS_COUNT},
     * {@code AUTHOR}, {@code AUTH_MODE}, {@code SESSION_TIMEOUT}, {@code COOKIE_DOMAIN});
     * docs/redaction.md gives the reasoning for each.
     */
    public static final String DEFAULT_SENSITIVE_PATTERN = "password|passwd|passphrase|pwd|pass$|(^|_)pw$"
            + "|secret|token|bearer|credential|apikey|api_key|access_key"
            + "|(private|signing|encryption|master|license|ssh|tls|jwt|hmac)_?key|(^|_)jwt$"
            + "|auth(orization)?(_?header)?$|dsn$|(^|_)dsn_|conn(ection)?_?str(ing)?$"
            + "|session(_?(id|key))?$|cookie$";

    /** Removed from every object: it repeats the whole applied object, Secret data included. */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    static final String HKDF_INFO = "k8s-collector redaction";

    private static final int KEY_BYTES = 32;
    private static final int MIN_CONFIGURED_KEY_LENGTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(RedactionSettings.class);

    public RedactionSettings {
        key = key.clone();
        redactAnnotations = List.copyOf(redactAnnotations);
        valuesFields = List.copyOf(valuesFields);
    }

    /**
     * Reads the settings. The key comes from {@code REDACTION_KEY} in {@code env}, else the file
     * key {@value #REDACTION_KEY} (environment over files, as everywhere in the collector), else
     * HKDF-SHA256 of {@code secretKey} with info {@value #HKDF_INFO}, else, for a dry-run only,
     * random bytes. With {@code collector.secrets=keep} a warning is logged on every call.
     *
     * @throws ConfigException for a bad mode, a bad pattern, a configured key shorter than 16
     *     characters, or no key at all outside a dry-run
     */
    public static RedactionSettings from(
            ConfigSource source, Map<String, String> env, Optional<String> secretKey, boolean dryRun) {
        SecretsMode secrets = SecretsMode.of(source.choice(SECRETS, "hash", SecretsMode.names()));
        if (secrets == SecretsMode.KEEP) {
            LOG.warn("{}=keep: Secret values are sent in clear; use hash or drop unless the endpoint must hold them", SECRETS);
        }
        Optional<String> configured = Optional.ofNullable(env.get(REDACTION_KEY_ENV))
                .filter(value -> !value.isBlank())
                .map(String::trim)
                .map(value -> checkedKey(REDACTION_KEY_ENV, value))
                .or(() -> source.string(REDACTION_KEY).map(value -> checkedKey(REDACTION_KEY, value)));
        byte[] key;
        boolean random = false;
        if (configured.isPresent()) {
            key = configured.get().getBytes(StandardCharsets.UTF_8);
        } else if (secretKey.filter(value -> !value.isBlank()).isPresent()) {
            key = Hkdf.derive(
                    secretKey.get().getBytes(StandardCharsets.UTF_8),
                    new byte[0],
                    HKDF_INFO.getBytes(StandardCharsets.UTF_8),
                    KEY_BYTES);
        } else if (dryRun) {
            key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            random = true;
        } else {
            throw new ConfigException(REDACTION_KEY, REDACTION_KEY + ": no redaction key; set " + REDACTION_KEY
                    + " or " + REDACTION_KEY_ENV + ", or give the secret key it is derived from.");
        }
        return new RedactionSettings(
                secrets, key, random, source.lines(REDACT_ANNOTATIONS), sensitivePattern(source), valuesFields(source));
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "RedactionSettings[secrets=" + secrets + ", randomKey=" + randomKey + ", redactAnnotations="
                + redactAnnotations + ", sensitivePattern=" + sensitivePattern + ", valuesFields=" + valuesFields + "]";
    }

    private static String checkedKey(String name, String value) {
        if (value.length() < MIN_CONFIGURED_KEY_LENGTH) {
            // the value itself is a secret: say only how long it is
            throw new ConfigException(name, name + ": a key of " + value.length()
                    + " characters is too short; allowed: at least " + MIN_CONFIGURED_KEY_LENGTH + " characters.");
        }
        return value;
    }

    private static Pattern sensitivePattern(ConfigSource source) {
        String regex = source.string(SENSITIVE_PATTERN, DEFAULT_SENSITIVE_PATTERN);
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw ConfigException.invalid(
                    SENSITIVE_PATTERN, regex, "a Java regular expression (" + e.getDescription() + ")");
        }
    }

    private static List<ValuesField> valuesFields(ConfigSource source) {
        return source.lines(VALUES_FIELDS).stream().map(line -> ValuesField.parse(VALUES_FIELDS, line)).toList();
    }
}
