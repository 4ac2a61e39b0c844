/* ECHO: a toy service for the ipc and crash workloads (cf. MINIX "hello"). */
#include <model/lib.h>

static int restarts, init_type;

static int sef_cb_init(int type, int nrestarts)
{
	init_type = type;
	restarts = nrestarts;
	return OK;
}

int main(int argc, char **argv)
{
	message m;
	(void)argc;
	(void)argv;
	sef_setcb_init(sef_cb_init, sef_cb_init);
	sef_startup();
	for (;;) {
		if (ipc_receive(ANY, &m) != OK)
			continue;
		switch (m.m_type) {
		case ECHO_PING:
			m.m.u[0] = m.m.u[0] * 31 + 7;
			m.m_type = OK;
			break;
		case ECHO_CRASH:
			*(volatile int *)0 = 1; /* null page: VM kills us, RS restarts us */
			break;
		case ECHO_STATUS:
			m.m.i[0] = restarts;
			m.m.i[1] = init_type;
			m.m_type = OK;
			break;
		case COMMON_PING:
			m.m.i[0] = ECHO_PROC_NR;
			m.m_type = OK;
			break;
		default:
			m.m_type = ENOSYS;
		}
		ipc_sendnb(m.m_source, &m);
	}
}
