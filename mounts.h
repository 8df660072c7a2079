/* mounts.h - is a descriptor on a file system whose fstat can be trusted? */
#ifndef FCGI_SUEXEC_MOUNTS_H
#define FCGI_SUEXEC_MOUNTS_H

#include <sys/stat.h>

/* NULL, or why `fd` (described by `st`) lies on an untrusted mount: a FUSE
 * file system mounted by a user other than root, or one not identified. */
const char *mount_problem(int fd, const struct stat *st);

#endif
