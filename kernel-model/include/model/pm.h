/* PM requests. */
#ifndef MODEL_PM_H
#define MODEL_PM_H
#include <model/com.h>

#define PM_FORK (PM_BASE + 0)     /* -> i[0] = 0 in child, child pid in parent */
#define PM_EXIT (PM_BASE + 1)     /* i[0] = status */
#define PM_WAITPID (PM_BASE + 2)  /* i[0] = pid or -1, i[1] = options -> i[0]=pid, i[1]=status */
#define PM_GETPID (PM_BASE + 3)
#define PM_KILL (PM_BASE + 4)     /* i[0] = pid, i[1] = sig */
#define PM_WRITE (PM_BASE + 5)    /* i[0] = buf, i[1] = len */
#define PM_SHUTDOWN (PM_BASE + 6) /* i[0] = 0 success, 1 failure; c[8..] = reason */
#define PM_GETINFO (PM_BASE + 7)  /* i[0] = GET_PARAMS (i[1]=buf, i[2]=len) or GET_TICKS (-> u[3]) */
#define WNOHANG 1
#define PM_WRITE_MAX 512

#define W_EXITCODE(ret, sig) (((ret) << 8) | (sig))
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s) & 0x7f)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0)

#endif
