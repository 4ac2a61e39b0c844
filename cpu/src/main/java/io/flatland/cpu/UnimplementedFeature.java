package io.flatland.cpu;

/**
 * The guest used something Flatland knowingly does not implement (the message names it).
 * The run ends with {@link ExitReason#UNIMPLEMENTED} (exit status 5). Any other exception
 * escaping an engine is a bug and ends the run with {@link ExitReason#INTERNAL_ERROR}: a
 * JDK {@link UnsupportedOperationException} (an immutable list written to, say) is one of those.
 */
public final class UnimplementedFeature extends RuntimeException {
    public UnimplementedFeature(String what) {
        super(what, null, false, false);   // no stack trace: it is the guest's doing, not a bug
    }
}
