/* keydir.c — signing keys in a directory of their own (keydir.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "keydir.h"

/* A key id as the centre makes them (central-pass-1a2b3c4d): a file name
 * that cannot leave the directory. */
static int kid_ok(const char *kid)
{
	size_t n = strlen(kid);

	if (n == 0 || n > 63 || kid[0] == '.')
		return 0;
	for (const char *s = kid; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int key_path(const char *dir, const char *kid, char *path, size_t cap, gl_msg *err)
{
	if (!kid_ok(kid)) {
		glmsg_set(err, "密钥编号 %s 不能作为文件名", "the key id %s cannot name a file", kid);
		return -1;
	}
	if ((size_t)snprintf(path, cap, "%s/%s.key", dir, kid) >= cap) {
		glmsg_set(err, "密钥目录路径过长：%s", "the key directory's path is too long: %s", dir);
		return -1;
	}
	return 0;
}

/* Whose it is and who else may read it: 0, or -1 with err. */
static int private_to_me(const char *what, const struct stat *sb, gl_msg *err)
{
	if (sb->st_uid != geteuid()) {
		glmsg_set(err, "%s 不属于运行本命令的用户", "%s does not belong to the user running this command", what);
		return -1;
	}
	if ((sb->st_mode & 077) != 0) {
		glmsg_set(err, "%s 其他用户可访问（权限 %03o），而其中有签名密钥：请执行 chmod %s %s（若可能已被复制，请更换密钥）",
			  "%s can be reached by other users (mode %03o) and holds signing keys: chmod %s %s (and if it "
			  "may have been copied, consider its keys compromised)",
			  what, (unsigned)(sb->st_mode & 0777), S_ISDIR(sb->st_mode) ? "700" : "600", what);
		return -1;
	}
	return 0;
}

int keydir_check(const char *dir, gl_msg *err)
{
	struct stat sb;

	if (stat(dir, &sb) != 0) {
		glmsg_set(err, "无法打开密钥目录 %s：%s", "cannot open the key directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		glmsg_set(err, "%s 不是目录", "%s is not a directory", dir);
		return -1;
	}
	return private_to_me(dir, &sb, err);
}

int keydir_write(const char *dir, const char *kid, const char *sk_b64, gl_msg *err)
{
	char path[4200];
	size_t len = strlen(sk_b64);
	int fd, dfd, saved;

	if (key_path(dir, kid, path, sizeof path, err) != 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		glmsg_set(err, "无法写入密钥文件 %s：%s", "cannot write the key file %s: %s", path, strerror(errno));
		return -1;
	}
	/* The secret, a newline, and on disk before the database names it. */
	if (write(fd, sk_b64, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(path);
		glmsg_set(err, "无法写入密钥文件 %s：%s", "cannot write the key file %s: %s", path, strerror(saved));
		return -1;
	}
	close(fd);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		saved = errno;
		if (dfd >= 0)
			close(dfd);
		unlink(path);
		glmsg_set(err, "无法同步密钥目录 %s：%s", "cannot sync the key directory %s: %s", dir, strerror(saved));
		return -1;
	}
	close(dfd);
	return 0;
}

int keydir_read(const char *dir, const char *kid, char *sk_b64, size_t cap, gl_msg *err)
{
	char path[4200];
	struct stat sb;
	ssize_t got;
	int fd;

	if (key_path(dir, kid, path, sizeof path, err) != 0)
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		glmsg_set(err, "无法读取密钥 %s 的文件 %s：%s", "cannot read key %s from %s: %s", kid, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		glmsg_set(err, "%s 不是普通文件", "%s is not a regular file", path);
		close(fd);
		return -1;
	}
	if (private_to_me(path, &sb, err) != 0) {
		close(fd);
		return -1;
	}
	got = read(fd, sk_b64, cap - 1);
	close(fd);
	if (got < 0) {
		glmsg_set(err, "无法读取 %s：%s", "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	sk_b64[got] = '\0';
	if (got > 0 && sk_b64[got - 1] == '\n')
		sk_b64[--got] = '\0';
	if (got == 0 || strspn(sk_b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != (size_t)got) {
		glmsg_set(err, "%s 不是密钥文件", "%s is not a key file", path);
		return -1;
	}
	return 0;
}
