print("bpfpatch")
