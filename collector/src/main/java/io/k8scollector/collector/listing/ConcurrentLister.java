package io.k8scollector.collector.listing;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.discovery.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Lists many types, {@code collector.listConcurrency} at a time, each page by page. Every log
 * line of a type's listing carries the run's MDC plus {@code type}. A type that cannot be listed
 * is skipped (see {@link TypeLister}); an exception thrown by the consumer fails the whole listing.
 */
public final class ConcurrentLister {

    private final TypeLister lister;
    private final int concurrency;

    public ConcurrentLister(TypeLister lister, int concurrency) {
        this.lister = lister;
        this.concurrency = concurrency;
    }

    /**
     * Lists {@code types}, reading and handing on the items of each as {@code readings} says for
     * it (asked once per type), possibly on several threads at once.
     *
     * @return one outcome per type, in the order of {@code types}
     */
    public List<ListingOutcome> listAll(List<ResourceType> types, Function<ResourceType, TypeReading> readings) {
        return listAll(types, readings, listing -> {});
    }

    /**
     * Lists {@code types} as {@link #listAll(List, Function)} does, telling {@code listed} of each
     * type's outcome as soon as that type's listing ended, on the thread that listed it.
     */
    public List<ListingOutcome> listAll(List<ResourceType> types, Function<ResourceType, TypeReading> readings,
            Consumer<ListingOutcome> listed) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "lister");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<ListingOutcome>> futures = new ArrayList<>();
            for (ResourceType type : types) {
                futures.add(pool.submit(() -> {
                    if (context != null) {
                        MDC.setContextMap(context);
                    }
                    MDC.put("type", type.qualifiedName());
                    try {
                        TypeReading reading = readings.apply(type);
                        ListingOutcome outcome = lister.list(type, reading.reader(), reading.consumer());
                        listed.accept(outcome);
                        return outcome;
                    } finally {
                        MDC.clear();
                    }
                }));
            }
            List<ListingOutcome> listings = new ArrayList<>();
            for (Future<ListingOutcome> future : futures) {
                listings.add(outcome(future));
            }
            return listings;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ListingOutcome outcome(Future<ListingOutcome> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CollectorException collector) {
                throw collector;
            }
            throw new CollectorException("ConcurrentLister failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectorException("Interrupted while listing.", e);
        }
    }
}
