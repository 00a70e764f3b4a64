/*
 * Prints the layout of the fwctl ioctl structs as the C compiler lays them out,
 * from declarations copied verbatim from include/uapi/fwctl/fwctl.h (Linux 6.15+),
 * for test/transport/linux-layout.test.ts to compare with what the transport writes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint32_t __u32;
typedef uint64_t __u64;
#define __aligned_u64 __u64 __attribute__((aligned(8)))

#define FWCTL_TYPE 0x9A
#define _IOC(dir, type, nr, size) (((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IO(type, nr) _IOC(0U, (type), (nr), 0U)

enum {
	FWCTL_CMD_BASE = 0,
	FWCTL_CMD_INFO = 0,
	FWCTL_CMD_RPC = 1,
};

struct fwctl_info {
	__u32 size;
	__u32 flags;
	__u32 out_device_type;
	__u32 device_data_len;
	__aligned_u64 out_device_data;
};
#define FWCTL_INFO _IO(FWCTL_TYPE, FWCTL_CMD_INFO)

enum fwctl_rpc_scope {
	FWCTL_RPC_CONFIGURATION = 0,
	FWCTL_RPC_DEBUG_READ_ONLY = 1,
	FWCTL_RPC_DEBUG_WRITE = 2,
	FWCTL_RPC_DEBUG_WRITE_FULL = 3,
};

struct fwctl_rpc {
	__u32 size;
	__u32 scope;
	__u32 in_len;
	__u32 out_len;
	__aligned_u64 in;
	__aligned_u64 out;
};
#define FWCTL_RPC _IO(FWCTL_TYPE, FWCTL_CMD_RPC)

#define F(s, m) printf("\"%s\":{\"at\":%zu,\"size\":%zu},", #m, offsetof(struct s, m), sizeof(((struct s *)0)->m))

int main(void)
{
	printf("{\"FWCTL_INFO\":%u,\"FWCTL_RPC\":%u,", (unsigned)FWCTL_INFO, (unsigned)FWCTL_RPC);
	printf("\"fwctl_info\":{\"sizeof\":%zu,", sizeof(struct fwctl_info));
	F(fwctl_info, size);
	F(fwctl_info, flags);
	F(fwctl_info, out_device_type);
	F(fwctl_info, device_data_len);
	F(fwctl_info, out_device_data);
	printf("\"_\":null},\"fwctl_rpc\":{\"sizeof\":%zu,", sizeof(struct fwctl_rpc));
	F(fwctl_rpc, size);
	F(fwctl_rpc, scope);
	F(fwctl_rpc, in_len);
	F(fwctl_rpc, out_len);
	F(fwctl_rpc, in);
	F(fwctl_rpc, out);
	printf("\"_\":null}}\n");
	return 0;
}
