package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.cli.Main;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code k8s-collector check} end to end, through the command line, against the test cluster and
 * an ingest endpoint that counts requests: its lines and exit code under forbidden types, a broken
 * group, a down endpoint, bad keys, bad configuration and refused access reviews; that it lists
 * nothing where reviews are answered and starts no fetching; and that a real run then does what it
 * said.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CheckCommandTest {

    private static final Pattern LINE = Pattern.compile("(ok|warn|fail) {2,4}([^:]+): (.*)");
    private static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static TestCluster cluster;
    private static IngestEndpoint endpoint;
    private static Path kubeconfig;
    private Path config;
    private final Map<String, String> env = new HashMap<>(Map.of(
            "INFRALIGHT_ACCESS_KEY", IngestEndpoint.ACCESS_KEY, "INFRALIGHT_SECRET_KEY", IngestEndpoint.SECRET_KEY));

    /** What one command printed, and its exit code. */
    private record Outcome(int code, String out, String err) {

        /** The check lines by what they checked, in order. */
        Map<String, Matcher> lines() {
            Map<String, Matcher> lines = new java.util.LinkedHashMap<>();
            String text = out.contains("summary:") ? out : err;
            for (String line : text.split("\n")) {
                Matcher matcher = LINE.matcher(line);
                if (matcher.matches()) {
                    lines.put(matcher.group(2), matcher);
                }
            }
            return lines;
        }

        String level(String what) {
            Matcher line = lines().get(what);
            return line == null ? null : line.group(1);
        }

        String detail(String what) {
            return lines().get(what).group(3);
        }

        List<String> levels() {
            return lines().values().stream().map(line -> line.group(1)).toList();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(ClusterSpec.builder().pods(40).seed(3).build());
        endpoint = new IngestEndpoint();
        kubeconfig = cluster.writeKubeconfig(shared.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        cluster.close();
    }

    @BeforeEach
    void configure() throws Exception {
        config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("endpoint"), endpoint.uri().toString());
    }

    @AfterEach
    void clearFaults() {
        cluster.faults().clear();
    }

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Outcome check(String... flags) {
        List<String> args = new ArrayList<>(List.of("check", "-external", kubeconfig.toString(), "-config", config.toString()));
        args.addAll(List.of(flags));
        args.add("checked");
        return run(args.toArray(String[]::new));
    }

    private Outcome collect() {
        return run("-external", kubeconfig.toString(), "-config", config.toString(), "checked");
    }

    @Test
    void aHealthyClusterIsAllOkListsNothingAndStartsNoFetching() {
        Map<String, Long> before = cluster.requests();
        int logins = endpoint.requests("login");
        int starts = endpoint.requests("start");
        Outcome check = check();
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(check.levels()).isNotEmpty().containsOnly("ok");
        assertThat(check.level("API server")).isEqualTo("ok");
        assertThat(check.detail("API server")).contains("v1.35.0");
        assertThat(check.level("list pods")).isEqualTo("ok");
        assertThat(check.level("list deployments.apps")).isEqualTo("ok");
        assertThat(check.level("Helm release storage in secrets")).isEqualTo("ok");
        assertThat(check.level("redaction key")).isEqualTo("ok");
        assertThat(check.level("endpoint")).isEqualTo("ok");
        assertThat(check.out()).contains("summary: a run would commit everything selected");
        assertThat(endpoint.requests("login")).isEqualTo(logins + 1);
        assertThat(endpoint.requests("start")).isEqualTo(starts);
        Set<String> asked = changed(before, cluster.requests());
        assertThat(asked).contains(REVIEWS, "/version", "/api/v1/namespaces/kube-system");
        assertThat(asked).allMatch(path -> path.equals("/version") || path.equals(REVIEWS)
                        || path.equals("/api/v1/namespaces/kube-system") || path.matches("/apis?(/[^/]+){0,2}"),
                "discovery, the version, kube-system's uid and access reviews only");
    }

    @Test
    void aForbiddenTypeWarnsWithItsRuleExitsZeroAndOneWhenStrictAsTheRunSkipsIt() {
        cluster.faults().forbid("apps", "deployments");
        Outcome check = check();
        assertThat(check.code()).as(check.out()).isZero();
        assertThat(check.level("list deployments.apps")).isEqualTo("warn");
        assertThat(check.detail("list deployments.apps")).contains("a run skips this type")
                .contains("apiGroups: [\"apps\"], resources: [\"deployments\"], verbs: [\"list\",\"watch\"]");
        assertThat(check.levels()).doesNotContain("fail");
        assertThat(check.out()).contains("summary: a run would commit, leaving out what the warn lines say");
        assertThat(check("--strict").code()).isEqualTo(1);

        Outcome run = collect();
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).containsPattern("type forbidden: .*deployments");
    }

    @Test
    void anUnreadableKubeSystemNamespaceFailsTheCheckAsItFailsTheRun() {
        cluster.faults().forbid("", "namespaces");
        Outcome check = check();
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.level("cluster unique id")).isEqualTo("fail");
        assertThat(check.detail("cluster unique id")).contains("kube-system")
                .contains("resourceNames: [\"kube-system\"], verbs: [\"get\"]");
        assertThat(check.level("list namespaces")).isEqualTo("warn");
        int starts = endpoint.requests("start");

        Outcome run = collect();
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("kube-system");
        assertThat(endpoint.requests("start")).isEqualTo(starts);
    }

    @Test
    void aBrokenGroupWarnsThatItsTypesAreSkipped() {
        cluster.faults().failDiscovery("metrics.k8s.io", "v1beta1", 503);
        Outcome check = check();
        assertThat(check.code()).as(check.out()).isZero();
        assertThat(check.level("discovery of metrics.k8s.io/v1beta1")).isEqualTo("warn");
        assertThat(check.detail("discovery of metrics.k8s.io/v1beta1")).contains("503").contains("APIService");
        assertThat(check.level("discovery")).isEqualTo("ok");
    }

    @Test
    void anEndpointThatIsDownFailsTheCheckAsItFailsTheRun() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Files.writeString(config.resolve("endpoint"), "http://127.0.0.1:" + port);
        Files.writeString(config.resolve("collector.retry.maxAttempts"), "1");
        Outcome check = check();
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.level("endpoint")).isEqualTo("fail");
        assertThat(check.detail("endpoint")).contains("127.0.0.1:" + port).contains("unreachable");
        assertThat(check.level("list pods")).isEqualTo("ok");
        assertThat(check.out()).contains("summary: a run would fail");

        Outcome run = collect();
        assertThat(run.code()).isEqualTo(1);
    }

    @Test
    void anUnreachableApiServerFailsTheCheckAsItFailsTheRun() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Path elsewhere = Files.writeString(dir.resolve("unreachable.kubeconfig"),
                Files.readString(kubeconfig).replace(cluster.url().toString(), "https://127.0.0.1:" + port));
        Outcome check = run("check", "-external", elsewhere.toString(), "-config", config.toString(), "-dry-run", "checked");
        assertThat(check.code()).as(check.out()).isEqualTo(1);
        assertThat(check.level("API server")).isEqualTo("fail");
        assertThat(check.detail("API server")).contains("127.0.0.1:" + port).contains("cannot be reached");
        assertThat(check.out()).contains("summary: a run would fail");

        Outcome run = run("-external", elsewhere.toString(), "-config", config.toString(), "-dry-run", "checked");
        assertThat(run.code()).isEqualTo(1);
    }

    @Test
    void refusedKeysFailTheCheck() {
        env.put("INFRALIGHT_SECRET_KEY", "not-the-secret-key-0");
        Outcome check = check();
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.level("endpoint")).isEqualTo("fail");
        assertThat(check.detail("endpoint")).contains("401").doesNotContain("not-the-secret-key-0");
        assertThat(check.out() + check.err()).doesNotContain("not-the-secret-key-0");
    }

    @Test
    void badConfigurationExitsTwoBeforeAnythingIsContacted() throws Exception {
        Map<String, Long> before = cluster.requests();
        env.clear();
        Outcome noKeys = check();
        assertThat(noKeys.code()).isEqualTo(2);
        assertThat(noKeys.err()).contains("k8s-collector: ");
        env.putAll(Map.of("INFRALIGHT_ACCESS_KEY", IngestEndpoint.ACCESS_KEY, "INFRALIGHT_SECRET_KEY", IngestEndpoint.SECRET_KEY));
        Files.writeString(config.resolve("collector.watchNamespace"), "Not_A_Namespace");
        Outcome badKey = check();
        assertThat(badKey.code()).isEqualTo(2);
        assertThat(badKey.err()).contains("collector.watchNamespace").contains("Not_A_Namespace");
        Outcome noClusterId = run("check", "-external", kubeconfig.toString(), "-config", config.toString());
        assertThat(noClusterId.code()).isEqualTo(2);
        assertThat(noClusterId.err()).contains("CLUSTER_ID");
        assertThat(changed(before, cluster.requests())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404, 405})
    void whereReviewsAreRefusedEachTypeIsCheckedWithAListOfOne(int refusal) {
        cluster.faults().refuseAccessReviews(refusal);
        cluster.faults().forbid("apps", "deployments");
        Map<String, Long> before = cluster.requests();
        Outcome check = check("-dry-run");
        assertThat(check.code()).as(check.out()).isZero();
        assertThat(check.level("access reviews")).isEqualTo("ok");
        assertThat(check.detail("access reviews")).contains("HTTP " + refusal).contains("listing one object");
        assertThat(check.level("list deployments.apps")).isEqualTo("warn");
        assertThat(check.detail("list deployments.apps")).contains("403");
        assertThat(check.level("list pods")).isEqualTo("ok");
        assertThat(check.level("endpoint")).isEqualTo("ok");
        assertThat(changed(before, cluster.requests())).contains("/api/v1/pods", "/apis/apps/v1/deployments");
    }

    @Test
    void namespaceKeysAreWarnedInTheCheckAndInEveryRun() throws Exception {
        Files.writeString(config.resolve("collector.watchNamespace"), "default");
        Files.writeString(config.resolve("collector.ignoreNamespaces"), "kube-system\n");
        Outcome check = check("-dry-run");
        assertThat(check.code()).isZero();
        assertThat(check.out()).contains("warn  namespaces: collector.watchNamespace is \"default\": only the namespace default is collected")
                .contains("warn  namespaces: collector.ignoreNamespaces leaves out the objects of the namespace(s) kube-system");
        assertThat(check("-dry-run", "--strict").code()).isEqualTo(1);

        // The log goes to the process's stderr (logback's console appender writes to System.err as it is now).
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream processErr = System.err;
        Outcome run;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            run = run("-external", kubeconfig.toString(), "-config", config.toString(), "-dry-run", "checked");
        } finally {
            System.setErr(processErr);
        }
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("Note: collector.watchNamespace is \"default\": only the namespace default is collected")
                .contains("Note: collector.ignoreNamespaces leaves out the objects of the namespace(s) kube-system");
        assertThat(log.toString(StandardCharsets.UTF_8))
                .containsPattern("\"level\":\"WARN\".*only the namespace default is collected")
                .containsPattern("\"level\":\"WARN\".*collector.ignoreNamespaces leaves out the objects of the namespace\\(s\\) kube-system");
    }

    @Test
    void rbacPrintsTheLeastPrivilegeClusterRoleAloneOnStdout() throws Exception {
        Files.writeString(config.resolve("collector.excludeResources"), "widgets.*\n");
        Outcome check = check("--rbac", "-dry-run");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.err()).contains("summary: a run would commit");
        JsonNode role = new YAMLMapper().readTree(check.out());
        assertThat(role.path("kind").asString()).isEqualTo("ClusterRole");
        assertThat(role.path("apiVersion").asString()).isEqualTo("rbac.authorization.k8s.io/v1");
        Set<String> listed = new HashSet<>();
        Set<String> helm = new HashSet<>();
        List<JsonNode> rules = new ArrayList<>();
        role.path("rules").forEach(rules::add);
        assertThat(rules).isNotEmpty();
        for (JsonNode rule : rules) {
            assertThat(rule.path("apiGroups")).hasSize(1);
            String group = rule.path("apiGroups").get(0).asString();
            List<String> verbs = strings(rule.path("verbs"));
            List<String> resources = strings(rule.path("resources"));
            assertThat(resources).noneMatch(resource -> resource.contains("/") || resource.equals("*"));
            if (verbs.contains("get")) {
                assertThat(rule.path("apiGroups").get(0).asString()).isEmpty();
                assertThat(resources).containsExactly("namespaces");
                assertThat(strings(rule.path("resourceNames"))).containsExactly("kube-system");
                assertThat(verbs).containsExactly("get");
            } else {
                assertThat(verbs).containsExactly("list", "watch");
                assertThat(rule.has("resourceNames")).isFalse();
                Set<String> into = group.isEmpty() && resources.contains("secrets") ? helm : listed;
                resources.forEach(resource -> into.add(group.isEmpty() ? resource : resource + "." + group));
            }
        }
        assertThat(helm).containsExactlyInAnyOrder("configmaps", "secrets");
        Set<String> checked = new HashSet<>();
        check.lines().keySet().stream().filter(what -> what.startsWith("list "))
                .forEach(what -> checked.add(what.substring("list ".length())));
        assertThat(listed).isEqualTo(checked).contains("pods", "deployments.apps").doesNotContain("secrets");
        assertThat(listed).noneMatch(type -> type.startsWith("widgets."));
    }

    @Test
    void helpListsTheCheckOptionsAndTheRunFlags() {
        Outcome help = run("check", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--strict", "--rbac", "-external", "-config", "-dry-run", "CLUSTER_ID");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static Set<String> changed(Map<String, Long> before, Map<String, Long> after) {
        Set<String> paths = new HashSet<>();
        after.forEach((path, count) -> {
            if (count > before.getOrDefault(path, 0L)) {
                paths.add(path);
            }
        });
        return paths;
    }
}
