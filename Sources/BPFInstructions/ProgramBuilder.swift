/// Builds a program from instructions, the two-slot `ld_imm64` builders
/// included, one statement a line; `if`, `for` and `switch` work as in
/// ordinary code.
///
///     let program = Program {
///         Instruction.mov(.r0, 0)
///         Instruction.loadMap(.r1, fd: 3)          // two slots
///         for k in 0..<3 { Instruction.alu(.add, .r0, Int32(k)) }
///         Instruction.exit
///     }
///
/// (A statement needs the `Instruction.` prefix when it makes two slots,
/// and it is clearer to keep it on every line.)
@resultBuilder
public enum ProgramBuilder {
    public static func buildExpression(_ slot: Instruction) -> [Instruction] { [slot] }
    public static func buildExpression(_ slots: [Instruction]) -> [Instruction] { slots }
    public static func buildBlock(_ parts: [Instruction]...) -> [Instruction] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Instruction]?) -> [Instruction] { part ?? [] }
    public static func buildEither(first part: [Instruction]) -> [Instruction] { part }
    public static func buildEither(second part: [Instruction]) -> [Instruction] { part }
    public static func buildArray(_ parts: [[Instruction]]) -> [Instruction] { parts.flatMap { $0 } }
}

extension Program {
    /// A program from the builder's statements, in order.
    ///
    /// - Complexity: O(n), where n is the slot count.
    public init(@ProgramBuilder _ slots: () -> [Instruction]) {
        self.init(slots: slots())
    }
}
