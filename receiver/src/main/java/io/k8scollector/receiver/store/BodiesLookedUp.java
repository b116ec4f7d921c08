package io.k8scollector.receiver.store;

/**
 * The moment inside a page write at which it has decided which of its bodies are stored already
 * (and will reuse them) and has not yet pointed its records at them: the window in which a
 * concurrent deletion of those bodies would leave the records pointing at nothing. It exists
 * for {@code BodiesRaceTest}, which holds a page write here while retention or the idle sweep
 * runs, to prove that the bodies' lock (see {@link Dialect#bodiesExclusive()}) closes the window;
 * the receiver itself passes {@link #NONE}.
 */
@FunctionalInterface
interface BodiesLookedUp {

    /** Nothing happens there: the receiver's own page writes. */
    BodiesLookedUp NONE = () -> {};

    /** Called once per page write (per attempt), in its transaction, holding its locks. */
    void reached();
}
