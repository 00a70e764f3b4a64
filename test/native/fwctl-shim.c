/*
 * fwctl-shim: an LD_PRELOAD interposer that turns fwctl device nodes of a fake
 * root into a simulated kernel, the way nvme-cli's tests fake ioctls.
 *
 *   FWCTL_SHIM_ROOT    fake root; paths under $FWCTL_SHIM_ROOT/dev/fwctl/ are intercepted
 *   FWCTL_SHIM_SOCKET  unix socket of the process running the simulated kernel
 *
 * open/open64/openat/openat64 of such a path connect to the socket and send OPEN;
 * the connected socket *is* the returned fd, so close() ends the session. ioctl()
 * on such an fd sends IOCTL {request, arg address}; the simulated kernel then
 * drives the call: it asks for MEM_READ / MEM_WRITE at user addresses (its
 * copy_from_user / copy_to_user; done with process_vm_readv/writev on ourselves
 * so a bad address is EFAULT, not a crash) until it sends RESULT {ret, errno}.
 * Everything else goes to the real libc (RTLD_NEXT).
 *
 * Messages: u32 type, u32 payload length, payload (host byte order, same host).
 */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

enum {
	MSG_OPEN = 1,      /* c→s: u32 flags, path bytes */
	MSG_IOCTL = 2,     /* c→s: u64 request, u64 arg */
	MSG_MEM_READ = 3,  /* s→c: u64 addr, u32 len      → c→s MSG_MEM_DATA: i32 errno, bytes */
	MSG_MEM_WRITE = 4, /* s→c: u64 addr, bytes         → c→s MSG_MEM_ACK: i32 errno */
	MSG_RESULT = 5,    /* s→c: i32 ret, i32 errno */
	MSG_MEM_DATA = 6,
	MSG_MEM_ACK = 7,
};

#define MAX_FDS 1024
#define MAX_MSG (8u << 20)

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_ioctl)(int, unsigned long, ...);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char tracked[MAX_FDS];
static pthread_mutex_t fd_lock[MAX_FDS];
static char prefix[4096];
static size_t prefix_len;

static void init(void)
{
	real_open = dlsym(RTLD_NEXT, "open");
	real_open64 = dlsym(RTLD_NEXT, "open64");
	real_openat = dlsym(RTLD_NEXT, "openat");
	real_openat64 = dlsym(RTLD_NEXT, "openat64");
	real_close = dlsym(RTLD_NEXT, "close");
	real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	for (int i = 0; i < MAX_FDS; i++)
		pthread_mutex_init(&fd_lock[i], NULL);
	const char *root = getenv("FWCTL_SHIM_ROOT");
	if (root && *root) {
		size_t n = strlen(root);
		while (n > 1 && root[n - 1] == '/')
			n--;
		if (n + sizeof("/dev/fwctl/") < sizeof(prefix)) {
			memcpy(prefix, root, n);
			strcpy(prefix + n, "/dev/fwctl/");
			prefix_len = strlen(prefix);
		}
	}
}

static int intercepted_path(int dirfd, const char *path)
{
	pthread_once(&once, init);
	if (!prefix_len || !path || (path[0] != '/' && dirfd != AT_FDCWD))
		return 0;
	return path[0] == '/' && strncmp(path, prefix, prefix_len) == 0 && path[prefix_len] != '\0';
}

static int is_tracked(int fd)
{
	pthread_once(&once, init);
	if (fd < 0 || fd >= MAX_FDS)
		return 0;
	pthread_mutex_lock(&table_lock);
	int t = tracked[fd];
	pthread_mutex_unlock(&table_lock);
	return t;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_msg(int fd, uint32_t type, const void *a, uint32_t alen, const void *b, uint32_t blen)
{
	uint32_t head[2] = { type, alen + blen };
	if (write_all(fd, head, sizeof(head)) || (alen && write_all(fd, a, alen)) || (blen && write_all(fd, b, blen)))
		return -1;
	return 0;
}

/* Read one message; *payload is malloc'd (caller frees). */
static int recv_msg(int fd, uint32_t *type, char **payload, uint32_t *len)
{
	uint32_t head[2];
	if (read_all(fd, head, sizeof(head)) || head[1] > MAX_MSG)
		return -1;
	*type = head[0];
	*len = head[1];
	*payload = malloc(head[1] ? head[1] : 1);
	if (!*payload)
		return -1;
	if (head[1] && read_all(fd, *payload, head[1])) {
		free(*payload);
		return -1;
	}
	return 0;
}

/* copy between our own memory and a buffer, EFAULT (not SIGSEGV) on a bad address */
static int self_copy(void *local, uint64_t remote, size_t len, int to_remote)
{
	if (!len)
		return 0;
	struct iovec l = { local, len }, r = { (void *)(uintptr_t)remote, len };
	ssize_t n = to_remote ? process_vm_writev(getpid(), &l, 1, &r, 1, 0) : process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* no process_vm_* here (seccomp): trust the address */
		if (to_remote)
			memcpy((void *)(uintptr_t)remote, local, len);
		else
			memcpy(local, (void *)(uintptr_t)remote, len);
		return 0;
	}
	return EFAULT;
}

static int shim_open(const char *path, int flags)
{
	const char *sock_path = getenv("FWCTL_SHIM_SOCKET");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (!sock_path || strlen(sock_path) >= sizeof(addr.sun_path)) {
		errno = ENXIO;
		return -1;
	}
	strcpy(addr.sun_path, sock_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | ((flags & O_CLOEXEC) ? SOCK_CLOEXEC : 0), 0);
	if (fd < 0)
		return -1;
	if (fd >= MAX_FDS || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = fd >= MAX_FDS ? EMFILE : errno;
		real_close(fd);
		errno = e;
		return -1;
	}
	uint32_t f = (uint32_t)flags;
	uint32_t type, len;
	char *reply = NULL;
	int32_t res[2] = { -1, EIO };
	if (send_msg(fd, MSG_OPEN, &f, sizeof(f), path, (uint32_t)strlen(path)) == 0 && recv_msg(fd, &type, &reply, &len) == 0 &&
	    type == MSG_RESULT && len == sizeof(res))
		memcpy(res, reply, sizeof(res));
	free(reply);
	if (res[0] < 0) {
		real_close(fd);
		errno = res[1];
		return -1;
	}
	pthread_mutex_lock(&table_lock);
	tracked[fd] = 1;
	pthread_mutex_unlock(&table_lock);
	return fd;
}

static int shim_ioctl(int fd, unsigned long request, void *arg)
{
	pthread_mutex_lock(&fd_lock[fd]);
	uint64_t call[2] = { request, (uint64_t)(uintptr_t)arg };
	int ret = -1, err = EIO;
	if (send_msg(fd, MSG_IOCTL, call, sizeof(call), NULL, 0))
		goto out;
	for (;;) {
		uint32_t type, len;
		char *msg;
		if (recv_msg(fd, &type, &msg, &len))
			goto out;
		if (type == MSG_RESULT && len == 8) {
			int32_t res[2];
			memcpy(res, msg, sizeof(res));
			free(msg);
			ret = res[0];
			err = res[1];
			goto out;
		} else if (type == MSG_MEM_READ && len == 12) {
			uint64_t addr;
			uint32_t n;
			memcpy(&addr, msg, 8);
			memcpy(&n, msg + 8, 4);
			free(msg);
			char *data = n <= MAX_MSG ? malloc(n ? n : 1) : NULL;
			int32_t status = data ? self_copy(data, addr, n, 0) : ENOMEM;
			int bad = send_msg(fd, MSG_MEM_DATA, &status, sizeof(status), data, status ? 0 : n);
			free(data);
			if (bad)
				goto out;
		} else if (type == MSG_MEM_WRITE && len >= 8) {
			uint64_t addr;
			memcpy(&addr, msg, 8);
			int32_t status = self_copy(msg + 8, addr, len - 8, 1);
			free(msg);
			if (send_msg(fd, MSG_MEM_ACK, &status, sizeof(status), NULL, 0))
				goto out;
		} else {
			free(msg);
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&fd_lock[fd]);
	if (ret < 0)
		errno = err;
	return ret;
}

static int forward_open(int (*real)(const char *, int, ...), const char *path, int flags, va_list ap)
{
	if (intercepted_path(AT_FDCWD, path))
		return shim_open(path, flags);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	return real(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	pthread_once(&once, init);
	int r = forward_open(real_open, path, flags, ap);
	va_end(ap);
	return r;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	pthread_once(&once, init);
	int r = forward_open(real_open64, path, flags, ap);
	va_end(ap);
	return r;
}

static int forward_openat(int (*real)(int, const char *, int, ...), int dirfd, const char *path, int flags, va_list ap)
{
	if (intercepted_path(dirfd, path))
		return shim_open(path, flags);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	return real(dirfd, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	pthread_once(&once, init);
	int r = forward_openat(real_openat, dirfd, path, flags, ap);
	va_end(ap);
	return r;
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	pthread_once(&once, init);
	int r = forward_openat(real_openat64, dirfd, path, flags, ap);
	va_end(ap);
	return r;
}

int close(int fd)
{
	if (is_tracked(fd)) {
		/* Like the kernel, never wait for an ioctl in flight on another thread; wake it (EIO). */
		pthread_mutex_lock(&table_lock);
		tracked[fd] = 0;
		pthread_mutex_unlock(&table_lock);
		shutdown(fd, SHUT_RDWR);
	}
	pthread_once(&once, init);
	return real_close(fd);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (is_tracked(fd))
		return shim_ioctl(fd, request, arg);
	return real_ioctl(fd, request, arg);
}
