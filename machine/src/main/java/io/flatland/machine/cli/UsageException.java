package io.flatland.machine.cli;

/**
 * A bad command line; the message is one line for the user. It is built from the arguments
 * as byte strings ({@link ByteStrings}) and shown decoded in the locale's charset.
 */
final class UsageException extends Exception {
    UsageException(String byteStringMessage) {
        super(ByteStrings.display(byteStringMessage));
    }
}
