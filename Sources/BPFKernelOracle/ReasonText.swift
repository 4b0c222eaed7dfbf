import BPFKernel

/// Shortening and grouping of reason strings.
public enum ReasonText {
    /// At most `limit` characters.
    public static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Digits and quoted names folded, so reasons group across programs.
    public static func normalized(_ line: String) -> String {
        clipped(CorpusLoadSummary.normalized(line), 160)
    }
}
