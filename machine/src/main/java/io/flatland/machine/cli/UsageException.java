package io.flatland.machine.cli;

/** A bad command line; the message is one line for the user. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
