import Testing
@testable import BPFKernel

@Suite struct AttributeLayoutTests {
    /// Every offset the module writes must match the installed UAPI header
    /// (the header is the independent source; it may lack newer fields).
    @Test func offsetsMatchInstalledHeader() {
        var compared = 0
        for (field, offset) in AttributeLayout.all {
            guard let header = AttributeLayout.headerOffset(field) else { continue }
            #expect(header == offset, "\(field): header \(header), module \(offset)")
            compared += 1
        }
        if compared == 0 {
            print("SKIPPED offsetsMatchInstalledHeader: <linux/bpf.h> not installed")
            return
        }
        #expect(compared == AttributeLayout.all.count)
    }
}
