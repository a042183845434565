/* trace_deny ptrace|seccomp CMD [ARG...]: runs CMD where ptrace(2), or seccomp(2) and
 * prctl(PR_SET_SECCOMP), fail (EPERM, EINVAL), as in a container whose seccomp policy forbids
 * them (tests/trace/errors.sh: memaudit-trace must say so in one line). */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int ptrace_denied = argc > 2 && strcmp(argv[1], "ptrace") == 0;
	unsigned nr = ptrace_denied ? SYS_ptrace : SYS_seccomp;
	unsigned err = ptrace_denied ? EPERM : EINVAL;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof f / sizeof f[0], f};

	if (argc < 3)
		return 2;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
		perror("trace_deny");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
