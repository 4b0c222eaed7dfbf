#include "CBPFSyscall.h"
#include <errno.h>
#include <string.h>

#if defined(__linux__)
#include <unistd.h>
#include <sys/syscall.h>
#if defined(__has_include)
#if __has_include(<linux/bpf.h>)
#include <stddef.h>
#include <linux/bpf.h>
#define CBPF_HAVE_HEADER 1
#endif
#endif
#endif

long cbpf_bpf(int cmd, void *attr, unsigned int size, int *error_out) {
#if defined(__linux__) && defined(SYS_bpf)
    errno = 0;
    long result = syscall(SYS_bpf, cmd, attr, size);
    *error_out = result < 0 ? errno : 0;
    return result;
#else
    (void)cmd; (void)attr; (void)size;
    *error_out = ENOSYS;
    return -1;
#endif
}

#if defined(CBPF_HAVE_HEADER)
#define A(f) { "attr." #f, offsetof(union bpf_attr, f) }
#define I(f) { "info." #f, offsetof(struct bpf_prog_info, f) }
static const struct { const char *name; size_t offset; } cbpf_offsets[] = {
    A(map_type), A(key_size), A(value_size), A(max_entries), A(map_flags), A(inner_map_fd),
    A(map_name), A(map_ifindex), A(btf_fd), A(btf_key_type_id), A(btf_value_type_id),
    A(map_fd), A(key), A(value), A(flags),
    A(prog_type), A(insn_cnt), A(insns), A(license), A(log_level), A(log_size), A(log_buf),
    A(kern_version), A(prog_flags), A(prog_name), A(prog_ifindex), A(expected_attach_type),
    A(prog_btf_fd), A(func_info_rec_size), A(func_info), A(func_info_cnt),
    A(line_info_rec_size), A(line_info), A(line_info_cnt), A(attach_btf_id), A(fd_array),
    A(test.prog_fd), A(test.retval), A(test.data_size_in), A(test.data_size_out),
    A(test.data_in), A(test.data_out), A(test.repeat), A(test.duration),
    A(test.ctx_size_in), A(test.ctx_size_out), A(test.ctx_in), A(test.ctx_out), A(test.flags),
    A(info.bpf_fd), A(info.info_len), A(info.info),
    A(btf), A(btf_log_buf), A(btf_size), A(btf_log_size), A(btf_log_level),
    I(type), I(id), I(tag), I(jited_prog_len), I(xlated_prog_len), I(jited_prog_insns),
    I(xlated_prog_insns), I(nr_map_ids), I(map_ids), I(name), I(btf_id), I(func_info_rec_size),
    I(func_info), I(nr_func_info), I(nr_line_info), I(line_info), I(line_info_rec_size),
    I(verified_insns),
};
#endif

long cbpf_header_offset(const char *name) {
#if defined(CBPF_HAVE_HEADER)
    for (size_t i = 0; i < sizeof cbpf_offsets / sizeof cbpf_offsets[0]; i++) {
        if (strcmp(cbpf_offsets[i].name, name) == 0) return (long)cbpf_offsets[i].offset;
    }
#else
    (void)name;
#endif
    return -1;
}

long cbpf_header_attr_size(void) {
#if defined(CBPF_HAVE_HEADER)
    return (long)sizeof(union bpf_attr);
#else
    return -1;
#endif
}
