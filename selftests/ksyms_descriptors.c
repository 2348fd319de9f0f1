// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KIOCGADDR mapping as a descriptor is shared: dup and close, fork,
 * a parent's close while its child holds the descriptor, exec (the
 * descriptor kept, the mapping made anew), SCM_RIGHTS, and a program that
 * unmapped it and mapped its own memory there.
 *
 * Built twice: natively and with -m32 (ksyms_descriptors_32).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms_test.h"
#include "ksyms_dev_fixture.h"

#define EXEC_CHILD_ARG	"--exec-child"

TEST_F(dev, dup_and_close_keep_mapping)
{
	unsigned char *addr = NULL;
	void *again = NULL;
	char line[512];
	int fd2, fd3;
	bool canary;

	ASSERT_EQ(0, get_addr(self->fd, (void **)&addr, &canary));

	/* closing a duplicate keeps it */
	fd2 = dup(self->fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, close(fd2));
	EXPECT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)));
	EXPECT_EQ(0, memcmp(addr, self->img, self->size));
	EXPECT_EQ(0, get_addr(self->fd, &again, &canary));
	EXPECT_EQ((uintptr_t)addr, (uintptr_t)again);

	/* closing the original while a duplicate lives keeps it too */
	fd3 = fcntl(self->fd, F_DUPFD_CLOEXEC, 100);
	ASSERT_LE(100, fd3);
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)));
	EXPECT_EQ(0, memcmp(addr, self->img, self->size));
	again = NULL;
	EXPECT_EQ(0, get_addr(fd3, &again, &canary));
	EXPECT_EQ((uintptr_t)addr, (uintptr_t)again);

	/* and so does the last one */
	ASSERT_EQ(0, close(fd3));
	EXPECT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)))
		TH_LOG("unmapped by the last close");
}

struct fork_arg {
	int fd;
	void *addr;
	const unsigned char *img;
	size_t size;
};

static int fork_child(void *p)
{
	const struct fork_arg *a = p;
	void *addr = NULL, *own = NULL;
	size_t size = 0;
	int fd;

	/* the mapping stays with the parent */
	if (ksu_dev_mappings() != 0)
		return 1;
	/* the inherited descriptor maps its image here */
	if (ioctl(a->fd, KIOCGADDR, &addr) || !addr)
		return 2;
	if (memcmp(addr, a->img, a->size))
		return 3;
	if (ioctl(a->fd, KIOCGSIZE, &size) || size != a->size)
		return 4;
	/* and the child may open its own: the same snapshot, one mapping */
	fd = ksu_open(O_RDONLY);
	if (fd < 0)
		return 5;
	if (ioctl(fd, KIOCGADDR, &own) || own != addr)
		return 6;
	close(fd);
	return ksu_dev_mappings() == 1 ? 0 : 7;
}

TEST_F(dev, fork_child_maps_its_own)
{
	struct fork_arg a = { .fd = self->fd, .img = self->img,
			      .size = self->size };
	bool canary;

	ASSERT_EQ(0, get_addr(self->fd, &a.addr, &canary));
	EXPECT_EQ(0, ksu_run_child(fork_child, &a))
		TH_LOG("1: inherited, 2: KIOCGADDR in the child, 3: bytes there, 4: KIOCGSIZE, 5: own open, 6: own KIOCGADDR, 7: mappings");
	/* the parent's mapping is untouched by the child */
	EXPECT_EQ(0, memcmp(a.addr, self->img, self->size));
}

/* Whether any line of /proc/self/maps names @path. */
static bool maps_mention(const char *path)
{
	unsigned char *buf;
	bool found;
	size_t size;

	if (ksu_read_path("/proc/self/maps", &buf, &size))
		return false;
	found = strstr((char *)buf, path) != NULL;
	free(buf);
	return found;
}

/*
 * The opener closes its last descriptor while a forked child still holds
 * the inherited one: it may open again (its descriptors are gone, whatever
 * other processes hold), and its mapping stays.
 */
TEST_F(dev, parent_close_while_child_holds_fd)
{
	int go[2], ready[2], status, fd;
	char line[512], byte;
	void *addr = NULL;
	bool canary;
	pid_t pid;

	ASSERT_EQ(0, get_addr(self->fd, &addr, &canary));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* hold the inherited descriptor until told */
		if (write(ready[1], "r", 1) != 1 || read(go[0], &byte, 1) != 1)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &byte, 1));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)))
		TH_LOG("the opener's close removed its mapping");
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("reopen after closing: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
	/* and certainly once the child is gone */
	fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, fd) TH_LOG("reopen after the child exited: %s",
				strerror(-fd));
	if (fd >= 0)
		close(fd);
}

/*
 * Runs after exec, with the descriptor kept: no mapping here any more,
 * until KIOCGADDR makes one in the new address space.
 */
static int exec_child(int fd, size_t size)
{
	unsigned char hdr[SELFMAG];
	void *addr = NULL;
	size_t got = 0;

	if (maps_mention(ksu_dev_path())) {
		fprintf(stderr, "# exec child: %s is mapped after exec\n",
			ksu_dev_path());
		return 1;
	}
	if (ioctl(fd, KIOCGSIZE, &got) || got != size) {
		fprintf(stderr, "# exec child: KIOCGSIZE %zu, expected %zu\n",
			got, size);
		return 2;
	}
	if (pread(fd, hdr, sizeof(hdr), 0) != sizeof(hdr) ||
	    memcmp(hdr, ELFMAG, SELFMAG)) {
		fprintf(stderr, "# exec child: cannot read the image\n");
		return 3;
	}
	if (ioctl(fd, KIOCGADDR, &addr) || memcmp(addr, ELFMAG, SELFMAG)) {
		fprintf(stderr, "# exec child: KIOCGADDR: %s\n",
			strerror(errno));
		return 4;
	}
	return 0;
}

TEST_F(dev, exec_keeps_fd_and_maps_anew)
{
	char fdarg[16], sizearg[32];
	int status;
	pid_t pid;

	snprintf(fdarg, sizeof(fdarg), "%d", self->fd);
	snprintf(sizearg, sizeof(sizearg), "%zu", self->size);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		execl("/proc/self/exe", "ksyms_descriptors", EXEC_CHILD_ARG, fdarg,
		      sizearg, (char *)NULL);
		_exit(100);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("1: still mapped, 2: KIOCGSIZE, 3: read, 4: KIOCGADDR, 100: exec failed");
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'k';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int scm_child(void *p)
{
	int sock = *(int *)p, fd;
	char byte;

	fd = ksu_open(O_RDONLY);
	if (fd < 0)
		return 1;
	if (send_fd(sock, fd))
		return 2;
	/* keep it (and its mapping) until the parent is done */
	return read(sock, &byte, 1) == 1 ? 0 : 3;
}

TEST(scm_rights_descriptor_maps_in_receiver)
{
	int sv[2], fd, maps_before, status;
	size_t size = 0;
	void *addr = NULL;
	Elf64_Ehdr eh;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	maps_before = ksu_maps_count();
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(scm_child(&sv[1]));
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd) TH_LOG("no descriptor from the child");
	EXPECT_EQ(0, ioctl(fd, KIOCGSIZE, &size));
	EXPECT_LT((size_t)KSU_HDR_SIZE, size);
	EXPECT_EQ((ssize_t)sizeof(eh), pread(fd, &eh, sizeof(eh), 0));
	EXPECT_EQ(0, memcmp(eh.e_ident, ELFMAG, SELFMAG));
	/* mapped here, in the receiver's address space, at the first ask */
	EXPECT_EQ(0, ksu_dev_mappings());
	ASSERT_EQ(0, ioctl(fd, KIOCGADDR, &addr));
	EXPECT_EQ(0, memcmp(addr, &eh, sizeof(eh)));
	EXPECT_EQ(1, ksu_dev_mappings());
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(maps_before + 1, ksu_maps_count());
	ASSERT_EQ(1, write(sv[0], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(sv[0]);
	close(sv[1]);
}

/*
 * The program unmapped it and put its own mapping there: KIOCGADDR maps
 * the image elsewhere, and neither it nor close touches the program's.
 */
TEST_F(dev, munmap_then_remapped_and_close_spares_own_mapping)
{
	unsigned char *addr = NULL, *anon;
	void *again = NULL;
	char line[512];
	bool canary;
	size_t i;

	ASSERT_EQ(0, get_addr(self->fd, (void **)&addr, &canary));
	ASSERT_EQ(0, munmap(addr, self->len));
	anon = mmap(addr, self->len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ASSERT_TRUE(anon == addr);
	memset(anon, 0x5a, self->len);
	ASSERT_EQ(0, get_addr(self->fd, &again, &canary));
	EXPECT_NE((void *)anon, again);
	EXPECT_EQ(0, memcmp(again, self->img, self->size));

	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	/* (the kernel may have merged it with its anonymous neighbours) */
	ASSERT_TRUE(ksu_maps_covering((uintptr_t)anon, line, sizeof(line)))
		TH_LOG("the program's own mapping at %p is gone", anon);
	ASSERT_TRUE(ksu_maps_covering((uintptr_t)anon + self->len - 1, line,
				      sizeof(line)));
	for (i = 0; i < self->len; i += ksu_page_size())
		if (anon[i] != 0x5a)
			break;
	EXPECT_EQ(self->len, i) TH_LOG("the program's mapping was damaged");
	munmap(anon, self->len);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], EXEC_CHILD_ARG))
		return exec_child(atoi(argv[2]), strtoul(argv[3], NULL, 10));
	return test_harness_run(argc, argv);
}
