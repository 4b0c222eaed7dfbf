#pragma once

/// The one thing Swift cannot call directly: the variadic `syscall(2)` for
/// `bpf(2)`. The attribute union is built byte by byte in Swift (so the
/// package does not depend on the installed UAPI header's age); the header is
/// used here only to let tests cross-check the Swift offsets.

/// Calls `bpf(cmd, attr, size)`. Returns the syscall's result; on failure
/// returns -1 and stores errno in `*error_out` (0 on success).
/// On systems without bpf(2) it returns -1 with ENOSYS.
long cbpf_bpf(int cmd, void *attr, unsigned int size, int *error_out);

/// The byte offset of a field of `union bpf_attr` or `struct bpf_prog_info`
/// as the installed <linux/bpf.h> defines it, named like "attr.prog_type",
/// "attr.test.retval", "info.xlated_prog_len"; -1 when the header (or the
/// field) is not available. For layout tests only.
long cbpf_header_offset(const char *name);

/// sizeof(union bpf_attr) in the installed header, or -1.
long cbpf_header_attr_size(void);
