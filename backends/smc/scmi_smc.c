// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi_smc: give a privileged userspace SCMI agent (scmi-mediator) the
 * host's SCMI SMC channel: the SMT area mapped through mmap(), and the
 * SMC/HVC doorbell with the configured function id on an ioctl.
 * Interface: scmi_smc_uapi.h; documentation: docs/smc.md.
 *
 * Configuration: module parameters shmem_addr/shmem_size/smc_id (and
 * param_mode, conduit), or, when shmem_addr is 0, the first available
 * arm,scmi-smc / arm,scmi-smc-param node of the device tree (its first
 * shmem region and arm,smc-id). The node must not be bound to the kernel's
 * own SCMI driver (two agents on one channel would corrupt each other).
 *
 * Security: the device is 0600, open needs CAP_SYS_RAWIO, one opener at a
 * time; userspace can only map the pages holding the area and only issue
 * the configured function id, with no register of its choosing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/uaccess.h>

#include "scmi_smc_uapi.h"

static unsigned long long shmem_addr;
module_param(shmem_addr, ullong, 0444);
MODULE_PARM_DESC(shmem_addr, "physical address of the SMT area (0: from the device tree)");
static unsigned int shmem_size;
module_param(shmem_size, uint, 0444);
MODULE_PARM_DESC(shmem_size, "size of the SMT area in bytes (0x20..0x10000)");
static unsigned int smc_id;
module_param(smc_id, uint, 0444);
MODULE_PARM_DESC(smc_id, "SMCCC function id (fast call, bit 31 set)");
static bool param_mode;
module_param(param_mode, bool, 0444);
MODULE_PARM_DESC(param_mode, "pass the area's page and offset in x1/x2 (arm,scmi-smc-param)");
static char *conduit = "auto";
module_param(conduit, charp, 0444);
MODULE_PARM_DESC(conduit, "auto (the kernel's SMCCC conduit), smc or hvc");
static bool allow_ram;
module_param(allow_ram, bool, 0444);
MODULE_PARM_DESC(allow_ram, "allow an area inside System RAM (mapped uncached)");

struct scmi_smc_dev {
	struct scmi_smc_info info;
	phys_addr_t map_base;
	bool hvc;
	unsigned long busy;             /* bit 0: opened */
	struct mutex lock;              /* one call at a time, counters */
};

static struct scmi_smc_dev sdev;

static int scmi_smc_open(struct inode *inode, struct file *f)
{
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (test_and_set_bit(0, &sdev.busy))
		return -EBUSY;
	return nonseekable_open(inode, f);
}

static int scmi_smc_release(struct inode *inode, struct file *f)
{
	clear_bit(0, &sdev.busy);
	return 0;
}

static long scmi_smc_do_call(struct scmi_smc_call __user *uarg)
{
	struct scmi_smc_call c;
	struct arm_smccc_res res;
	unsigned long a1 = 0, a2 = 0;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	if (c.reserved[0] || c.reserved[1] || c.reserved[2])
		return -EINVAL;
	if (sdev.info.flags & SCMI_SMC_F_PARAM) {
		a1 = (unsigned long)(sdev.info.shmem_phys >> 12);
		a2 = (unsigned long)(sdev.info.shmem_phys & 0xfff);
	}
	mutex_lock(&sdev.lock);
	memset(&res, 0, sizeof(res));
	if (sdev.hvc)
		arm_smccc_1_1_hvc(sdev.info.smc_id, a1, a2, 0, 0, 0, 0, 0, &res);
	else
		arm_smccc_1_1_smc(sdev.info.smc_id, a1, a2, 0, 0, 0, 0, 0, &res);
	sdev.info.calls++;
	if ((long)res.a0 == SMCCC_RET_NOT_SUPPORTED)
		sdev.info.not_supported++;
	mutex_unlock(&sdev.lock);
	c.a0 = (__s64)(long)res.a0;
	return copy_to_user(uarg, &c, sizeof(c)) ? -EFAULT : 0;
}

static long scmi_smc_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct scmi_smc_info info;

	switch (cmd) {
	case SCMI_SMC_IOC_INFO:
		mutex_lock(&sdev.lock);
		info = sdev.info;
		mutex_unlock(&sdev.lock);
		return copy_to_user((void __user *)arg, &info, sizeof(info)) ? -EFAULT : 0;
	case SCMI_SMC_IOC_CALL:
		return scmi_smc_do_call((struct scmi_smc_call __user *)arg);
	default:
		return -ENOTTY;
	}
}

static int scmi_smc_mmap(struct file *f, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;

	if (vma->vm_pgoff || len > sdev.info.map_size || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, PHYS_PFN(sdev.map_base), len,
			       vma->vm_page_prot);
}

static const struct file_operations scmi_smc_fops = {
	.owner = THIS_MODULE,
	.open = scmi_smc_open,
	.release = scmi_smc_release,
	.unlocked_ioctl = scmi_smc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = scmi_smc_mmap,
	.llseek = no_llseek,
};

static struct miscdevice scmi_smc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = SCMI_SMC_DEV_NAME,
	.fops = &scmi_smc_fops,
	.mode = 0600,
};

static const char *const smc_compats[] = { "arm,scmi-smc", "arm,scmi-smc-param" };

/* The first available SMC SCMI node: area = shmem[0], id = arm,smc-id. */
static int scmi_smc_from_dt(void)
{
	struct device_node *np = NULL, *shm;
	struct platform_device *pdev;
	struct resource res;
	unsigned int i;
	u32 id;
	int ret;

	for (i = 0; i < ARRAY_SIZE(smc_compats) && !np; i++) {
		np = of_find_compatible_node(NULL, NULL, smc_compats[i]);
		if (np && !of_device_is_available(np)) {
			of_node_put(np);
			np = NULL;
		}
		if (np && i == 1)
			param_mode = true;
	}
	if (!np) {
		pr_err("no shmem_addr given and no arm,scmi-smc node in the device tree\n");
		return -ENODEV;
	}
	pdev = of_find_device_by_node(np);
	if (pdev) {
		bool bound = pdev->dev.driver != NULL;

		put_device(&pdev->dev);
		if (bound) {
			pr_err("%pOF is owned by the kernel's SCMI driver; unbind or disable it\n", np);
			of_node_put(np);
			return -EBUSY;
		}
	}
	ret = of_property_read_u32(np, "arm,smc-id", &id);
	shm = of_parse_phandle(np, "shmem", 0);
	if (ret || !shm) {
		pr_err("%pOF: needs arm,smc-id and shmem\n", np);
		of_node_put(shm);
		of_node_put(np);
		return -EINVAL;
	}
	ret = of_address_to_resource(shm, 0, &res);
	of_node_put(shm);
	of_node_put(np);
	if (ret) {
		pr_err("shmem region of the SCMI node: no usable reg\n");
		return ret;
	}
	shmem_addr = res.start;
	shmem_size = (unsigned int)min_t(resource_size_t, resource_size(&res), UINT_MAX);
	smc_id = id;
	sdev.info.flags |= SCMI_SMC_F_FROM_DT;
	return 0;
}

static int __init scmi_smc_init(void)
{
	phys_addr_t end;
	int ret;

	mutex_init(&sdev.lock);
	if (!shmem_addr) {
		ret = scmi_smc_from_dt();
		if (ret)
			return ret;
	}
	if (shmem_size < SCMI_SMC_AREA_MIN || shmem_size > SCMI_SMC_AREA_MAX ||
	    shmem_addr % 4 || shmem_addr + shmem_size < shmem_addr) {
		pr_err("area 0x%llx+0x%x: needs 4-byte alignment and 0x%x..0x%x bytes\n",
		       shmem_addr, shmem_size, SCMI_SMC_AREA_MIN, SCMI_SMC_AREA_MAX);
		return -EINVAL;
	}
	if (!ARM_SMCCC_IS_FAST_CALL(smc_id)) {
		pr_err("smc_id 0x%x is not an SMCCC fast call\n", smc_id);
		return -EINVAL;
	}
	if (arm_smccc_get_version() < ARM_SMCCC_VERSION_1_1) {
		pr_err("SMCCC 1.1 or later is needed\n");
		return -ENODEV;
	}
	if (!strcmp(conduit, "hvc")) {
		sdev.hvc = true;
	} else if (!strcmp(conduit, "auto")) {
		switch (arm_smccc_1_1_get_conduit()) {
		case SMCCC_CONDUIT_HVC:
			sdev.hvc = true;
			break;
		case SMCCC_CONDUIT_SMC:
			break;
		default:
			pr_err("no SMCCC conduit (PSCI) known to the kernel; set conduit=smc|hvc\n");
			return -ENODEV;
		}
	} else if (strcmp(conduit, "smc")) {
		pr_err("conduit '%s': use auto, smc or hvc\n", conduit);
		return -EINVAL;
	}
	if (!allow_ram && region_intersects(shmem_addr, shmem_size, IORESOURCE_SYSTEM_RAM,
					    IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("area 0x%llx+0x%x overlaps System RAM (allow_ram=1 to map it anyway)\n",
		       shmem_addr, shmem_size);
		return -EINVAL;
	}
	sdev.map_base = (phys_addr_t)shmem_addr & PAGE_MASK;
	end = PAGE_ALIGN((phys_addr_t)shmem_addr + shmem_size);
	sdev.info.version = SCMI_SMC_UAPI_VERSION;
	sdev.info.shmem_phys = shmem_addr;
	sdev.info.shmem_size = shmem_size;
	sdev.info.smc_id = smc_id;
	sdev.info.map_offset = (u32)(shmem_addr - sdev.map_base);
	sdev.info.map_size = (u32)(end - sdev.map_base);
	if (param_mode)
		sdev.info.flags |= SCMI_SMC_F_PARAM;
	if (sdev.hvc)
		sdev.info.flags |= SCMI_SMC_F_HVC;
	ret = misc_register(&scmi_smc_misc);
	if (ret)
		return ret;
	pr_info("/dev/%s: area 0x%llx+0x%x, function id 0x%x over %s%s\n", SCMI_SMC_DEV_NAME,
		shmem_addr, shmem_size, smc_id, sdev.hvc ? "HVC" : "SMC",
		param_mode ? " (page/offset in x1/x2)" : "");
	return 0;
}

static void __exit scmi_smc_exit(void)
{
	misc_deregister(&scmi_smc_misc);
}

module_init(scmi_smc_init);
module_exit(scmi_smc_exit);
MODULE_DESCRIPTION("SCMI SMC channel for a userspace agent (scmi-mediator)");
MODULE_LICENSE("GPL");
