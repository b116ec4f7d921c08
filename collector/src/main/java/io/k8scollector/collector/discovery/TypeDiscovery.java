package io.k8scollector.collector.discovery;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.retry.RetriesExhausted;
import io.k8scollector.collector.retry.Verdict;
import io.k8scollector.protocol.Skipped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Finds every resource type the API server serves, as kubectl's preferred-resources discovery
 * does: for each resource, the group's preferred version if it serves the resource, else the
 * newest other version that does. Subresources ({@code pods/status}) are not types. A group whose
 * discovery fails (a dead aggregated API such as {@code metrics.k8s.io} answering 503) is logged
 * once and skipped as a whole; the rest goes on. Only the core group and the group list are
 * essential: their failure fails the run. Groups are discovered a few at a time, as kubectl does.
 * Every request waits its turn under the run's {@link RequestRate} and is retried by the run's
 * {@link Retrier}, except that a group version answering {@code 503} is taken at its word at once:
 * that is how the aggregator says an APIService's backend is down, and waiting for it would hold
 * every run up by the whole retry budget.
 */
public final class TypeDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(TypeDiscovery.class);
    private static final int GROUPS_AT_ONCE = 4;

    private final ApiServer server;
    private final TypeSelection selection;
    private final RequestRate rate;
    private final Retrier retrier;

    /**
     * Discovery of {@code server}'s types.
     *
     * @param rate the run's one request rate, shared with every other request to the API server
     * @param retrier the run's retrier for requests to the API server
     */
    public TypeDiscovery(ApiServer server, TypeSelection selection, RequestRate rate, Retrier retrier) {
        this.server = server;
        this.selection = selection;
        this.rate = rate;
        this.retrier = retrier;
    }

    /**
     * Discovers and selects.
     *
     * @throws CollectorException when the core group or the list of groups cannot be read
     */
    public Catalog discover() {
        KubernetesClient client = server.client();
        List<ResourceType> served = new ArrayList<>(types("", "v1", essential("/api/v1", () -> client.getApiResources("v1"))));
        List<Skipped> skippedGroups = new ArrayList<>();
        APIGroupList groups = essential("/apis", client::getApiGroups);
        List<CompletableFuture<GroupDiscovery>> pending = new ArrayList<>();
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        ExecutorService pool = Executors.newFixedThreadPool(GROUPS_AT_ONCE);
        try {
            for (APIGroup group : groups.getGroups()) {
                pending.add(CompletableFuture.supplyAsync(() -> {
                    MDC.setContextMap(logContext == null ? Map.of() : logContext);
                    try {
                        return group(client, group);
                    } finally {
                        MDC.clear();
                    }
                }, pool));
            }
            for (CompletableFuture<GroupDiscovery> discovery : pending) {
                GroupDiscovery found = discovery.join();
                served.addAll(found.types());
                found.skipped().ifPresent(skippedGroups::add);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<ResourceType> chosen = selection.select(served);
        List<ResourceType> selected = served.stream().filter(chosen::contains).toList();
        LOG.info("Discovered {} types, {} selected for listing; {} groups skipped.",
                served.size(), selected.size(), skippedGroups.size());
        return new Catalog(served, selected, skippedGroups);
    }

    /** One group's types, at the version each is listed by; or why the group is skipped. */
    private record GroupDiscovery(List<ResourceType> types, Optional<Skipped> skipped) {}

    private GroupDiscovery group(KubernetesClient client, APIGroup group) {
        String preferred = group.getPreferredVersion() == null ? null : group.getPreferredVersion().getVersion();
        List<String> versions = new ArrayList<>(group.getVersions().stream().map(GroupVersionForDiscovery::getVersion).toList());
        versions.sort(KubeVersions.NEWEST_FIRST);
        if (preferred != null && versions.remove(preferred)) {
            versions.add(0, preferred);
        }
        Map<String, ResourceType> byResource = new LinkedHashMap<>();
        for (String version : versions) {
            String path = "/apis/" + group.getName() + "/" + version;
            Call<APIResourceList> call = call(path, () -> client.getApiResources(group.getName() + "/" + version), true);
            if (call.answer() != null) {
                types(group.getName(), version, call.answer()).forEach(type -> byResource.putIfAbsent(type.resource(), type));
            } else {
                String failure = call.failure();
                LOG.warn("Discovery of API group {} failed at {}: {}; its types are skipped.", group.getName(), version, failure);
                return new GroupDiscovery(List.of(), Optional.of(Skipped.group(group.getName(), version,
                        Skipped.Reason.DISCOVERY_FAILED, "Discovery of " + group.getName() + "/" + version + " failed: " + failure + ".")));
            }
        }
        return new GroupDiscovery(List.copyOf(byResource.values()), Optional.empty());
    }

    private static List<ResourceType> types(String group, String version, APIResourceList list) {
        List<ResourceType> types = new ArrayList<>();
        for (APIResource resource : list.getResources()) {
            if (resource.getName().contains("/")) {
                continue;
            }
            types.add(new ResourceType(group, version, resource.getKind(), resource.getName(),
                    Boolean.TRUE.equals(resource.getNamespaced()), resource.getVerbs()));
        }
        return types;
    }

    private <T> T essential(String path, Supplier<T> request) {
        Call<T> call = call(path, request, false);
        if (call.answer() == null) {
            throw new CollectorException("Discovery failed at " + server.base() + path + ": " + call.failure() + ".",
                    call.exception());
        }
        return call.answer();
    }

    /** What one discovery request got: the answer, else why not (and the exception, if any). */
    private record Call<T>(T answer, String failure, KubernetesClientException exception) {}

    /**
     * Sends a discovery request under the run's rate, retried by the run's retrier; fabric8
     * answers null for a 404. With {@code unavailableIsFinal}, a 503 is not retried.
     */
    private <T> Call<T> call(String path, Supplier<T> request, boolean unavailableIsFinal) {
        try {
            return retrier.request().until(deadline -> {
                rate.acquire();
                try {
                    T answer = request.get();
                    return answer == null
                            ? new Retrier.Answered<>(new Call<T>(null, "HTTP 404", null), Verdict.of(404, Optional.empty(), now()))
                            : new Retrier.Answered<>(new Call<>(answer, null, null), Verdict.of(200, Optional.empty(), now()));
                } catch (KubernetesClientException e) {
                    Verdict verdict = e.getCode() > 0 ? Verdict.of(e.getCode(), retryAfter(e), now()) : Verdict.ioError();
                    if (unavailableIsFinal && verdict.status() == 503) {
                        verdict = verdict.asFailure();
                    }
                    return new Retrier.Answered<>(new Call<T>(null, ApiServer.reason(e), e), verdict);
                }
            }, (verdict, retry, retries, wait) -> LOG.info("Retrying discovery at {} in {} ms: {} (retry {} of {}).",
                    path, wait.toMillis(), verdict.describe(), retry, retries)).answer();
        } catch (RetriesExhausted e) {
            return new Call<>(null, (e.last().status() > 0 ? "HTTP " + e.last().status() : e.last().describe())
                    + " after " + e.attempts() + " attempts", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectorException("Interrupted during discovery at " + server.base() + path + ".", e);
        }
    }

    private Instant now() {
        return retrier.clock().instant();
    }

    /** The wait a 429's Status asks for ({@code details.retryAfterSeconds}), as a {@code Retry-After} value. */
    private static Optional<String> retryAfter(KubernetesClientException e) {
        return Optional.ofNullable(e.getStatus()).map(Status::getDetails).map(StatusDetails::getRetryAfterSeconds)
                .map(String::valueOf);
    }
}
