// SPDX-License-Identifier: GPL-2.0-only
/*
 * KIOCGSIZE, KIOCGADDR and its mapping: exact size, the bytes at the
 * address, the mapping's life across close, dup, fork, exec, SCM_RIGHTS
 * and munmap (more in ksyms_addr_map.c), EFAULT, ENOTTY, and no leak over
 * 2,000 opens.
 *
 * Built twice: natively and with -m32 (ksyms_ioctl_32), where the ioctl
 * numbers encode a 4-byte size_t and pointer and must get the same answers.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ksyms_test.h"

#define EXEC_CHILD_ARG	"--exec-child"
#define CANARY		0xa5

FIXTURE(dev) {
	int fd;
	unsigned char *img;
	size_t size, len;
};

FIXTURE_SETUP(dev)
{
	int ret;

	self->fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", ksu_dev_path(),
				      strerror(-self->fd));
	ret = ksu_pread_all(self->fd, 0, &self->img, &self->size);
	ASSERT_EQ(0, ret);
	self->len = ksu_page_round(self->size);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->img);
}

/* The value between two canaries: the driver writes exactly its width. */
struct guarded_size {
	unsigned char pre[8];
	size_t val;
	unsigned char post[8];
};

struct guarded_addr {
	unsigned char pre[8];
	void *val;
	unsigned char post[8];
};

static bool canaries_ok(const unsigned char *pre, const unsigned char *post)
{
	int i;

	for (i = 0; i < 8; i++)
		if (pre[i] != CANARY || post[i] != CANARY)
			return false;
	return true;
}

static int get_size(int fd, size_t *size, bool *canary)
{
	struct guarded_size g;
	int ret;

	memset(&g, CANARY, sizeof(g));
	ret = ioctl(fd, KIOCGSIZE, &g.val);
	*size = g.val;
	*canary = canaries_ok(g.pre, g.post);
	return ret;
}

static int get_addr(int fd, void **addr, bool *canary)
{
	struct guarded_addr g;
	int ret;

	memset(&g, CANARY, sizeof(g));
	ret = ioctl(fd, KIOCGADDR, &g.val);
	*addr = g.val;
	*canary = canaries_ok(g.pre, g.post);
	return ret;
}

/* FreeBSD's encodings, with this ABI's size_t and pointer width */
TEST(ioctl_numbers)
{
	EXPECT_EQ(_IOR('l', 1, size_t), KIOCGSIZE);
	EXPECT_EQ(_IOR('l', 2, void *), KIOCGADDR);
	if (sizeof(void *) == 8) {
		EXPECT_EQ(0x80086c01UL, (unsigned long)KIOCGSIZE);
		EXPECT_EQ(0x80086c02UL, (unsigned long)KIOCGADDR);
	} else {
		EXPECT_EQ(0x80046c01UL, (unsigned long)KIOCGSIZE);
		EXPECT_EQ(0x80046c02UL, (unsigned long)KIOCGADDR);
	}
	TH_LOG("%zu-bit: KIOCGSIZE %#lx KIOCGADDR %#lx", 8 * sizeof(void *),
	       (unsigned long)KIOCGSIZE, (unsigned long)KIOCGADDR);
}

TEST_F(dev, size_is_exact)
{
	const Elf64_Ehdr *eh;
	struct stat st;
	size_t size = 0;
	bool canary;

	ASSERT_EQ(0, get_size(self->fd, &size, &canary))
		TH_LOG("KIOCGSIZE: %s", strerror(errno));
	EXPECT_TRUE(canary) TH_LOG("KIOCGSIZE wrote more than a size_t");
	EXPECT_EQ(self->size, size);
	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_EQ((off_t)self->size, st.st_size);
	ASSERT_LE((size_t)KSU_HDR_SIZE, self->size);
	/* The section header table ends the image. */
	eh = (const Elf64_Ehdr *)self->img;
	EXPECT_EQ(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr),
		  (uint64_t)size);
}

TEST_F(dev, address_holds_the_image)
{
	unsigned char *addr = NULL;
	void *again = NULL;
	bool canary;

	ASSERT_EQ(0, get_addr(self->fd, (void **)&addr, &canary))
		TH_LOG("KIOCGADDR: %s", strerror(errno));
	EXPECT_TRUE(canary) TH_LOG("KIOCGADDR wrote more than a pointer");
	ASSERT_NE(0UL, (unsigned long)addr);
	EXPECT_EQ(0UL, (uintptr_t)addr % ksu_page_size());
	EXPECT_EQ(0, memcmp(addr, self->img, self->size));
	/* asking again gives the same place */
	ASSERT_EQ(0, get_addr(self->fd, &again, &canary));
	EXPECT_EQ((uintptr_t)addr, (uintptr_t)again);
}

TEST_F(dev, mapping_in_proc_maps)
{
	unsigned long start, end;
	char line[512], perms[8];
	void *addr = NULL;
	bool canary;
	int n;

	ASSERT_EQ(0, get_addr(self->fd, &addr, &canary));
	ASSERT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)))
		TH_LOG("no mapping at %p in /proc/self/maps", addr);
	TH_LOG("%s", line);
	n = sscanf(line, "%lx-%lx %7s", &start, &end, perms);
	ASSERT_EQ(3, n);
	EXPECT_EQ(self->len, end - start);
	EXPECT_STREQ("r--s", perms);
	EXPECT_TRUE(strstr(line, ksu_dev_path()) != NULL);
}

TEST_F(dev, bad_pointer_efault)
{
	size_t ps = ksu_page_size();
	void *ro;

	ro = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGADDR, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGADDR, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, ro));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGADDR, ro));
	EXPECT_EQ(EFAULT, errno);
	/* a kernel address */
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KIOCGSIZE, (void *)~0xfffUL));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, ps);
}

TEST_F(dev, unknown_ioctl_enotty)
{
	static const unsigned long cmds[] = {
		0, TCGETS, FIONREAD, _IO('l', 0), _IO('l', 1),
		_IOW('l', 1, size_t), _IOWR('l', 2, void *),
		_IOR('l', 100, long), _IOR('k', 1, size_t),
		_IOR('L', 2, void *), 0xffffffffUL,
	};
	unsigned long buf[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(buf, 0, sizeof(buf));
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], buf))
			TH_LOG("ioctl %#lx succeeded", cmds[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("ioctl %#lx: %s", cmds[i],
						strerror(errno));
	}
}

TEST_F(dev, close_keeps_mapping)
{
	char line[512];
	void *addr = NULL;
	bool canary;

	ASSERT_EQ(0, get_addr(self->fd, &addr, &canary));
	ASSERT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_TRUE(ksu_maps_find((uintptr_t)addr, line, sizeof(line)))
		TH_LOG("unmapped by close");
	EXPECT_EQ(0, memcmp(addr, self->img, self->size));
	/* and the slot is free again */
	self->fd = ksu_open(O_RDONLY);
	EXPECT_LE(0, self->fd) TH_LOG("reopen: %s", strerror(-self->fd));
}

FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

/*
 * The driver's counters must come back exactly, so one leaked object per
 * open already shows; the cycles are many only to catch a leak that
 * needs a rare interleaving, and few enough for a debug kernel under TCG.
 */
#define CYCLES	2000

TEST_F_TIMEOUT(slow, open_close_2000, 500)
{
	struct ksu_stats before, after;
	bool stats = ksu_debugfs_present();
	int maps_before, maps_after, i, fd;
	void *first = NULL;
	unsigned long fails = 0;
	int first_err = 0;

	/* warm up: the first open may build the snapshot and the mapping */
	fd = ksu_open(O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	EXPECT_EQ(0, ioctl(fd, KIOCGADDR, &first));
	close(fd);
	maps_before = ksu_maps_count();
	ASSERT_LT(0, maps_before);
	if (stats) {
		ASSERT_EQ(0, ksu_stats_read(&before));
	} else {
		TH_LOG("no %s: memory not counted", KSU_DEBUGFS);
	}

	for (i = 0; i < CYCLES; i++) {
		void *addr = NULL;

		fd = ksu_open(O_RDONLY);
		if (fd < 0) {
			if (!fails++)
				first_err = -fd;
			continue;
		}
		if (i % 100 == 0 &&
		    (ioctl(fd, KIOCGADDR, &addr) || !addr ||
		     memcmp(addr, ELFMAG, SELFMAG)))
			fails++;
		close(fd);
	}
	EXPECT_EQ(0UL, fails) TH_LOG("first error: %s", strerror(first_err));
	maps_after = ksu_maps_count();
	EXPECT_EQ(maps_before, maps_after);
	if (stats) {
		ASSERT_EQ(0, ksu_stats_read(&after));
		EXPECT_EQ(ksu_stat(&before, "files"),
			  ksu_stat(&after, "files"));
		EXPECT_EQ(ksu_stat(&before, "allocations"),
			  ksu_stat(&after, "allocations"));
		EXPECT_EQ(ksu_stat(&before, "snapshots"),
			  ksu_stat(&after, "snapshots"));
	}
}

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
		execl("/proc/self/exe", "ksyms_ioctl", EXEC_CHILD_ARG, fdarg,
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
