/* Native runtime: a static 32-bit Linux program around the same workload object. */
#include <unistd.h>
#include "bench.h"

void rt_write(const char *s, u32 len)
{
    while (len) {
        ssize_t n = write(1, s, len);
        if (n <= 0)
            _exit(1);
        s += n;
        len -= (u32)n;
    }
}

int main(void)
{
    workload();
    return 0;
}
