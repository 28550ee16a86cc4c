// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* bpffs: mounting it where it is missing, private pin directories, and directory locks. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "internal.h"

#define BPFFS_MOUNT_POINT "/sys/fs/bpf"

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

static bool path_is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

/*
 * Mount bpffs at /sys/fs/bpf unless it is there. The mount point's directory is locked
 * first and the check repeated under the lock, so two processes racing here mount once: a
 * second mount over the first would hide every pin made below it.
 */
static int mount_bpffs(void)
{
	int fd, err = 0;

	if (is_bpffs(BPFFS_MOUNT_POINT))
		return 0;
	fd = dot11xdp_dir_lock(BPFFS_MOUNT_POINT, LOCK_EX);
	if (fd < 0) {
		pr_warn("cannot open %s to mount bpffs there: %s\n", BPFFS_MOUNT_POINT,
			strerror(-fd));
		return fd;
	}
	if (!is_bpffs(BPFFS_MOUNT_POINT)) {
		if (mount("bpf", BPFFS_MOUNT_POINT, "bpf", 0, "mode=0700")) {
			err = -errno;
			pr_warn("bpffs is not mounted and mounting it at %s failed: %s%s\n",
				BPFFS_MOUNT_POINT, strerror(-err),
				err == -EPERM ? " (run as root, or: mount -t bpf bpf /sys/fs/bpf)"
					      : "");
		} else {
			pr_info("mounted bpffs at %s\n", BPFFS_MOUNT_POINT);
		}
	}
	close(fd);
	return err;
}

int dot11xdp_mkdir_private(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	if (stat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	/* mkdir honours the umask, and an existing directory may have been made by hand. */
	if ((st.st_mode & 07777) != 0700 && chmod(path, 0700))
		return -errno;
	return 0;
}

int dot11xdp_bpffs_prepare(const char *pin_root)
{
	char path[PATH_MAX], parent[PATH_MAX] = "/";
	int err;

	if (pin_root[0] != '/') {
		pr_warn("pin root '%s' is not an absolute path\n", pin_root);
		return -EINVAL;
	}
	if (path_is_under(pin_root, BPFFS_MOUNT_POINT)) {
		err = mount_bpffs();
		if (err)
			return err;
	}
	if (snprintf(path, sizeof(path), "%s", pin_root) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	/* Create the missing directories from the top down; each one private. */
	for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (access(path, F_OK)) {
			/* Only below a bpffs mount: never leave directories elsewhere. */
			if (!is_bpffs(parent))
				break;
			err = dot11xdp_mkdir_private(path);
			if (err) {
				pr_warn("cannot create pin directory %s: %s\n", path,
					strerror(-err));
				return err;
			}
		}
		if (!slash)
			break;
		*slash = '/';
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	}
	if (!is_bpffs(pin_root)) {
		pr_warn("pin root %s is not on a bpf filesystem (mount -t bpf bpf <dir>)\n",
			pin_root);
		return -EINVAL;
	}
	/* The root itself is ours: keep it private even when it already existed. */
	err = dot11xdp_mkdir_private(pin_root);
	if (err)
		pr_warn("cannot make %s private (mode 0700): %s\n", pin_root, strerror(-err));
	return err;
}

int dot11xdp_dir_lock(const char *path, int operation)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (flock(fd, operation)) {
		int err = -errno;

		if (err == -EINTR)
			continue;
		close(fd);
		return err;
	}
	return fd;
}
