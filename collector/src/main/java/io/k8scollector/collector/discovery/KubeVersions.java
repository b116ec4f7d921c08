package io.k8scollector.collector.discovery;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' ordering of API versions, newest first: GA before beta before alpha, higher
 * numbers first within each ({@code v2, v1, v1beta2, v1beta1, v1alpha1}); names that do not
 * follow the scheme come last, alphabetically.
 */
final class KubeVersions {

    private static final Pattern KUBE = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    static final Comparator<String> NEWEST_FIRST = Comparator.comparingLong(KubeVersions::rank)
            .reversed()
            .thenComparing(Comparator.naturalOrder());

    private KubeVersions() {}

    private static long rank(String version) {
        Matcher m = KUBE.matcher(version);
        if (!m.matches()) {
            return -1;
        }
        long major = Long.parseLong(m.group(1));
        int stability = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
        long minor = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        return stability * 1_000_000_000L + major * 10_000L + minor;
    }
}
