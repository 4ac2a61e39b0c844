/* SEF start-up: block until RS sends RS_INIT, run the matching callback and
 * answer synchronously (MINIX d1fd04e72a). */
#include <model/lib.h>

static sef_cb_t cb_fresh, cb_restart;

void sef_setcb_init(sef_cb_t fresh, sef_cb_t restart)
{
	cb_fresh = fresh;
	cb_restart = restart;
}

void sef_startup(void)
{
	message m;
	int r, type, restarts;
	do {
		r = ipc_receive(RS_PROC_NR, &m);
	} while (r != OK || m.m_type != RS_INIT);
	type = m.m.i[0];
	restarts = m.m.i[1];
	r = OK;
	if (type == SEF_INIT_FRESH && cb_fresh)
		r = cb_fresh(type, restarts);
	else if (type == SEF_INIT_RESTART && cb_restart)
		r = cb_restart(type, restarts);
	else if (type == SEF_INIT_LU)
		r = ENOSYS;
	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT;
	m.m.i[0] = r;
	ipc_send(RS_PROC_NR, &m);
}
