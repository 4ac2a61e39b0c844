/*
 * Ends the process at once with a status. The JVM's own exit waits for its compiler threads
 * to finish the compilations they are in (tens of milliseconds on a two-core machine right
 * after a short guest run); Flatland has flushed and closed everything it owns before it
 * calls this, so nothing is left for the JVM's exit to do.
 */
#include <jni.h>
#include <unistd.h>

JNIEXPORT void JNICALL Java_io_flatland_machine_cli_ProcessExit_exit0(JNIEnv *env, jclass cls, jint status)
{
	(void)env;
	(void)cls;
	_exit((int)status);
}
