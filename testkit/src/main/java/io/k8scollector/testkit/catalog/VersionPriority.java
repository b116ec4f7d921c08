package io.k8scollector.testkit.catalog;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders API versions as Kubernetes does: GA before beta before alpha, higher numbers first
 * ({@code v2, v1, v1beta2, v1beta1, v1alpha1}), then versions of any other form alphabetically.
 */
public final class VersionPriority implements Comparator<String> {

    /** The one instance; stateless. */
    public static final VersionPriority ORDER = new VersionPriority();

    private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    private VersionPriority() {}

    @Override
    public int compare(String a, String b) {
        Matcher ma = KUBE_VERSION.matcher(a);
        Matcher mb = KUBE_VERSION.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            return ka == kb ? a.compareTo(b) : (ka ? -1 : 1);
        }
        int stability = Integer.compare(stability(mb.group(2)), stability(ma.group(2)));
        if (stability != 0) {
            return stability;
        }
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0 || ma.group(3) == null) {
            return major;
        }
        return Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
    }

    private static int stability(String level) {
        if (level == null) {
            return 2;
        }
        return "beta".equals(level) ? 1 : 0;
    }
}
