// SPDX-License-Identifier: BSD-2-Clause
/*
 * Written as a FreeBSD program would be: includes <sys/ksyms.h> and uses
 * the ioctls with the types ksyms(4) gives them.  Built, not run, by
 * tests/headers-test.sh against the installed headers.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/ksyms.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	size_t size;
	void *addr;
	int fd = open("/dev/ksyms", O_RDONLY);

	if (fd < 0 || ioctl(fd, KIOCGSIZE, &size) < 0 ||
	    ioctl(fd, KIOCGADDR, &addr) < 0)
		return 1;
	printf("%zu bytes at %p\n", size, addr);
	close(fd);
	return 0;
}
