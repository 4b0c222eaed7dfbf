import BPFKernel
