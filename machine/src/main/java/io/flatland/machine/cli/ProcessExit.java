package io.flatland.machine.cli;

/**
 * Ends the process with a status as soon as Flatland is done. The JVM's System.exit waits for
 * compilations in progress (it checks every 10 ms), which right after a short guest run on two
 * cores is 10 to 30 ms after the guest asked to exit. The launcher passes the path of a tiny
 * JNI library (-Dflatland.nativeExit, built from src/main/native) whose exit ends the process
 * at once; without it, or if it does not load, this is System.exit. Everything Flatland
 * writes must be flushed and closed before: nothing runs after (no shutdown hooks).
 */
final class ProcessExit {
    private ProcessExit() { }

    static void exit(int status) {
        String lib = System.getProperty("flatland.nativeExit");
        if (lib != null && !lib.isEmpty()) {
            try {
                System.load(lib);
                System.err.flush();
                exit0(status);
            } catch (UnsatisfiedLinkError | SecurityException e) {
                // not usable here: the JVM's own exit
            }
        }
        System.exit(status);
    }

    private static native void exit0(int status);
}
