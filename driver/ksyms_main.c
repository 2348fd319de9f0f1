// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksyms: the BSD /dev/ksyms for Linux.  Opening the device gives a
 * read-only ELF image of the running kernel's symbol table, vmlinux first,
 * then every loaded module in load order, taken as a snapshot at open.
 *
 * A character device of its own rather than a misc device: misc_open()
 * holds misc_mtx, which every misc device's open needs, around ->open, and
 * building a snapshot takes time proportional to the number of symbols.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>

#include "ksyms_access.h"
#include "ksyms_cache.h"
#include "ksyms_compat.h"
#include "ksyms_debug.h"
#include "ksyms_file.h"
#include "ksyms_initfs.h"
#include "ksyms_modules.h"
#include "ksyms_reclaim.h"

#define KSYMS_NAME	"ksyms"
#define KSYMS_MODE	0400

static dev_t ksyms_devt;
static struct cdev ksyms_cdev;
static struct class *ksyms_class;
static struct device *ksyms_device;

static char *ksyms_devnode(KSYMS_DEVNODE_DEVICE *dev, umode_t *mode)
{
	if (mode)
		*mode = KSYMS_MODE;
	return NULL;
}

static int ksyms_device_create(void)
{
	int err;

	err = alloc_chrdev_region(&ksyms_devt, 0, 1, KSYMS_NAME);
	if (err)
		return err;
	cdev_init(&ksyms_cdev, &ksyms_fops);
	ksyms_cdev.owner = THIS_MODULE;
	err = cdev_add(&ksyms_cdev, ksyms_devt, 1);
	if (err)
		goto unregister;
	ksyms_class = ksyms_class_create(KSYMS_NAME);
	if (IS_ERR(ksyms_class)) {
		err = PTR_ERR(ksyms_class);
		goto del_cdev;
	}
	ksyms_class->devnode = ksyms_devnode;
	ksyms_device = device_create(ksyms_class, NULL, ksyms_devt, NULL,
				     KSYMS_NAME);
	if (IS_ERR(ksyms_device)) {
		err = PTR_ERR(ksyms_device);
		goto destroy_class;
	}
	return 0;

destroy_class:
	class_destroy(ksyms_class);
del_cdev:
	cdev_del(&ksyms_cdev);
unregister:
	unregister_chrdev_region(ksyms_devt, 1);
	return err;
}

static void ksyms_device_destroy(void)
{
	device_destroy(ksyms_class, ksyms_devt);
	class_destroy(ksyms_class);
	cdev_del(&ksyms_cdev);
	unregister_chrdev_region(ksyms_devt, 1);
}

static int __init ksyms_init(void)
{
	int err;

	ksyms_debug_init();
	err = ksyms_initfs_init();
	if (err)
		goto debug_exit;
	err = ksyms_modules_init();
	if (err)
		goto initfs_exit;
	err = ksyms_reclaim_init();
	if (err)
		goto modules_exit;
	err = ksyms_device_create();
	if (err)
		goto reclaim_exit;
	return 0;

reclaim_exit:
	ksyms_reclaim_exit();
modules_exit:
	ksyms_modules_exit();
initfs_exit:
	ksyms_initfs_exit();
debug_exit:
	ksyms_debug_exit();
	return err;
}

static void __exit ksyms_exit(void)
{
	ksyms_device_destroy();
	ksyms_reclaim_exit();
	ksyms_modules_exit();
	ksyms_cache_exit();
	ksyms_access_drop();
	ksyms_initfs_exit();
	ksyms_debug_exit();
}

module_init(ksyms_init);
module_exit(ksyms_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("BSD-compatible /dev/ksyms: ELF image of the kernel symbol table");
MODULE_AUTHOR("The ksyms developers");
MODULE_VERSION(KSYMS_VERSION);
