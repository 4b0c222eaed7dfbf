import BPFInstructions

/// Number and register spellings shared by the formatters.
enum Spell {
    /// The compound-assignment operator of each ALU operation (both syntaxes agree).
    static let aluSymbols: [ALUOperation: String] = [
        .add: "+=", .sub: "-=", .mul: "*=", .div: "/=", .or: "|=", .and: "&=",
        .lsh: "<<=", .rsh: ">>=", .mod: "%=", .xor: "^=", .arsh: "s>>=",
    ]

    /// The comparison operator of each conditional jump (both syntaxes agree).
    static let jumpSymbols: [JumpOperation: String] = [
        .jeq: "==", .jgt: ">", .jge: ">=", .jset: "&", .jne: "!=", .jsgt: "s>", .jsge: "s>=",
        .jlt: "<", .jle: "<=", .jslt: "s<", .jsle: "s<=",
    ]

    /// `0x1f` / `-0x1f`, as llvm prints signed immediates.
    static func signedHex<T: BinaryInteger>(_ value: T) -> String {
        if value < 0 {
            return "-0x" + String(value.magnitude, radix: 16)
        }
        return "0x" + String(value, radix: 16)
    }

    /// `+0x3` / `-0x3`: a branch displacement with an explicit sign.
    static func displacement<T: BinaryInteger>(_ value: T) -> String {
        value < 0 ? "-0x" + String(value.magnitude, radix: 16) : "+0x" + String(value, radix: 16)
    }

    /// `0x1f` for an unsigned value.
    static func unsignedHex<T: BinaryInteger>(_ value: T) -> String {
        "0x" + String(value, radix: 16)
    }

    /// `r3` or `w3`; nil for a register number llvm does not accept (above 11).
    static func register(_ number: UInt8, wide: Bool = true) -> String? {
        guard number <= 11 else { return nil }
        return (wide ? "r" : "w") + String(number)
    }

    /// `r2 + 0x8` / `r2 - 0x8`: a base register and offset.
    static func address(_ base: String, _ offset: Int16) -> String {
        offset < 0
            ? base + " - 0x" + String(offset.magnitude, radix: 16)
            : base + " + 0x" + String(offset, radix: 16)
    }

    /// `u32`, `u16`, `u8`, `u64` for a load/store size.
    static func unsignedType(_ size: AccessSize) -> String {
        switch size {
        case .word: "u32"
        case .halfWord: "u16"
        case .byte: "u8"
        case .doubleWord: "u64"
        }
    }

    /// `s32`, `s16`, `s8`, `s64` for a sign-extending load size.
    static func signedType(_ size: AccessSize) -> String {
        switch size {
        case .word: "s32"
        case .halfWord: "s16"
        case .byte: "s8"
        case .doubleWord: "s64"
        }
    }
}
