package io.k8scollector.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeVersionsTest {

    @Test
    void ordersGaThenBetaThenAlphaNewestFirstAndOddNamesLast() {
        List<String> versions = new ArrayList<>(List.of("v1alpha1", "foo", "v1beta1", "v1", "v2beta3", "v2", "v1beta2", "v10"));

        versions.sort(KubeVersions.NEWEST_FIRST);

        assertThat(versions).containsExactly("v10", "v2", "v1", "v2beta3", "v1beta2", "v1beta1", "v1alpha1", "foo");
    }
}
