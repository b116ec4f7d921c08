package io.k8scollector.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentProxySelectorTest {

    private static InetSocketAddress proxyOf(EnvironmentProxySelector selector, String url) {
        Proxy proxy = selector.select(URI.create(url)).get(0);
        return proxy.type() == Proxy.Type.DIRECT ? null : (InetSocketAddress) proxy.address();
    }

    @Test
    void httpsGoesThroughHttpsProxyAndHttpThroughHttpProxy() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(
                Map.of("HTTPS_PROXY", "http://secure-proxy:3128", "http_proxy", "plain-proxy:8080"));

        assertThat(proxyOf(selector, "https://ingest.example.com/v1")).satisfies(address -> {
            assertThat(address.getHostString()).isEqualTo("secure-proxy");
            assertThat(address.getPort()).isEqualTo(3128);
        });
        assertThat(proxyOf(selector, "http://ingest.example.com/v1").getHostString()).isEqualTo("plain-proxy");
    }

    @Test
    void noProxyMatchesDomainsAndSubDomainsAndLoopbackIsAlwaysDirect() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(
                Map.of("HTTPS_PROXY", "proxy:3128", "NO_PROXY", "internal.corp, .svc:443,*.cluster.local"));

        assertThat(proxyOf(selector, "https://internal.corp")).isNull();
        assertThat(proxyOf(selector, "https://ingest.internal.corp")).isNull();
        assertThat(proxyOf(selector, "https://ingest.ns.svc")).isNull();
        assertThat(proxyOf(selector, "https://a.b.cluster.local")).isNull();
        assertThat(proxyOf(selector, "https://127.0.0.1:8443")).isNull();
        assertThat(proxyOf(selector, "https://localhost")).isNull();
        assertThat(proxyOf(selector, "https://notinternal.corp")).isNotNull();
    }

    @Test
    void aStarBypassesEverything() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of("HTTPS_PROXY", "proxy:3128", "no_proxy", "*"));

        assertThat(proxyOf(selector, "https://ingest.example.com")).isNull();
    }

    @Test
    void withoutVariablesEverythingIsDirect() {
        assertThat(proxyOf(EnvironmentProxySelector.from(Map.of()), "https://ingest.example.com")).isNull();
    }

    @Test
    void aBadProxyNamesTheVariableButNeverItsValue() {
        assertThatThrownBy(() -> EnvironmentProxySelector.from(Map.of("HTTPS_PROXY", "http://user:pw@")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HTTPS_PROXY is not a valid proxy")
                .hasMessageNotContaining("pw");
    }
}
