/* sarif_uri.c: file URIs relative to the source root or absolute (see sarif_uri.h). */
#include <config.h>

#include "sarif_uri.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Set up the root; see sarif_uri.h. */
int ma_srcroot_init(struct ma_srcroot *root, const char *dir)
{
	char *cwd = NULL;

	root->given = root->real = NULL;
	if (!dir || dir[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			return -1;
	}
	root->given = join_path(dir && dir[0] == '/' ? dir : cwd, dir && dir[0] != '/' ? dir : "");
	free(cwd);
	root->real = realpath(root->given, NULL);
	if (!root->real && dir) {
		int e = errno;

		ma_srcroot_free(root);
		errno = e;
		return -1;
	}
	return 0;
}

/* Free the root's strings. */
void ma_srcroot_free(struct ma_srcroot *root)
{
	free(root->given);
	free(root->real);
	root->given = root->real = NULL;
}

/* Return "file://" (when absolute) followed by path percent-encoded (malloc'd): every byte but the
 * unreserved characters, the sub-delimiters, '@' and '/' becomes %XX (':' too, so that a
 * relative reference can never be read as a scheme). */
static char *encode(const char *path, bool absolute)
{
	static const char keep[] = "-._~!$&'()*+,;=@/";
	char *out = xmalloc(strlen("file://") + strlen(path) * 3 + 1), *o = out;

	if (absolute)
		o += sprintf(o, "file://");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(keep, *s))
			*o++ = (char)*s;
		else
			o += sprintf(o, "%%%02X", *s);
	}
	*o = '\0';
	return out;
}

/* Return the root's URI; see sarif_uri.h. */
char *ma_srcroot_uri(const struct ma_srcroot *root)
{
	char *dir, *uri;

	if (!root->given)
		return NULL;
	dir = xmalloc(strlen(root->given) + 2);
	sprintf(dir, "%s%s", root->given, root->given[strlen(root->given) - 1] == '/' ? "" : "/");
	uri = encode(dir, true);
	free(dir);
	return uri;
}

/* Return the part of path below dir ("a/b.c" for "/dir/a/b.c"), or NULL when path is not under
 * dir (or is dir itself). */
static const char *below(const char *dir, const char *path)
{
	size_t len;

	if (!dir || !path)
		return NULL;
	len = strlen(dir);
	if (len == 1 && dir[0] == '/')
		return path[0] == '/' && path[1] ? path + 1 : NULL;
	return !strncmp(path, dir, len) && path[len] == '/' && path[len + 1] ? path + len + 1 : NULL;
}

/* Return the URI of path; see sarif_uri.h. */
char *ma_file_uri(const struct ma_srcroot *root, const char *path, bool *relative)
{
	char *lexical, *real, *uri;
	const char *rel = NULL;

	*relative = false;
	if (!path || !*path)
		return NULL;
	if (path[0] != '/') {
		if (!root->given)
			return NULL;
		lexical = join_path(root->given, path);
		if (access(lexical, F_OK) != 0) {
			free(lexical);
			return NULL;
		}
	} else {
		lexical = join_path(path, "");
	}
	real = realpath(lexical, NULL);
	/* Symbolic links on either side: compare like with like first, then the mixed pairs. */
	if (!(rel = below(root->real, real)) && !(rel = below(root->given, lexical)) &&
	    !(rel = below(root->given, real)))
		rel = below(root->real, lexical);
	*relative = rel != NULL;
	uri = rel ? encode(rel, false) : encode(real ? real : lexical, true);
	free(lexical);
	free(real);
	return uri;
}

/* Return the absolute file: URI of path; see sarif_uri.h. */
char *ma_path_uri(const char *path)
{
	return encode(path, true);
}
