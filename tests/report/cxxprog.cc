// cxxprog: a C++ program whose mlock calls are in a namespace function and in a function template
// (tests/report/cxx.sh expects their demangled names in the report). Each locks a heap block: a
// lock-heap warning per site.
#include <cstddef>
#include <cstdlib>
#include <sys/mman.h>

namespace vault {

__attribute__((noinline)) int lock_key(std::size_t len)
{
	char *key = static_cast<char *>(std::malloc(len));

	return key && mlock(key, len) == 0 ? 0 : 1;
}

template <typename T> __attribute__((noinline)) int lock_array(T *items, std::size_t n)
{
	return mlock(items, n * sizeof *items) == 0 ? 0 : 1;
}

} // namespace vault

int main()
{
	int *table = static_cast<int *>(std::malloc(16 * sizeof(int)));

	if (!table)
		return 1;
	return vault::lock_key(64) | vault::lock_array(table, 16);
}
