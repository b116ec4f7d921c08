package io.k8scollector.collector.redaction;

import io.k8scollector.collector.digest.KeyedDigest;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for secrets written inside free text (a shell line, a script, an annotation, a
 * ConfigMap value), each keeping the text's shape and replacing only the secret by its digest:
 * <ul>
 *   <li>the password of a URL with user info: {@code postgres://app:<digest>@db:5432/shop}, any
 *       characters but whitespace, {@code /} and {@code "} up to the last {@code @} before the host;
 *   <li>a shell assignment to a sensitive name: {@code PGPASSWORD=<digest> psql},
 *       {@code export TOKEN="<digest>"}, {@code env DB_PASS=<digest> app}, and a property written
 *       the same way ({@code --set db.password=<digest>});
 *   <li>a JSON member with a sensitive name and a string value: {@code "password":"<digest>"};
 *   <li>the value of a sensitive flag ({@code --token <digest>}, {@code --db-password=<digest>},
 *       {@code -Dspring.datasource.password=<digest>}), read word by word, a quoted word to its
 *       closing quote ({@code --token "<digest>"}), and inside quoted shell lines
 *       ({@code sh -c "app --token <digest>"});
 *   <li>the value of a sensitive header ({@code Authorization}, {@code X-Api-Key}, {@code Cookie}):
 *       {@code curl -H "Authorization: <digest>"}, to the closing quote of a quoted header, else to
 *       the end of the line;
 *   <li>for configuration text only, a line that sets a sensitive name, whatever follows:
 *       {@code password: <digest>}, {@code db.password = <digest>}, {@code export API_TOKEN=<digest>}.
 * </ul>
 * A value that already is a digest is left as it is, so that the rules compose and a value is
 * never digested twice. Thread-safe.
 */
final class SecretText {

    /** A password may hold {@code '}, {@code ?}, {@code #} and {@code @}; a {@code "} ends the URL inside JSON text. */
    private static final Pattern URL_PASSWORD =
            Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\\s\"'<>]*:)([^/\\s\"]+)@");
    /**
     * A header name and its colon, where a word starts (not a URL's user, {@code https://token:x@host},
     * which the URL rule reads); the value is scanned by hand.
     */
    private static final Pattern HEADER = Pattern.compile("(?<![\\w.:/@-])([A-Za-z][A-Za-z0-9-]*)[ \\t]*:[ \\t]*");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?<![\\w.$-])([A-Za-z_][\\w.-]*)=(?:\"([^\"]*)\"|'([^']*)'|([^\\s;&|`'\"]+))");
    /** Up to the opening quote of the value: the value is scanned by hand, a regex loop over escapes recurses. */
    private static final Pattern JSON_MEMBER = Pattern.compile("\"([A-Za-z_][\\w.-]*)\"\\s*:\\s*\"");
    private static final Pattern CONFIG_LINE = Pattern.compile(
            "(?m)^([ \\t]*(?:export[ \\t]+)?[\"']?)([A-Za-z_][\\w.-]*)([\"']?[ \\t]*[:=][ \\t]*)(\\S(?:[^\\r\\n]*\\S)?)[ \\t]*$");
    private static final int DIGEST_LENGTH = KeyedDigest.PREFIX.length() + 64;
    /** Quoted shell lines are read this deep ({@code su -c "sh -c 'app --token x'"}); hostile nesting costs no more. */
    private static final int MAX_NESTING = 2;
    /**
     * Env values, arguments and annotations repeat across every pod of a workload; the rules on them
     * were a large share of the collector's CPU in a dry-run of 100k pods (docs/benchmarks.md). A digest is the same for one
     * key, so an answer kept is the answer computed again. At most this many texts of each kind are
     * kept...
     */
    private static final int MAX_REMEMBERED_TEXTS = 4096;
    /** ...of at most this many characters, a few MiB at worst; a longer text is read each time. */
    private static final int MAX_REMEMBERED_LENGTH = 256;
    /**
     * Header names repeat even where the texts do not (the {@code hmac-sha256} of every digest); kept
     * here, not with the names that repeat from object to object, so that the words of scripts and
     * configuration do not crowd those out.
     */
    private static final int MAX_HEADER_NAME_LENGTH = 64;

    private final SensitiveNames names;
    private final KeyedDigest digest;
    private final Remembered<String> lines = new Remembered<>(MAX_REMEMBERED_TEXTS, MAX_REMEMBERED_LENGTH, this::readLine);
    private final Remembered<String> embedded = new Remembered<>(MAX_REMEMBERED_TEXTS, MAX_REMEMBERED_LENGTH, this::readEmbedded);
    private final Remembered<Boolean> headerNames;

    SecretText(SensitiveNames names, KeyedDigest digest) {
        this.names = names;
        this.digest = digest;
        this.headerNames = new Remembered<>(MAX_REMEMBERED_TEXTS, MAX_HEADER_NAME_LENGTH, names::matches);
    }

    /** Every rule but the configuration lines: for shell lines, scripts, annotations and env values. */
    String line(String text) {
        return lines.get(text);
    }

    private String readLine(String text) {
        return embedded(hasFlag(text) ? flags(text, 0) : text);
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
        return embedded.get(text);
    }

    private String readEmbedded(String text) {
        String out = text;
        if (out.indexOf('"') >= 0 && out.indexOf(':') >= 0) {
            out = jsonMembers(out);
        }
        if (out.indexOf('=') >= 0 && mayAssign(out)) {
            out = replace(ASSIGNMENT, out, this::assignment);
        }
        if (out.contains("://") && out.indexOf('@') >= 0) {
            out = replace(URL_PASSWORD, out, url -> url.group(1) + secret(url.group(2)) + "@");
        }
        if (out.indexOf(':') >= 0) {
            out = headers(out);
        }
        return out;
    }

    /** The digest of {@code value}, or {@code value} itself when it already is a digest. */
    String secret(String value) {
        return isDigest(value) ? value : digest.of(value);
    }

    /** A reader of flags over consecutive words (or elements of an argument list). */
    FlagReader flags() {
        return new FlagReader();
    }

    /**
     * Reads the words of a shell line as a shell splits them: a quoted part, spaces and all, belongs
     * to its word; {@code nesting} is how many quoted lines this one sits in.
     */
    private String flags(String line, int nesting) {
        FlagReader flags = new FlagReader();
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            if (Character.isWhitespace(line.charAt(i))) {
                out.append(line.charAt(i++));
                continue;
            }
            int end = wordEnd(line, i);
            String word = line.substring(i, end);
            boolean value = flags.valueNext();
            String redacted = flags.next(word);
            boolean unread = !value && redacted.equals(word) && nesting < MAX_NESTING;
            out.append(unread ? quotedParts(word, nesting + 1) : redacted);
            i = end;
        }
        return out.toString();
    }

    /**
     * {@code word} with each of its quoted parts read as a shell line of its own, as a shell run by
     * the line would read it ({@code sh -c "app --token x"}, {@code su -c 'app --token x'}); a
     * quote left open runs to the word's end.
     */
    private String quotedParts(String word, int nesting) {
        if (word.indexOf('"') < 0 && word.indexOf('\'') < 0) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c != '"' && c != '\'') {
                int next = Math.min(c == '\\' ? i + 2 : i + 1, word.length());
                out.append(word, i, next);
                i = next;
                continue;
            }
            int closing = closingQuote(word, i + 1, c);
            int end = closing < 0 ? word.length() : closing;
            String inner = word.substring(i + 1, end);
            out.append(c).append(hasFlag(inner) ? flags(inner, nesting) : inner);
            if (closing >= 0) {
                out.append(c);
            }
            i = end + 1;
        }
        return out.toString();
    }

    /** The end of the word at {@code start}; a quote left open runs to the end of the text (no shell would run it). */
    private static int wordEnd(String line, int start) {
        int i = start;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
            char c = line.charAt(i);
            if (c == '"' || c == '\'') {
                int closing = closingQuote(line, i + 1, c);
                i = closing < 0 ? line.length() : closing + 1;
            } else {
                i += c == '\\' ? 2 : 1;
            }
        }
        return Math.min(i, line.length());
    }

    /**
     * Digests the value of every header with a sensitive name: to the quote that closes a header
     * written in quotes ({@code -H 'Authorization: Bearer x'}), else to the end of the line.
     */
    private String headers(String text) {
        Matcher header = HEADER.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from < text.length()) {
            int candidate = headerStart(text, from);
            if (candidate < 0 || !header.find(candidate)) {
                break;
            }
            int start = header.end();
            from = start;
            if (!headerNames.get(header.group(1))) {
                continue;
            }
            char before = header.start() > 0 ? text.charAt(header.start() - 1) : ' ';
            int closing = before == '"' || before == '\'' ? closingQuote(text, start, before) : -1;
            int end = closing >= 0 ? closing : lineEnd(text, start);
            if (end > start) {
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, copied, start).append(secret(text.substring(start, end)));
                copied = end;
                from = end;
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * Where, from {@code from} on, {@link #HEADER} can next match, or -1: most texts hold a colon
     * (every timestamp, every digest) and no header, and the regex tries every position. A header
     * name is a whole run of letters, digits and dashes (within a run, the character before is one
     * the look-behind refuses) that starts with a letter, is not preceded by a word character,
     * {@code .}, {@code :}, {@code /}, {@code @} or {@code -}, and is followed by spaces or tabs
     * and a colon: found from each colon backwards.
     */
    private static int headerStart(String text, int from) {
        for (int colon = text.indexOf(':', from); colon >= 0; colon = text.indexOf(':', colon + 1)) {
            int end = colon;
            while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
                end--;
            }
            int start = end;
            while (start > 0 && isHeaderNameChar(text.charAt(start - 1))) {
                start--;
            }
            if (start < end && start >= from && isAsciiLetter(text.charAt(start))
                    && (start == 0 || !isWordChar(text.charAt(start - 1)) && ".:/@-".indexOf(text.charAt(start - 1)) < 0)) {
                return start;
            }
        }
        return -1;
    }

    /**
     * Whether {@link #ASSIGNMENT} can match in {@code text}: a name is a whole run of word
     * characters, dots and dashes before an {@code =} (within a run, the look-behind refuses),
     * starts with a letter or {@code _}, and is not preceded by {@code $}. Arguments such as
     * {@code --port=8080} hold none, and the regex would try every position.
     */
    private static boolean mayAssign(String text) {
        for (int equals = text.indexOf('='); equals >= 0; equals = text.indexOf('=', equals + 1)) {
            int start = equals;
            while (start > 0 && (isWordChar(text.charAt(start - 1)) || text.charAt(start - 1) == '.'
                    || text.charAt(start - 1) == '-')) {
                start--;
            }
            if (start < equals && (isAsciiLetter(text.charAt(start)) || text.charAt(start) == '_')
                    && (start == 0 || text.charAt(start - 1) != '$')) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** A character of the regex class {@code \\w}: ASCII letters, digits and {@code _}. */
    private static boolean isWordChar(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9' || c == '_';
    }

    private static boolean isHeaderNameChar(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9' || c == '-';
    }

    /** The end of the line {@code from} is in, trailing whitespace left out. */
    private static int lineEnd(String text, int from) {
        int end = from;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        while (end > from && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** Digests the string value of every JSON member with a sensitive name, keeping the text around it. */
    private String jsonMembers(String text) {
        Matcher member = JSON_MEMBER.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (member.find(from)) {
            int start = member.end();
            int end = closingQuote(text, start, '"');
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

    /**
     * The index of the {@code quote} that closes a quoted text from {@code from}, or -1; a
     * backslash escapes only inside {@code "}, as in a shell.
     */
    private static int closingQuote(String text, int from, char quote) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quote == '"') {
                i++;
            } else if (c == quote) {
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
    final class FlagReader {

        private boolean valueNext;

        private FlagReader() {}

        /** Whether the word read last was a sensitive flag without {@code =}, so that the next one is its value. */
        boolean valueNext() {
            return valueNext;
        }

        /**
         * Whether {@code argument} is a sensitive flag with its value, {@code --name=value}: the
         * value runs to the end of the argument, spaces and all.
         */
        boolean isSensitiveAssignment(String argument) {
            int equals = argument.indexOf('=');
            if (!argument.startsWith("-") || equals < 0) {
                return false;
            }
            String name = argument.substring(0, equals);
            for (int i = 0; i < name.length(); i++) {
                if (Character.isWhitespace(name.charAt(i))) {
                    return false;
                }
            }
            return names.isSensitive(stripDashes(name));
        }

        /** {@code word} with a sensitive flag's value digested, a quoted value inside its quotes. */
        String next(String word) {
            if (valueNext && !word.startsWith("--")) {
                valueNext = false;
                return quotedSecret(word);
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
            return word.substring(0, equals + 1) + quotedSecret(word.substring(equals + 1));
        }

        private String quotedSecret(String value) {
            char quote = value.isEmpty() ? ' ' : value.charAt(0);
            boolean quoted = value.length() >= 2 && (quote == '"' || quote == '\'')
                    && closingQuote(value, 1, quote) == value.length() - 1;
            return quoted ? quote + secret(value.substring(1, value.length() - 1)) + quote : secret(value);
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
