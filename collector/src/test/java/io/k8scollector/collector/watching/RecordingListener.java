package io.k8scollector.collector.watching;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Skipped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Keeps what a watch said, and waits (with a timeout) for what a test expects. */
final class RecordingListener implements WatchListener {

    /** A restart the watch announced. */
    record Restart(int failures, Duration delay, String why) {}

    final List<WatchEvent> changes = new CopyOnWriteArrayList<>();
    final List<String> progress = new CopyOnWriteArrayList<>();
    final List<Restart> restarts = new CopyOnWriteArrayList<>();
    final List<Skipped> refusedObjects = new CopyOnWriteArrayList<>();
    final List<String> ends = new CopyOnWriteArrayList<>();
    private volatile boolean overlapping;
    private volatile boolean inCall;

    private void enter() {
        if (inCall) {
            overlapping = true;
        }
        inCall = true;
    }

    private void leave() {
        inCall = false;
    }

    @Override
    public void changed(WatchEvent event) {
        enter();
        changes.add(event);
        leave();
    }

    @Override
    public void progressed(ResourceType type, String resourceVersion) {
        enter();
        progress.add(resourceVersion);
        leave();
    }

    @Override
    public void expired(ResourceType type) {
        ends.add("expired");
    }

    @Override
    public void refused(ResourceType type, Skipped.Reason reason, String message) {
        ends.add(reason.wire() + ": " + message);
    }

    @Override
    public void restarting(ResourceType type, int failures, Duration delay, String why) {
        restarts.add(new Restart(failures, delay, why));
    }

    @Override
    public void refusedObject(ResourceType type, Skipped skipped) {
        refusedObjects.add(skipped);
    }

    boolean overlapped() {
        return overlapping;
    }

    /** The changes of objects named {@code name}, once there are {@code count} of them. */
    List<WatchEvent> awaitChanges(Predicate<WatchEvent> which, int count) throws InterruptedException {
        awaitTrue(() -> changes.stream().filter(which).count() >= count, "changes");
        return changes.stream().filter(which).toList();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        for (WatchEvent event : changes) {
            names.add(event.change() + " " + event.head().name());
        }
        return names;
    }
}
