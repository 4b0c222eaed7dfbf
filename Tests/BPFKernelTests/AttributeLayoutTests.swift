import Testing
@testable import BPFKernel

@Suite struct AttributeLayoutTests {
    /// Every offset the module writes must match the installed UAPI header
    /// (the header is the independent source; it may lack newer fields).
    @Test(.enabled(if: AttributeLayout.all.contains { AttributeLayout.headerOffset($0.0) != nil },
                   "needs <linux/bpf.h> (apt-get install linux-libc-dev)"))
    func offsetsMatchInstalledHeader() {
        var compared = 0
        for (field, offset) in AttributeLayout.all {
            guard let header = AttributeLayout.headerOffset(field) else { continue }
            #expect(header == offset, "\(field): header \(header), module \(offset)")
            compared += 1
        }
        #expect(compared == AttributeLayout.all.count)
    }
}
