package io.k8scollector.collector.redaction;

import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for secrets written inside free text (a shell line, a script, an annotation, a
 * ConfigMap value), each keeping the text's shape and replacing only the secret by its digest:
 * <ul>
 *   <li>the password of a URL with user info: {@code postgres://app:<digest>@db:5432/shop};
 *   <li>a shell assignment to a sensitive name: {@code PGPASSWORD=<digest> psql},
 *       {@code export TOKEN="<digest>"}, {@code env DB_PASS=<digest> app}, and a property written
 *       the same way ({@code --set db.password=<digest>});
 *   <li>a JSON member with a sensitive name and a string value: {@code "password":"<digest>"};
 *   <li>the value of a sensitive flag ({@code --token <digest>}, {@code --db-password=<digest>},
 *       {@code -Dspring.datasource.password=<digest>}), read word by word;
 *   <li>for configuration text only, a line that sets a sensitive name, whatever follows:
 *       {@code password: <digest>}, {@code db.password = <digest>}, {@code export API_TOKEN=<digest>}.
 * </ul>
 * A value that already is a digest is left as it is, so that the rules compose and a value is
 * never digested twice. Thread-safe.
 */
final class SecretText {

    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Pattern URL_PASSWORD =
            Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\\s\"'<>]*:)([^/?#\\s\"'<>]+)@");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?<![\\w.$-])([A-Za-z_][\\w.-]*)=(?:\"([^\"]*)\"|'([^']*)'|([^\\s;&|`'\"]+))");
    /** Up to the opening quote of the value: the value is scanned by hand, a regex loop over escapes recurses. */
    private static final Pattern JSON_MEMBER = Pattern.compile("\"([A-Za-z_][\\w.-]*)\"\\s*:\\s*\"");
    private static final Pattern CONFIG_LINE = Pattern.compile(
            "(?m)^([ \\t]*(?:export[ \\t]+)?[\"']?)([A-Za-z_][\\w.-]*)([\"']?[ \\t]*[:=][ \\t]*)(\\S(?:[^\\r\\n]*\\S)?)[ \\t]*$");
    private static final int DIGEST_LENGTH = KeyedDigest.PREFIX.length() + 64;

    private final SensitiveNames names;
    private final KeyedDigest digest;

    SecretText(SensitiveNames names, KeyedDigest digest) {
        this.names = names;
        this.digest = digest;
    }

    /** Every rule but the configuration lines: for shell lines, scripts, annotations and env values. */
    String line(String text) {
        return embedded(hasFlag(text) ? flags(text) : text);
    }

    /** Every rule: for ConfigMap values and scripts, which are configuration files and programs. */
    String config(String text) {
        String lines = text.indexOf(':') >= 0 || text.indexOf('=') >= 0
                ? replace(CONFIG_LINE, text, line -> names.matches(line.group(2))
                        ? line.group(1) + line.group(2) + line.group(3) + secret(line.group(4))
                        : line.group())
                : text;
        return line(lines);
    }

    /** The URL, assignment and JSON member rules, without reading flags (they span elements of an argument list). */
    String embedded(String text) {
        String out = text;
        if (out.indexOf('"') >= 0 && out.indexOf(':') >= 0) {
            out = jsonMembers(out);
        }
        if (out.indexOf('=') >= 0) {
            out = replace(ASSIGNMENT, out, this::assignment);
        }
        if (out.contains("://") && out.indexOf('@') >= 0) {
            out = replace(URL_PASSWORD, out, url -> url.group(1) + secret(url.group(2)) + "@");
        }
        return out;
    }

    /** The digest of {@code value}, or {@code value} itself when it already is a digest. */
    String secret(String value) {
        return isDigest(value) ? value : digest.of(value);
    }

    /** A reader of flags over consecutive words (or elements of an argument list). */
    Flags flags() {
        return new Flags();
    }

    private String flags(String line) {
        Flags flags = new Flags();
        Matcher words = WORD.matcher(line);
        StringBuilder out = new StringBuilder(line.length());
        while (words.find()) {
            words.appendReplacement(out, Matcher.quoteReplacement(flags.next(words.group())));
        }
        words.appendTail(out);
        return out.toString();
    }

    /** Digests the string value of every JSON member with a sensitive name, keeping the text around it. */
    private String jsonMembers(String text) {
        Matcher member = JSON_MEMBER.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (member.find(from)) {
            int start = member.end();
            int end = closingQuote(text, start);
            if (end < 0) {
                break;
            }
            from = end + 1;
            if (names.matches(member.group(1))) {
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, copied, start).append(secret(text.substring(start, end)));
                copied = end;
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static int closingQuote(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private String assignment(MatchResult match) {
        String name = match.group(1);
        if (!names.matches(name)) {
            return match.group();
        }
        if (match.group(2) != null) {
            return name + "=\"" + secret(match.group(2)) + "\"";
        }
        if (match.group(3) != null) {
            return name + "='" + secret(match.group(3)) + "'";
        }
        return name + "=" + secret(match.group(4));
    }

    private static boolean hasFlag(String text) {
        return text.startsWith("-") || text.contains(" -") || text.contains("\n-") || text.contains("\t-");
    }

    private static boolean isDigest(String value) {
        return value.length() == DIGEST_LENGTH && value.startsWith(KeyedDigest.PREFIX);
    }

    private static String replace(Pattern pattern, String text, Function<MatchResult, String> replacement) {
        return pattern.matcher(text).replaceAll(match -> Matcher.quoteReplacement(replacement.apply(match)));
    }

    /** Reads words in order and remembers when the next one is a sensitive flag's value. */
    final class Flags {

        private boolean valueNext;

        private Flags() {}

        /** Whether the word read last was a sensitive flag without {@code =}, so that the next one is its value. */
        boolean valueNext() {
            return valueNext;
        }

        /** {@code word} with a sensitive flag's value digested. */
        String next(String word) {
            if (valueNext && !word.startsWith("--")) {
                valueNext = false;
                return secret(word);
            }
            valueNext = false;
            if (!word.startsWith("-")) {
                return word;
            }
            int equals = word.indexOf('=');
            String name = stripDashes(equals < 0 ? word : word.substring(0, equals));
            if (!names.isSensitive(name)) {
                return word;
            }
            if (equals < 0) {
                valueNext = true;
                return word;
            }
            return word.substring(0, equals + 1) + secret(word.substring(equals + 1));
        }

        private static String stripDashes(String flag) {
            int start = 0;
            while (start < flag.length() && flag.charAt(start) == '-') {
                start++;
            }
            return flag.substring(start);
        }
    }
}
