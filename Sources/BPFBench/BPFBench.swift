import BPFPatch
