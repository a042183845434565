/* creds.c: setuid, seteuid, setreuid and setresuid, for the log's sake only.
 *
 * The log is a file mapping that grows by opening the file by path (logfile.h), and it is created
 * with mode 0600 by the user the process was then. A daemon that starts as root and gives up its
 * privileges (memcached -u, privilege separation) could no longer open it, and every record past
 * the first window would be lost. So before the effective user changes, the log is given to the
 * new one (fchown(2), while the process may still do it), and given back when the change fails.
 * What the program asked for is passed through unchanged, with its errno.
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "guard.h"
#include "shim/logwriter/logfile.h"
#include "real.h"
#include "state.h"

/* Give the log to uid. Returns 1 when it did. Keeps errno. */
static int give_log(uid_t uid)
{
	int g, e = errno, done = 0;

	if (guard_held() || !shim_auditing())
		return 0;
	g = guard_enter();
	state_lock();
	if (!shim_proc()->exited)
		done = logfile_chown(&shim_proc()->log, uid) == 0;
	state_unlock();
	guard_leave(g);
	errno = e;
	return done;
}

/* The effective user becomes `to` (-1: stays): the log goes first; ret is the real call's. */
struct handover {
	uid_t from;
	int given;
};

static struct handover before(uid_t to)
{
	struct handover h = {geteuid(), 0};

	if (!real_ready())
		real_resolve();
	if (to != (uid_t)-1 && to != h.from)
		h.given = give_log(to);
	return h;
}

static int after(struct handover h, int ret)
{
	if (ret != 0 && h.given)
		give_log(h.from); /* still h.from: the log goes back */
	return ret;
}

SHIM_EXPORT int setuid(uid_t uid)
{
	struct handover h = before(uid);

	return after(h, real.setuid(uid));
}

SHIM_EXPORT int seteuid(uid_t euid)
{
	struct handover h = before(euid);

	return after(h, real.seteuid(euid));
}

SHIM_EXPORT int setreuid(uid_t ruid, uid_t euid)
{
	struct handover h = before(euid);

	return after(h, real.setreuid(ruid, euid));
}

SHIM_EXPORT int setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
	struct handover h = before(euid);

	return after(h, real.setresuid(ruid, euid, suid));
}
