import BPFInstructions
import BPFObject

extension ObjectLoader {
    /// A function (or whole section) that is copied as one piece.
    struct Unit: Hashable {
        var section: Int
        var slots: Range<SlotIndex>
    }

    /// A call or pseudo-func `ld_imm64` whose `imm` must point at `target`.
    struct Fixup {
        var site: Int
        var section: Int
        var target: SlotIndex
    }

    /// Relocates and links one entry program.
    ///
    /// Map `ld_imm64`s get `src_reg` 1 (`BPF_PSEUDO_MAP_FD`) and the map fd;
    /// global data references get `src_reg` 2 (`BPF_PSEUDO_MAP_VALUE`), the
    /// fd, and the offset in the second slot; bpf-to-bpf callees (in `.text`
    /// or the same section) are appended once each and every call and
    /// pseudo-func `imm` is recomputed. `.BTF.ext` byte offsets become slot
    /// indices in the linked program.
    ///
    /// - Throws: `LoadFailure` for unknown section names, externs (kfuncs,
    ///   ksyms, kconfig), attach targets, unresolvable relocations, and maps
    ///   that could not be created.
    /// - Complexity: O(n + r + i), where n is the linked slot count, r the
    ///   relocations and i the `.BTF.ext` records of the sections involved.
    public func link(_ candidate: ProgramCandidate) throws(LoadFailure) -> LinkedProgram {
        guard object.byteOrder == .littleEndian else {
            throw LoadFailure(.object, "big-endian object cannot load into a little-endian kernel")
        }
        guard let convention = self.convention(for: candidate.section) else {
            throw LoadFailure(.unknownProgramType, "no program type for section '\(candidate.section)'")
        }
        var attachBTFID: UInt32 = 0
        if convention.needsAttachTarget {
            guard convention.programType == .tracing || convention.programType == .lsm else {
                throw LoadFailure(.attachTarget, "\(convention.prefix) programs need a target program or struct_ops map (not implemented)")
            }
            guard let vmlinux = VmlinuxBTF.current else {
                throw LoadFailure(.attachTarget, "\(convention.prefix) programs need /sys/kernel/btf/vmlinux")
            }
            guard let id = vmlinux.attachTarget(section: candidate.section, convention: convention) else {
                throw LoadFailure(.attachTarget, "attach target of '\(candidate.section)' not in vmlinux BTF")
            }
            attachBTFID = id
        }
        prepareBTF()

        var slots: [Instruction] = []
        var pieces: [LinkedProgram.Piece] = []
        var placed: [Unit: Int] = [:]
        var queue = [Unit(section: candidate.sectionIndex, slots: candidate.slots)]
        var queued: Set<Unit> = [queue[0]]
        var fixups: [Fixup] = []
        var maps: [FileDescriptor] = []
        var notes: [String] = []
        var next = 0
        while next < queue.count {
            let unit = queue[next]
            next += 1
            guard let section = object.programSections.first(where: { $0.sectionIndex == unit.section }) else {
                throw LoadFailure(.relocation, "call into section \(unit.section), which holds no program")
            }
            let start = slots.count
            placed[unit] = start
            pieces.append(LinkedProgram.Piece(section: section.name, sourceSlots: unit.slots, start: SlotIndex(start)))
            var relocations: [SlotIndex: Relocation] = [:]
            for relocation in section.relocations {
                if let slot = relocation.slotIndex, unit.slots.contains(slot) { relocations[slot] = relocation }
            }
            var piece = Array(section.program.slots[unit.slots.lowerBound.rawValue..<unit.slots.upperBound.rawValue])
            var k = 0
            while k < piece.count {
                let slot = unit.slots.lowerBound.advanced(by: k)
                var insn = piece[k]
                let width = insn.isLoadImmediate64 ? 2 : 1
                if insn.isLoadImmediate64 && k + 1 >= piece.count {
                    throw LoadFailure(.relocation, "ld_imm64 at slot \(slot) of \(section.name) has no second slot")
                }
                if let relocation = relocations[slot] {
                    let symbol = try self.symbol(relocation, in: section.name)
                    let target = symbol.sectionIndex.sectionHeaderIndex
                    if insn.isLoadImmediate64 {
                        guard let target else {
                            // A typed ksym: the kernel variable's BTF id (`BPF_PSEUDO_BTF_ID`).
                            guard let id = VmlinuxBTF.current?.typeID(named: symbol.name, kind: .variable) else {
                                throw LoadFailure(.unsupportedExtern, "extern '\(symbol.name)' (kconfig or typeless ksym) at slot \(slot) of \(section.name)")
                            }
                            insn.srcNumber = 3
                            insn.immediate = Int32(bitPattern: id)
                            piece[k + 1].immediate = 0
                            piece[k] = insn
                            k += width
                            continue
                        }
                        // Wrapping arithmetic: a hostile symbol value must not trap.
                        let offset = symbol.value &+ UInt64(bitPattern: Int64(insn.immediate))
                        if object.mapSections.contains(where: { $0.sectionIndex == target }) {
                            let map = try map(inSection: target, symbol: symbol, offset: offset).get()
                            maps.append(map.descriptor)
                            insn.srcNumber = 1
                            insn.immediate = map.descriptor.rawValue
                            piece[k + 1].immediate = 0
                        } else if let dataSection = object.sections.first(where: { $0.index == target }),
                                  isDataSection(dataSection.name) {
                            let map = try dataMap(section: target).get()
                            maps.append(map.descriptor)
                            insn.srcNumber = 2
                            insn.immediate = map.descriptor.rawValue
                            piece[k + 1].immediate = Int32(truncatingIfNeeded: offset)
                        } else if object.programSections.contains(where: { $0.sectionIndex == target }) {
                            insn.srcNumber = 4
                            fixups.append(Fixup(site: start + k, section: target, target: SlotIndex(Int(truncatingIfNeeded: offset / 8))))
                        } else {
                            let name = object.sections.first { $0.index == target }?.name ?? "\(target)"
                            throw LoadFailure(.relocation, "ld_imm64 at slot \(slot) of \(section.name) refers to section \(name)")
                        }
                    } else if insn.isCall {
                        guard let target else {
                            // A kfunc: the kernel function's BTF id (`BPF_PSEUDO_KFUNC_CALL`, vmlinux: off 0).
                            guard let id = VmlinuxBTF.current?.typeID(named: symbol.name, kind: .function) else {
                                throw LoadFailure(.unsupportedExtern, "call to extern '\(symbol.name)', not a vmlinux kfunc, at slot \(slot) of \(section.name)")
                            }
                            insn.srcNumber = 2
                            insn.offset = 0
                            insn.immediate = Int32(bitPattern: id)
                            piece[k] = insn
                            k += width
                            continue
                        }
                        insn.srcNumber = 1
                        let callee = Int(symbol.value / 8) &+ Int(insn.immediate) &+ 1
                        fixups.append(Fixup(site: start + k, section: target, target: SlotIndex(callee)))
                    } else if relocation.type != .none {
                        throw LoadFailure(.relocation, "\(relocation.type) on a non-ld_imm64, non-call slot \(slot) of \(section.name)")
                    }
                } else if insn.isCall && insn.srcNumber == 1 {
                    fixups.append(Fixup(site: start + k, section: unit.section,
                                        target: slot.advanced(by: Int(insn.immediate) + 1)))
                } else if insn.isCall && insn.srcNumber == 2 {
                    throw LoadFailure(.unsupportedExtern, "kfunc call without relocation at slot \(slot) of \(section.name)")
                } else if insn.isLoadImmediate64 && insn.srcNumber == 4 {
                    fixups.append(Fixup(site: start + k, section: unit.section,
                                        target: slot.advanced(by: Int(insn.immediate) + 1)))
                }
                piece[k] = insn
                k += width
            }
            slots += piece
            // Queue the callees this piece reaches.
            for fixup in fixups where fixup.site >= start {
                let callee = try self.unit(containing: fixup.target, section: fixup.section)
                if !queued.contains(callee) {
                    queued.insert(callee)
                    queue.append(callee)
                }
            }
        }
        for fixup in fixups {
            let callee = try unit(containing: fixup.target, section: fixup.section)
            guard let calleeStart = placed[callee] else {
                throw LoadFailure(.relocation, "callee at slot \(fixup.target) was not linked")
            }
            let newTarget = calleeStart + (fixup.target.rawValue - callee.slots.lowerBound.rawValue)
            slots[fixup.site].immediate = Int32(truncatingIfNeeded: newTarget - (fixup.site + 1))
        }

        // func_info / line_info, in linked slot indices.
        var funcInfo: [KernelFuncInfo] = []
        var lineInfo: [KernelLineInfo] = []
        var coreCount = 0
        var coreSites: [(SlotIndex, CORERelocation)] = []
        var missingStrings = 0
        for piece in pieces {
            guard let section = object.programSections.first(where: { $0.name == piece.section }) else { continue }
            func linked(_ offset: ByteOffset) -> SlotIndex? {
                guard let slot = section.slotIndex(at: offset), piece.sourceSlots.contains(slot) else { return nil }
                return piece.start.advanced(by: piece.sourceSlots.lowerBound.distance(to: slot))
            }
            for record in object.funcInfo(for: section) {
                if let slot = linked(record.offset) { funcInfo.append(KernelFuncInfo(instruction: slot, typeID: record.typeID)) }
            }
            for record in object.lineInfo(for: section) {
                guard let slot = linked(record.offset) else { continue }
                guard let file = stringOffsets[record.fileName], let line = stringOffsets[record.line] else {
                    missingStrings += 1
                    continue
                }
                lineInfo.append(KernelLineInfo(instruction: slot, fileNameOffset: file, lineOffset: line,
                                               lineColumn: record.lineNumber << 10 | (record.column & 0x3ff)))
            }
            for record in object.coreRelocations(for: section) {
                guard let site = linked(record.offset) else { continue }
                coreCount += 1
                coreSites.append((site, record))
            }
        }
        var coreUnresolved: [String] = []
        if !coreSites.isEmpty {
            if let vmlinux = VmlinuxBTF.current, let btfTable {
                let relocator = CORERelocator(local: btfTable, target: vmlinux)
                for (site, record) in coreSites {
                    switch relocator.value(for: record) {
                    case .success(let value):
                        if let problem = Self.patch(&slots, at: site.rawValue, with: value, kind: record.kind) {
                            coreUnresolved.append(problem)
                        }
                    case .failure(let error):
                        coreUnresolved.append(error.message)
                    }
                }
            } else {
                coreUnresolved = coreSites.map { _ in "no kernel BTF or object BTF" }
            }
        }
        funcInfo.sort { $0.instruction < $1.instruction }
        lineInfo.sort { $0.instruction < $1.instruction }
        if missingStrings > 0 {
            notes.append("\(missingStrings) line records name strings absent from .BTF; line info dropped")
            lineInfo = []
        }
        if !coreUnresolved.isEmpty {
            notes.append("\(coreUnresolved.count) of \(coreCount) CO-RE relocations not applied (\(coreUnresolved[0]))")
        }
        let license = object.license ?? "GPL"
        if object.license == nil { notes.append("no license section; loaded as GPL") }
        return LinkedProgram(name: candidate.name, section: candidate.section, type: convention.programType,
                             expectedAttachType: convention.attachType, flags: convention.flags, license: license,
                             program: Program(slots: slots), funcInfo: funcInfo, lineInfo: lineInfo, pieces: pieces,
                             coreRelocationCount: coreCount, unresolvedCORECount: coreUnresolved.count, notes: notes, maps: maps, attachBTFID: attachBTFID)
    }

    /// Writes a CO-RE value into the instruction at `site`: the 64-bit
    /// immediate of an `ld_imm64`, the immediate of an ALU instruction, or
    /// the offset of a memory access (field offsets only).
    ///
    /// - Returns: nil when patched, else why not.
    static func patch(_ slots: inout [Instruction], at site: Int, with value: UInt64, kind: CORERelocationKind) -> String? {
        guard site < slots.count else { return "site \(site) past the program" }
        let insn = slots[site]
        if insn.isLoadImmediate64 {
            guard site + 1 < slots.count else { return "truncated ld_imm64" }
            slots[site].immediate = Int32(truncatingIfNeeded: value)
            slots[site + 1].immediate = Int32(truncatingIfNeeded: value >> 32)
            return nil
        }
        switch insn.instructionClass {
        case .alu, .alu64:
            // (A `where` on a multi-pattern case would guard only the last pattern.)
            guard insn.operandSource == .immediate else { return "register-operand ALU has no immediate" }
            guard value <= UInt64(UInt32.max) || Int64(bitPattern: value) >= Int64(Int32.min) else {
                return "value \(value) does not fit an ALU immediate"
            }
            slots[site].immediate = Int32(truncatingIfNeeded: value)
            return nil
        case .ldx, .st, .stx:
            guard kind == .fieldByteOffset else { return "cannot write \(kind) into a memory access" }
            guard value <= UInt64(Int16.max) else { return "offset \(value) does not fit a memory access" }
            slots[site].offset = Int16(value)
            return nil
        default:
            return "cannot write \(kind) into opcode 0x\(String(insn.code, radix: 16))"
        }
    }

    /// The symbol a relocation names.
    private func symbol(_ relocation: Relocation, in section: String) throws(LoadFailure) -> Symbol {
        guard relocation.symbolIndex >= 0, relocation.symbolIndex < object.symbols.count else {
            throw LoadFailure(.relocation, "relocation at \(relocation.offset) of \(section) names symbol \(relocation.symbolIndex), past the table")
        }
        return object.symbols[relocation.symbolIndex]
    }

    /// The function of `section` that contains `slot` (the whole section
    /// when it has no function symbols).
    func unit(containing slot: SlotIndex, section sectionIndex: Int) throws(LoadFailure) -> Unit {
        guard let section = object.programSections.first(where: { $0.sectionIndex == sectionIndex }) else {
            throw LoadFailure(.relocation, "call into section \(sectionIndex), which holds no program")
        }
        if section.functions.isEmpty {
            guard section.program.indices.contains(slot) else {
                throw LoadFailure(.relocation, "call target \(slot) outside \(section.name)")
            }
            return Unit(section: sectionIndex, slots: section.program.indices)
        }
        guard let function = section.function(containing: slot) else {
            throw LoadFailure(.relocation, "call target \(slot) of \(section.name) is in no function")
        }
        return Unit(section: sectionIndex, slots: function.slots)
    }
}
