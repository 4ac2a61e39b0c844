package io.flatland.machine.loader;

/** A kernel or module that cannot be booted; the message is one line for the user. */
public final class BadImageException extends Exception {
    public BadImageException(String message) {
        super(message);
    }
}
