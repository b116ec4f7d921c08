package io.k8scollector.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectorConfigTest {

    @TempDir
    Path dir;

    private Path configDir;
    private Path kubeconfig;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void files() throws Exception {
        configDir = Files.createDirectory(dir.resolve("config"));
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        env.put("HOME", dir.toString());
    }

    private CollectorConfig load(boolean dryRun, String clusterId) {
        return CollectorConfig.from(new CommandLineFlags(kubeconfig, configDir, false, dryRun, clusterId, null), env);
    }

    private void key(String name, String value) throws Exception {
        Files.writeString(configDir.resolve(name), value);
    }

    @Test
    void aDryRunNeedsNeitherEndpointNorKeysAndTakesEveryDefault() {
        CollectorConfig config = load(true, "prod");

        assertThat(config.clusterId()).isEqualTo("prod");
        assertThat(config.shipping().endpoint()).isNull();
        assertThat(config.shipping().credentials()).isNull();
        assertThat(config.redaction().randomKey()).isFalse();
        assertThat(dir.resolve(".config/k8s-collector/redaction.key")).isRegularFile();
        assertThat(config.kube().kubeconfig()).isEqualTo(kubeconfig);
        assertThat(config.limits()).isEqualTo(new CollectorConfig.Limits(500, 2, 50, 1500));
        assertThat(config.selection().resources()).contains("pods", "deployments.apps", "storageclasses.storage.k8s.io")
                .hasSize(35);
        assertThat(config.selection().watchNamespace()).isNull();
        assertThat(config.selection().ignoreNamespaces()).isEmpty();
        assertThat(config.shipping().overrideUniqueClusterId()).isFalse();
    }

    @Test
    void readsEveryCoreKeyWhateverItsCase() throws Exception {
        key("endpoint", "https://ingest.example.com/api\n");
        key("loginEndpoint", "https://login.example.com");
        key("collector.WATCHNAMESPACE", "shop");
        key("collector.ignoreNamespaces", "kube-public\nscratch\n");
        key("collector.resources", "pods\ndeployments.apps\n");
        key("collector.resources.Secrets", "true");
        key("collector.resources.configmaps", "FALSE");
        key("collector.overrideUniqueClusterId", "true");
        key("collector.listPageSize", "100");
        key("collector.listConcurrency", "4");
        key("collector.apiQps", "20");
        key("collector.excludeResources", "*.example.com\nevents");
        key("collector.labelSelector", "app=web");
        key("collector.maxItemSizeKb", "64");
        key("..data", "the mount's own");
        env.put("INFRALIGHT_ACCESS_KEY", "access");
        env.put("INFRALIGHT_SECRET_KEY", "secret");

        CollectorConfig config = load(false, "prod");

        ShippingSettings shipping = config.shipping();
        assertThat(shipping.endpoint()).isEqualTo(URI.create("https://ingest.example.com/api"));
        assertThat(shipping.loginEndpoint()).isEqualTo(URI.create("https://login.example.com"));
        assertThat(shipping.credentials().accessKey()).isEqualTo("access");
        assertThat(config.toString()).doesNotContain("secret=secret").doesNotContain("access,");
        assertThat(config.redaction().randomKey()).isFalse();
        CollectorConfig.Selection selection = config.selection();
        assertThat(selection.watchNamespace()).isEqualTo("shop");
        assertThat(selection.ignoreNamespaces()).containsExactlyInAnyOrder("kube-public", "scratch");
        assertThat(selection.resources()).containsExactly("pods", "deployments.apps");
        assertThat(selection.toggles()).containsOnly(Map.entry("secrets", true), Map.entry("configmaps", false));
        assertThat(selection.excludes()).containsExactly("*.example.com", "events");
        assertThat(selection.labelSelector()).isEqualTo("app=web");
        assertThat(config.limits()).isEqualTo(new CollectorConfig.Limits(100, 4, 20, 64));
        assertThat(config.shipping().overrideUniqueClusterId()).isTrue();
    }

    @Test
    void theLoginEndpointDefaultsToTheEndpoint() throws Exception {
        key("endpoint", "http://127.0.0.1:8080");
        env.put("INFRALIGHT_ACCESS_KEY", "a");
        env.put("INFRALIGHT_SECRET_KEY", "s");

        assertThat(load(false, "prod").shipping().loginEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    }

    @Test
    void theArgumentWinsOverClusterIdInTheEnvironment() {
        env.put("CLUSTER_ID", "from-env");

        assertThat(load(true, "from-arg").clusterId()).isEqualTo("from-arg");
        assertThat(load(true, null).clusterId()).isEqualTo("from-env");
    }

    @Test
    void refusesAnInvalidClusterIdNamingTheRule() {
        assertThatThrownBy(() -> load(true, "My Cluster"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cluster id: 'My Cluster' is not valid; allowed: 1 to 63 characters of lowercase letters, digits, '-' and '_'.");
    }

    @Test
    void refusesAMissingClusterId() {
        assertThatThrownBy(() -> load(true, null)).isInstanceOf(ConfigException.class).hasMessageContaining("CLUSTER_ID");
    }

    @Test
    void withoutDryRunTheEndpointIsRequired() {
        assertThatThrownBy(() -> load(false, "prod"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("endpoint is not set; allowed: an http or https URL")
                .hasMessageContaining("-dry-run");
    }

    @Test
    void withoutDryRunTheKeysAreRequiredAndNeverEchoed() throws Exception {
        key("endpoint", "https://ingest.example.com");
        env.put("INFRALIGHT_ACCESS_KEY", "visible-access");

        assertThatThrownBy(() -> load(false, "prod"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("INFRALIGHT_SECRET_KEY is not set")
                .hasMessageNotContaining("visible-access");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "collector.listPageSize|many|collector.listPageSize: 'many' is not valid; allowed: a whole number from 1 to 10000.",
        "collector.listConcurrency|0|collector.listConcurrency: '0' is not valid; allowed: a whole number from 1 to 64.",
        "collector.apiQps|1.5|collector.apiQps: '1.5' is not valid; allowed: a whole number from 1 to 10000.",
        "collector.maxItemSizeKb|-1|collector.maxItemSizeKb: '-1' is not valid; allowed: a whole number from 1 to 1048576.",
        "collector.overrideUniqueClusterId|yes|collector.overrideUniqueClusterId: 'yes' is not valid; allowed: true or false.",
        "collector.resources.pods|on|collector.resources.pods: 'on' is not valid; allowed: true or false.",
        "collector.watchNamespace|Shop_1|collector.watchNamespace: 'Shop_1' is not valid; allowed: one namespace name.",
        "collector.ignoreNamespaces|ok\\nnot ok|collector.ignoreNamespaces: 'not ok' is not valid; allowed: namespace names, one per line.",
        "collector.excludeResources|pods?|collector.excludeResources: 'pods?' is not valid; allowed: resource.group or resource patterns of letters, digits, '-', '.' and '*'.",
        "collector.resources|pods/status|collector.resources: 'pods/status' is not valid; allowed: resource or resource.group names.",
        "endpoint|ftp://x|endpoint: 'ftp://x' is not valid; allowed: an http or https URL without user info or query, such as https://ingest.example.com."
    })
    void refusesABadValueNamingKeyValueAndWhatIsAllowed(String name, String value, String message) throws Exception {
        key(name, value.replace("\\n", "\n"));

        assertThatThrownBy(() -> load(true, "prod")).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aMissingConfigDirectoryMeansDefaults() {
        CollectorConfig config =
                CollectorConfig.from(new CommandLineFlags(kubeconfig, dir.resolve("absent"), false, true, "prod", null), env);

        assertThat(config.limits().listPageSize()).isEqualTo(500);
    }

    @Test
    void refusesAMissingKubeconfig() {
        CommandLineFlags flags = new CommandLineFlags(dir.resolve("nope"), configDir, false, true, "prod", null);

        assertThatThrownBy(() -> CollectorConfig.from(flags, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("-external: '" + dir.resolve("nope") + "' is not valid");
    }

    @Test
    void findsTheKubeconfigInKubeconfigThenHomeAndUsesTheServiceAccountInAPod() throws Exception {
        CommandLineFlags noExternal = new CommandLineFlags(null, configDir, false, true, "prod", null);
        assertThatThrownBy(() -> CollectorConfig.from(noExternal, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("No Kubernetes configuration");

        Path home = Files.createDirectories(dir.resolve(".kube")).resolve("config");
        Files.writeString(home, "apiVersion: v1\n");
        assertThat(CollectorConfig.from(noExternal, env).kube().kubeconfig()).isEqualTo(home);

        env.put("KUBECONFIG", dir.resolve("missing") + java.io.File.pathSeparator + kubeconfig);
        assertThat(CollectorConfig.from(noExternal, env).kube().kubeconfig()).isEqualTo(kubeconfig);

        env.put("KUBERNETES_SERVICE_HOST", "10.0.0.1");
        assertThat(CollectorConfig.from(noExternal, env).kube().inClusterAccount()).isTrue();
    }

    @Test
    void inAClusterWithoutARedactionKeyOnlyADryRunGoesOnWithARandomKey() throws Exception {
        key("endpoint", "https://ingest.example.com");
        env.putAll(Map.of("INFRALIGHT_ACCESS_KEY", "a", "INFRALIGHT_SECRET_KEY", "s", "KUBERNETES_SERVICE_HOST", "10.0.0.1"));
        CommandLineFlags inCluster = new CommandLineFlags(null, configDir, false, false, "prod", null);

        assertThatThrownBy(() -> CollectorConfig.from(inCluster, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDACTION_KEY")
                .hasMessageContaining("collector.redactionKey");
        assertThat(CollectorConfig.from(new CommandLineFlags(null, configDir, false, true, "prod", null), env).redaction().randomKey())
                .isTrue();
        assertThat(dir.resolve(".config")).doesNotExist();

        env.put("REDACTION_KEY", "a-key-from-the-chart-secret");
        assertThat(CollectorConfig.from(inCluster, env).redaction().randomKey()).isFalse();
    }
}
