/* trace_mem.c: the target's memory (process_vm_readv, process_vm_writev), its maps and status fields. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "tools/trace.h"

ssize_t trace_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)addr, len};

	return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

ssize_t trace_mem_write(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = {(void *)buf, len}, remote = {(void *)(uintptr_t)addr, len};

	return process_vm_writev(pid, &local, 1, &remote, 1, 0);
}

int trace_maps_read(pid_t pid, struct trace_map **maps, size_t *n)
{
	char path[64], *line = NULL;
	struct trace_map *v = NULL, *nv;
	size_t cap = 0, len = 0, lsize = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (getline(&line, &lsize, f) > 0) {
		struct trace_map m;
		int pos = 0;

		memset(&m, 0, sizeof m);
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %*s %*s%n", &m.start, &m.end,
			   m.perms, &m.offset, &pos) < 4)
			continue;
		while (line[pos] == ' ')
			pos++;
		line[strcspn(line, "\n")] = 0;
		m.path = strdup(line + pos);
		if (!m.path)
			break;
		if (len == cap) {
			nv = realloc(v, (cap ? 2 * cap : 64) * sizeof *v);
			if (!nv) {
				free(m.path);
				break;
			}
			v = nv;
			cap = cap ? 2 * cap : 64;
		}
		v[len++] = m;
	}
	free(line);
	fclose(f);
	*maps = v;
	*n = len;
	return 0;
}

void trace_maps_free(struct trace_map *maps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(maps[i].path);
	free(maps);
}

long long trace_status_field(pid_t tid, const char *field)
{
	char path[64], line[256];
	size_t flen = strlen(field);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			if (sscanf(line + flen + 1, "%lld", &v) != 1)
				v = -1;
			break;
		}
	fclose(f);
	return v;
}

long long trace_status_kb(pid_t tid, const char *field)
{
	long long v = trace_status_field(tid, field);

	return v < 0 ? v : v * 1024;
}
