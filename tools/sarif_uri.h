/* sarif_uri.h: the URIs the SARIF report gives source files (SARIF 2.1.0 3.4, artifactLocation).
 *
 * A file under the source root (memaudit-report --source-root, or the current directory) gets a
 * URI relative to it, to be resolved against the uriBaseId "SRCROOT", which the run's
 * originalUriBaseIds maps to the root's absolute file: URI; code scanning services match such
 * URIs against the repository. Any other file gets an absolute file: URI. Both are percent-encoded
 * (RFC 3986), so every byte of a path, space, '%' or non-ASCII alike, survives.
 */
#ifndef MEMAUDIT_TOOLS_SARIF_URI_H
#define MEMAUDIT_TOOLS_SARIF_URI_H

#include <stdbool.h>

#define MA_SARIF_SRCROOT "SRCROOT"

struct ma_srcroot {
	char *given; /* the root as an absolute path with "." and ".." resolved lexically; NULL: none */
	char *real;  /* its realpath(3), or NULL */
};

/* Set up the source root dir (NULL: the current directory). Returns 0, or -1 with errno set when
 * dir cannot be resolved; the root is then empty and every URI absolute. */
int ma_srcroot_init(struct ma_srcroot *root, const char *dir);
/* Free what ma_srcroot_init allocated. */
void ma_srcroot_free(struct ma_srcroot *root);

/* Return the absolute file: URI of the root, ending in '/' (malloc'd), or NULL when it has none. */
char *ma_srcroot_uri(const struct ma_srcroot *root);

/* Return the URI of source file path (malloc'd): relative to the root, with *relative set, when
 * the file lies under it; else an absolute file: URI. A relative path (a compiler that recorded
 * no directory) is taken as relative to the root only when the file exists there; otherwise there
 * is no valid URI for it and NULL is returned. */
char *ma_file_uri(const struct ma_srcroot *root, const char *path, bool *relative);

/* Return the file: URI of the absolute path path, percent-encoded (malloc'd). The file need not
 * exist. */
char *ma_path_uri(const char *path);

#endif
