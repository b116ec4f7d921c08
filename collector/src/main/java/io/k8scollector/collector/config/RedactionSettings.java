package io.k8scollector.collector.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
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
 * @param key the HMAC key: configured, the user's key file (outside a cluster), or random for this run
 * @param randomKey whether {@code key} is random for this run (a dry-run in a cluster without a key): digests
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

    private static final int KEY_ID_HEX = 8;
    private static final int MIN_CONFIGURED_KEY_LENGTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(RedactionSettings.class);

    public RedactionSettings {
        key = key.clone();
        redactAnnotations = List.copyOf(redactAnnotations);
        valuesFields = List.copyOf(valuesFields);
    }

    /**
     * Reads the settings. The key comes from {@code REDACTION_KEY} in {@code env}, else the file
     * key {@value #REDACTION_KEY} (environment over files, as everywhere in the collector), else,
     * for a run outside a cluster (not the in-cluster service account), the user's key file
     * ({@code $XDG_CONFIG_HOME/k8s-collector/redaction.key}, made on first use), else, for a
     * dry-run in a cluster, random bytes. Nothing the endpoint sees (the secret key is sent at
     * every login) goes into the key. With {@code collector.secrets=keep} a warning is logged.
     *
     * @param env the environment: {@code REDACTION_KEY}, and {@code XDG_CONFIG_HOME} and
     *     {@code HOME} for the key file
     * @param kube how the run reaches the API server: the key file is only for a run outside a cluster
     * @throws ConfigException for a bad mode, a bad pattern, a configured key shorter than 16
     *     characters, an unusable key file, or no key in a cluster outside a dry-run
     */
    public static RedactionSettings from(
            ConfigSource source, Map<String, String> env, KubeAccess kube, boolean dryRun) {
        SecretsMode secrets = SecretsMode.of(source.choice(SECRETS, "hash", SecretsMode.names()));
        if (secrets == SecretsMode.KEEP) {
            LOG.warn("{}=keep: Secret values are sent in clear; use hash or drop unless the endpoint must hold them", SECRETS);
        }
        Pattern pattern = sensitivePattern(source);
        List<String> annotations = source.lines(REDACT_ANNOTATIONS);
        List<ValuesField> fields = valuesFields(source);
        Optional<String> configured = Optional.ofNullable(env.get(REDACTION_KEY_ENV))
                .filter(value -> !value.isBlank())
                .map(String::trim)
                .map(value -> checkedKey(REDACTION_KEY_ENV, value))
                .or(() -> source.string(REDACTION_KEY).map(value -> checkedKey(REDACTION_KEY, value)));
        if (configured.isPresent()) {
            return new RedactionSettings(
                    secrets, configured.get().getBytes(StandardCharsets.UTF_8), false, annotations, pattern, fields);
        }
        if (!kube.inClusterAccount()) {
            return new RedactionSettings(
                    secrets, UserKeyFile.readOrCreate(UserKeyFile.location(env)), false, annotations, pattern, fields);
        }
        if (!dryRun) {
            throw new ConfigException(REDACTION_KEY, "No redaction key in a cluster: set " + REDACTION_KEY_ENV
                    + " or " + REDACTION_KEY + " (at least " + MIN_CONFIGURED_KEY_LENGTH
                    + " characters; the chart makes one).");
        }
        byte[] random = new byte[UserKeyFile.KEY_BYTES];
        new SecureRandom().nextBytes(random);
        return new RedactionSettings(secrets, random, true, annotations, pattern, fields);
    }

    /**
     * The key's public name, {@code report.redactionKeyId} of a commit: the first 8 hex characters
     * of its SHA-256. A receiver that sees it change knows every digest changed with the key.
     */
    public String keyId() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, KEY_ID_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
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
