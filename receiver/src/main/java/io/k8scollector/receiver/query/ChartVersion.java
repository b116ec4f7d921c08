package io.k8scollector.receiver.query;

import java.util.Comparator;

/**
 * Orders Helm chart versions, which Helm requires to be SemVer 2: by precedence (major, minor,
 * patch numerically; a pre-release before its release; pre-release identifiers numerically
 * when numeric, else by text; build metadata ignored). A leading {@code v} is allowed, missing
 * minor or patch read as 0, and a version that is not SemVer sorts before every one that is.
 */
final class ChartVersion {

    static final Comparator<String> ORDER = ChartVersion::compare;

    private ChartVersion() {}

    private static int compare(String a, String b) {
        String[] x = core(a);
        String[] y = core(b);
        if (x == null || y == null) {
            return x == null && y == null ? a.compareTo(b) : x == null ? -1 : 1;
        }
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return comparePreRelease(x[3], y[3]);
    }

    /** major, minor, patch and the pre-release ("" for none), or null when not a version. */
    private static String[] core(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        int plus = v.indexOf('+');
        v = plus < 0 ? v : v.substring(0, plus);
        int dash = v.indexOf('-');
        String pre = dash < 0 ? "" : v.substring(dash + 1);
        String[] numbers = (dash < 0 ? v : v.substring(0, dash)).split("\\.", -1);
        if (numbers.length > 3) {
            return null;
        }
        String[] core = {"0", "0", "0", pre};
        for (int i = 0; i < numbers.length; i++) {
            if (!numeric(numbers[i])) {
                return null;
            }
            core[i] = numbers[i];
        }
        return core;
    }

    private static int comparePreRelease(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = numeric(x[i]);
            boolean yn = numeric(y[i]);
            int c = xn && yn ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]))
                    : xn != yn ? (xn ? -1 : 1) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static boolean numeric(String part) {
        return !part.isEmpty() && part.length() <= 18 && part.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }
}
