// cxxprog: a C++ program whose mlock calls are in a namespace function and in a function template
// (tests/report/cxx.sh expects their demangled names in the report and on stderr). Each locks a
// block from operator new, which comes from malloc's heap: a lock-heap warning per site (the
// blocks stay locked and are never freed). Operator new also makes the program load libstdc++,
// whose demangler the library then uses for its stderr lines.
//
// cxxprog altstack: lock_key is called from a signal handler running on an alternate signal stack
// instead, where the library does not demangle (the demangler's stack use is not bounded there).
#include <csignal>
#include <cstddef>
#include <cstring>
#include <sys/mman.h>

namespace vault {

__attribute__((noinline)) int lock_key(std::size_t len)
{
	char *key = new char[len];

	return mlock(key, len) == 0 ? 0 : 1;
}

template <typename T> __attribute__((noinline)) int lock_array(T *items, std::size_t n)
{
	return mlock(items, n * sizeof *items) == 0 ? 0 : 1;
}

} // namespace vault

static int handler_status = 2;

extern "C" void on_signal(int)
{
	handler_status = vault::lock_key(32);
}

// Run lock_key in a SIGUSR1 handler on a 64 KiB alternate stack. Returns its status.
static int on_altstack()
{
	static char altstack[65536];
	stack_t ss = {};
	struct sigaction sa = {};

	ss.ss_sp = altstack;
	ss.ss_size = sizeof altstack;
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_ONSTACK;
	if (sigaltstack(&ss, nullptr) != 0 || sigaction(SIGUSR1, &sa, nullptr) != 0 ||
	    raise(SIGUSR1) != 0)
		return 3;
	return handler_status;
}

int main(int argc, char **argv)
{
	if (argc > 1 && std::strcmp(argv[1], "altstack") == 0)
		return on_altstack();
	int *table = new int[16];

	return vault::lock_key(64) | vault::lock_array(table, 16);
}
