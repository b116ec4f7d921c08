package io.k8scollector.collector.retry;

import java.time.Duration;

/** How the retrier waits between attempts; tests give one that moves a fake clock instead. */
@FunctionalInterface
public interface Sleeper {

    /** Waits the real time. */
    Sleeper SYSTEM = wait -> Thread.sleep(wait.toMillis());

    /** Waits {@code wait}, or less when interrupted. */
    void sleep(Duration wait) throws InterruptedException;
}
