/* RS: reincarnation server. Initialises the boot services synchronously
 * through SEF, lets init run, and restarts crashed services (echo) in place:
 * same slot, same endpoint (seed 0164957abb). */
#include <model/lib.h>
#include <model/vm.h>
#include <model/kinfo.h>

struct service {
	const char *label;
	endpoint_t ep;
	int restarts;
	int restartable; /* its image is kept by VM */
	u32 img_start, img_len; /* physical location of its ELF image */
};

static struct service services[] = {
	{ "vm", VM_PROC_NR, 0, 0 },
	{ "pm", PM_PROC_NR, 0, 0 },
	{ "echo", ECHO_PROC_NR, 0, 1 },
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

static int sef_init(struct service *s, int type)
{
	message m;
	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT;
	m.m.i[0] = type;
	m.m.i[1] = s->restarts;
	if (ipc_sendrec(s->ep, &m) != OK || m.m_type != RS_INIT)
		return EFAULT;
	return m.m.i[0];
}

static int vm_request(int type, struct service *s)
{
	message m;
	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m.i[0] = s->ep;
	m.m.u[1] = s->img_start;
	m.m.u[2] = s->img_len;
	if (ipc_sendrec(VM_PROC_NR, &m) != OK)
		return EFAULT;
	return m.m_type;
}

static void restart(struct service *s, int sig)
{
	printf("rs: %s crashed (signal %d), restarting\n", s->label, sig);
	if (sys_privctl(s->ep, PRIVCTL_STOP) != OK || vm_request(VM_EXIT, s) != OK ||
	    sys_clear(s->ep, CLEAR_KEEP_EP) != OK || vm_request(VM_RS_EXEC, s) != OK ||
	    sys_privctl(s->ep, PRIVCTL_RUN) != OK)
		panic("cannot restart %s", s->label);
	s->restarts++;
	if (sef_init(s, SEF_INIT_RESTART) != OK)
		panic("%s failed its restart init", s->label);
	printf("rs: %s restarted (restarts=%u)\n", s->label, s->restarts);
	sys_post(POST_RESTART);
}

static void check_signals(void)
{
	endpoint_t ep;
	u32 sigs, i;
	while (sys_getksig(&ep, &sigs) == OK && ep != NONE) {
		int sig = 1;
		while (sig < 32 && !(sigs & (1u << sig)))
			sig++;
		for (i = 0; i < NSERVICES; i++)
			if (services[i].ep == ep)
				break;
		if (i == NSERVICES || !services[i].restartable)
			panic("system process %d died of signal %d", ep, sig);
		restart(&services[i], sig);
		sys_endksig(ep);
	}
}

int main(int argc, char **argv)
{
	message m;
	u32 i;
	(void)argc;
	(void)argv;

	/* where each service's image is: VM keeps the restartable ones */
	static struct boot_proc bp[NR_BOOT_PROCS];
	if (sys_getinfo(GET_BOOTPROCS, bp, sizeof(bp)) != OK)
		panic("cannot get the boot image table");
	for (i = 0; i < NSERVICES; i++) {
		services[i].img_start = bp[_ENDPOINT_P(services[i].ep)].mod_start;
		services[i].img_len = bp[_ENDPOINT_P(services[i].ep)].mod_len;
	}

	for (i = 0; i < NSERVICES; i++) {
		if (sef_init(&services[i], SEF_INIT_FRESH) != OK)
			panic("service %s failed to initialise", services[i].label);
		printf("rs: init %s fresh ok\n", services[i].label);
	}
	if (sys_privctl(INIT_PROC_NR, PRIVCTL_RUN) != OK)
		panic("cannot start init");

	for (;;) {
		if (ipc_receive(ANY, &m) != OK)
			continue;
		if (m.m_type == NOTIFY_MESSAGE) {
			if (m.m_source == SYSTEM)
				check_signals();
			continue;
		}
		m.m_type = m.m_type == COMMON_PING ? OK : ENOSYS;
		m.m.i[0] = RS_PROC_NR;
		ipc_sendnb(m.m_source, &m);
	}
}
