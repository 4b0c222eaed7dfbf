import BPFKernelOracle
import Foundation

/// One progress line on stderr, rewritten in place on a terminal; on a
/// non-terminal stderr (logs, CI) only every 25th step is written, one per
/// line.
struct ProgressLine {
    /// False: every call does nothing (a single file needs no progress).
    let isEnabled: Bool
    private let isTerminal = isatty(2) != 0
    private var steps = 0

    init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// Shows `text`.
    mutating func show(_ text: String) {
        guard isEnabled else { return }
        steps += 1
        if isTerminal {
            write("\r\u{1b}[K" + ReasonText.clipped(text, 110))
        } else if steps % 25 == 0 {
            write(text + "\n")
        }
    }

    /// Clears the line.
    func clear() {
        if isEnabled && isTerminal { write("\r\u{1b}[K") }
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
